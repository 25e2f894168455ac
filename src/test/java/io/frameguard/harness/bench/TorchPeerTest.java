package io.frameguard.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.frameguard.Json;
import io.frameguard.TestData;
import io.frameguard.data.ImageSet;
import io.frameguard.data.KnownDataset.Split;
import io.frameguard.model.ModelBundle;
import io.frameguard.model.ModelFamily;
import io.frameguard.model.ModelSpec;
import io.frameguard.training.Versions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dense export and the PyTorch peer that reads it: same network, same outputs on real MNIST. */
class TorchPeerTest {
    private static final int IMAGES = 16;
    private final ImageSet mnist = TestData.mnist(Split.TEST).head(IMAGES);

    @Test
    void shouldExportEveryDenseLayerWithItsShapeAndActivation(@TempDir Path dir) throws Exception {
        ModelBundle bundle = ModelBundle.untrained(ModelSpec.defaults(ModelFamily.DENSE), Versions.current());
        DenseExport.write(bundle, pixels(), dir);
        JsonNode manifest = Json.MAPPER.readTree(dir.resolve("manifest.json").toFile());
        JsonNode layers = manifest.get("layers");
        assertThat(layers).hasSize(7);
        int[] widths = {784, 256, 128, 32, 128, 256, 784};
        for (int i = 0; i < 6; i++) {
            JsonNode l = layers.get(i);
            assertThat(l.get("inputs").asInt()).isEqualTo(widths[i]);
            assertThat(l.get("outputs").asInt()).isEqualTo(widths[i + 1]);
            assertThat(l.get("activation").asText()).isEqualTo(i < 5 ? "relu" : "sigmoid");
            assertThat(Files.size(dir.resolve(l.get("weights").asText()))).isEqualTo(4L * widths[i] * widths[i + 1]);
            assertThat(Files.size(dir.resolve(l.get("bias").asText()))).isEqualTo(4L * widths[i + 1]);
        }
        assertThat(layers.get(6).get("activation").asText()).isEqualTo("identity");
        assertThat(manifest.get("check").get("images").asInt()).isEqualTo(IMAGES);
        assertThat(Files.size(dir.resolve("check-outputs.f32"))).isEqualTo(4L * IMAGES * 784);
    }

    @Test
    void shouldReconstructMnistInPyTorchAsFrameGuardDoes() {
        assertPeerAgrees(ModelBundle.untrained(ModelSpec.defaults(ModelFamily.DENSE), Versions.current()));
    }

    @Test
    void shouldReconstructMnistInPyTorchAsTheTrainedFixtureDoes() {
        assertPeerAgrees(ModelBundle.load(TestData.FIXTURE_BUNDLE));
    }

    /** One BLAS thread in every case; glibc's malloc thresholds added to tunables already set, or glibc's defaults. */
    @Test
    void shouldGiveThePeersOneThreadAndTheMallocThresholds() {
        Map<String, String> env = new HashMap<>(Map.of("GLIBC_TUNABLES", "glibc.malloc.arena_max=2"));
        TorchPeer.environment(env, true);
        assertThat(env).containsEntry("OMP_NUM_THREADS", "1").containsEntry("OPENBLAS_NUM_THREADS", "1")
                .containsEntry("GLIBC_TUNABLES", "glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=33554432"
                        + ":glibc.malloc.trim_threshold=134217728");
        Map<String, String> plain = new HashMap<>(Map.of("GLIBC_TUNABLES", "glibc.malloc.arena_max=2", "MALLOC_TOP_PAD_", "1",
                "PATH", "/usr/bin"));
        TorchPeer.environment(plain, false);
        assertThat(plain).containsOnlyKeys("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "PATH");
    }

    private void assertPeerAgrees(ModelBundle bundle) {
        String why = TorchPeer.unavailable();
        assumeThat(why).as("PyTorch peer unavailable: %s", why).isNull();
        try (TorchPeer.Session session = TorchPeer.start(bundle, pixels())) {
            assertThat(session.checkedImages()).isEqualTo(IMAGES);
            assertThat(session.maxAbsDiff()).isLessThan(1e-5);
            assertThat(session.threads()).isEqualTo(1);
            // rounds asked for one at a time, at any batch, in any order
            assertThat(session.round(32, 0.05)).isPositive();
            assertThat(session.round(1, 0.05)).isPositive();
            assertThat(session.round(32, 0.05)).isPositive();
        }
    }

    private byte[] pixels() {
        return Arrays.copyOf(mnist.pixels(), IMAGES * 784);
    }
}
