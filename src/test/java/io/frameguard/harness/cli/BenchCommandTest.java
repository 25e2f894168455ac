package io.frameguard.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.frameguard.Json;
import io.frameguard.cli.CliRun;
import io.frameguard.harness.bench.TorchPeer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke run of the scoring benchmark: it keeps working and writes its JSON contract; no speed is judged. */
class BenchCommandTest {
    @Test
    void shouldMeasureScoringAndWriteTheJsonContract(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        CliRun run = CliRun.of("bench", "scoring", "--quick", "--families", "dense,conv", "--batches", "1,32",
                "--workers", "1,2", "--json", json.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode r = Json.MAPPER.readTree(json.toFile());
        assertThat(r.get("sgemm_gflops_1t").asDouble()).isPositive();
        assertThat(r.get("sgemm_gflops_2t").asDouble()).isPositive();
        assertThat(r.get("results")).hasSize(8);
        for (JsonNode x : r.get("results")) {
            assertThat(x.get("images_per_s").asDouble()).isPositive();
            assertThat(x.get("gflops").asDouble()).isPositive();
            assertThat(x.get("ceiling_ratio").asDouble()).isPositive();
        }
        JsonNode last = r.get("results").get(7);
        assertThat(last.get("model").asText()).isEqualTo("conv");
        assertThat(last.get("batch").asInt()).isEqualTo(32);
        assertThat(last.get("workers").asInt()).isEqualTo(2);
    }

    /** With --peer, PyTorch's rows and ratios beside FrameGuard's, or one line saying why they are skipped. */
    @Test
    void shouldPrintThePyTorchPeerBesideDenseScoringOrSayWhyNot(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        CliRun run = CliRun.of("bench", "scoring", "--quick", "--families", "dense", "--batches", "1,32", "--workers", "1",
                "--peer", "--json", json.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode peer = Json.MAPPER.readTree(json.toFile()).get("peer");
        if (TorchPeer.unavailable() != null) {
            assertThat(run.out()).contains("PyTorch peer skipped: ");
            assertThat(peer.get("skipped").asText()).isNotEmpty();
            return;
        }
        assertThat(run.out()).contains("PyTorch peer: torch ").contains("FG/PyTorch");
        assertThat(run.out()).containsPattern("(?m)^dense +1 +\\d+ +\\d+ .* \\d+\\.\\d\\dx$");
        assertThat(run.out()).containsPattern("(?m)^dense +32 +\\d+ +\\d+ .* \\d+\\.\\d\\dx$");
        assertThat(peer.get("max_abs_diff").asDouble()).isLessThan(1e-5);
        assertThat(peer.get("rows")).hasSize(2);
        for (JsonNode row : peer.get("rows")) {
            assertThat(row.get("pytorch_images_per_s").asDouble()).isPositive();
            assertThat(row.get("frameguard_per_pytorch").asDouble()).isPositive();
        }
    }
}
