package io.frameguard;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;

/** The one JSON configuration of the project: bundle metadata, reports and benchmark output. */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // A metric that is undefined (AUROC without anomalies) is written "NaN", still valid JSON.
            .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private Json() {
    }

    /** Writes {@code value} to {@code file} atomically (temp file + rename), creating parent folders. */
    public static void write(Object value, Path file) {
        try {
            AtomicFiles.write(file, out -> MAPPER.writeValue(out, value));
        } catch (IOException e) {
            throw new FrameGuardException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
