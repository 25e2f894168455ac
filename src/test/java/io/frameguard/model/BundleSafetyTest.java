package io.frameguard.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.frameguard.FrameGuardException;
import io.frameguard.Json;
import io.frameguard.TestData;
import io.frameguard.model.inspection.InspectionBundle;
import io.frameguard.model.inspection.InspectionNetwork;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bundles are read as data, never by Java deserialization, and each kind of bad bundle fails with one line. */
class BundleSafetyTest {
    static final Path FIXTURE = TestData.FIXTURE_BUNDLE;

    @TempDir
    Path dir;

    private Map<String, byte[]> edit(String key, byte[] value) {
        Map<String, byte[]> m = new HashMap<>();
        m.put(key, value);
        return m;
    }

    private static void assertOneLine(Throwable t, Path file, String why) {
        assertThat(t).isInstanceOf(FrameGuardException.class);
        assertThat(t.getMessage()).startsWith(file + " is not a FrameGuard model bundle: ").contains(why).doesNotContain("\n");
    }

    @Test
    void shouldRefuseABundleWithASerializedPreprocessorWithoutDeserializingIt() throws IOException {
        Tripwire.deserialized = false;
        Path bad = BundleFiles.withNetworkEntries(FIXTURE, dir.resolve("gadget.bundle"), edit("preprocessor.bin", Tripwire.serialized()));
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> ModelBundle.load(bad));
        assertThat(Tripwire.deserialized).as("readObject never ran").isFalse();
        assertOneLine(t, bad, "its entry network.dl4j.zip/preprocessor.bin is a serialized Java object");
    }

    @Test
    void shouldRefuseAFileThatIsNotAZip() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.bundle"), "hello");
        assertOneLine(org.assertj.core.api.Assertions.catchThrowable(() -> ModelBundle.load(text)), text, "it is not a zip archive");
    }

    @Test
    void shouldNameTheMissingParametersEntry() throws IOException {
        Path bad = BundleFiles.withNetworkEntries(FIXTURE, dir.resolve("noparams.bundle"), edit(BundleArchive.COEFFICIENTS, null));
        assertOneLine(org.assertj.core.api.Assertions.catchThrowable(() -> ModelBundle.load(bad)), bad,
                "it lacks network.dl4j.zip/coefficients.bin");
    }

    @Test
    void shouldRefuseAnEntryOverTheSizeLimitBeforeReadingItWhole() throws IOException {
        Path bomb = BundleFiles.withHugeEntry(dir.resolve("bomb.bundle"), ModelBundle.NETWORK_ENTRY,
                ((long) BundleArchive.MAX_ENTRY_MB << 20) + 1);
        assertThat(Files.size(bomb)).as("compressed, it is small").isLessThan(1 << 20);
        assertOneLine(org.assertj.core.api.Assertions.catchThrowable(() -> ModelBundle.load(bomb)), bomb,
                "its entry network.dl4j.zip is larger than " + BundleArchive.MAX_ENTRY_MB + " MB");
    }

    @Test
    void shouldRefuseParametersThatDoNotMatchTheirRecordedHash() throws IOException {
        Path saved = dir.resolve("saved.bundle");
        ModelBundle.load(FIXTURE).save(saved);
        JsonNode meta = Json.MAPPER.readTree(BundleFiles.entries(Files.readAllBytes(saved)).get(ModelBundle.METADATA_ENTRY));
        assertThat(meta.get(BundleArchive.PARAMS_SHA256).asText()).as("written at save").hasSize(64);

        byte[] params = BundleFiles.entries(BundleFiles.entries(Files.readAllBytes(saved)).get(ModelBundle.NETWORK_ENTRY))
                .get(BundleArchive.COEFFICIENTS);
        byte[] altered = Arrays.copyOf(params, params.length);
        altered[altered.length - 1] ^= 0x40; // one weight's low bits: still a valid array, another model
        Path bad = BundleFiles.withNetworkEntries(saved, dir.resolve("altered.bundle"), edit(BundleArchive.COEFFICIENTS, altered));
        assertOneLine(org.assertj.core.api.Assertions.catchThrowable(() -> ModelBundle.load(bad)), bad,
                "the SHA-256 of its parameters is " + BundleArchive.sha256(altered) + ", its metadata says "
                        + meta.get(BundleArchive.PARAMS_SHA256).asText());
    }

    @Test
    void shouldSayTheNetworkConfigurationIsUnreadable() throws IOException {
        Path bad = BundleFiles.withNetworkEntries(FIXTURE, dir.resolve("conf.bundle"),
                edit(BundleArchive.CONFIGURATION, "{\"confs\": [ {\"layer\": 42".getBytes(StandardCharsets.UTF_8)));
        assertOneLine(org.assertj.core.api.Assertions.catchThrowable(() -> ModelBundle.load(bad)), bad,
                "its network configuration is unreadable");
    }

    @Test
    void shouldRoundTripAnInspectionGraphAndRefuseItsSerializedEntries() throws IOException {
        var graph = InspectionNetwork.build(1, 4, 16, 1e-3, 1);
        var meta = new InspectionBundle.Metadata(InspectionBundle.KIND, 1, "insp-test", "draem", 16, 1, 4, 3, null, "test",
                0, 0, 0, 1, 0, Map.of(), "now");
        Path file = dir.resolve("insp.bundle");
        new InspectionBundle(graph, meta).save(file);
        InspectionBundle loaded = InspectionBundle.load(file);
        assertThat(loaded.network().params().equals(graph.params())).isTrue();

        Tripwire.deserialized = false;
        Map<String, byte[]> outer = BundleFiles.entries(Files.readAllBytes(file));
        Map<String, byte[]> inner = BundleFiles.entries(outer.get("network.dl4j.zip"));
        inner.put("preprocessor.bin", Tripwire.serialized());
        outer.put("network.dl4j.zip", BundleFiles.zip(inner));
        Path bad = Files.write(dir.resolve("insp-gadget.bundle"), BundleFiles.zip(outer));
        assertThatThrownBy(() -> InspectionBundle.load(bad)).isInstanceOf(FrameGuardException.class)
                .hasMessage(bad + " is not a FrameGuard inspection bundle: its entry network.dl4j.zip/preprocessor.bin is a"
                        + " serialized Java object, which FrameGuard never deserializes (save the model again with this FrameGuard)");
        assertThat(Tripwire.deserialized).isFalse();
    }
}
