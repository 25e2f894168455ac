package io.frameguard.stream.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * The writer schemas the single-object decoder accepts besides the current one: the released
 * schemas in {@code schemas/history/} (packaged under {@code io/frameguard/schema-history/}), by
 * fingerprint. A record written with any of them is resolved against the current schema.
 */
public final class SchemaHistory {
    private static final String DIR = "/io/frameguard/schema-history/";
    private static SchemaHistory released;

    private final List<Schema> schemas;

    public SchemaHistory(List<Schema> schemas) {
        this.schemas = List.copyOf(schemas);
    }

    /** The released schemas shipped with this build. */
    public static synchronized SchemaHistory released() {
        if (released == null) {
            released = new SchemaHistory(load());
        }
        return released;
    }

    /** This history plus more writer schemas (e.g. a newer producer's, handed to an older detector). */
    public SchemaHistory with(List<Schema> more) {
        List<Schema> all = new ArrayList<>(schemas);
        all.addAll(more);
        return new SchemaHistory(all);
    }

    /** Writer schemas of records named like {@code reader}, by their 64-bit parsing fingerprint. */
    public Map<Long, Schema> writersOf(Schema reader) {
        Map<Long, Schema> out = new LinkedHashMap<>();
        for (Schema s : schemas) {
            if (s.getFullName().equals(reader.getFullName())) {
                out.put(SchemaNormalization.parsingFingerprint64(s), s);
            }
        }
        return out;
    }

    private static List<Schema> load() {
        List<Schema> out = new ArrayList<>();
        try (InputStream index = SchemaHistory.class.getResourceAsStream(DIR + "index.txt")) {
            if (index == null) {
                return out;
            }
            for (String name : new String(index.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> l.endsWith(".avsc")).toList()) {
                try (InputStream in = SchemaHistory.class.getResourceAsStream(DIR + name)) {
                    if (in == null) {
                        throw new IllegalStateException("schemas/history/index.txt lists " + name + ", which is not packaged");
                    }
                    out.add(new Schema.Parser().parse(in));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
