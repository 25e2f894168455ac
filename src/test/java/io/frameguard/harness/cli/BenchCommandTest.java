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
        assertThat(r.get("cpu_peak_gflops").asDouble()).isPositive();
        assertThat(run.out()).containsPattern("CPU peak \\d+ GFLOP/s \\(fp32\\) = \\d+ cores x \\d FMA units x \\d+ floats");
        assertThat(r.get("results")).hasSize(8);
        for (JsonNode x : r.get("results")) {
            assertThat(x.get("images_per_s").asDouble()).isPositive();
            assertThat(x.get("gflops").asDouble()).isPositive();
            assertThat(x.get("ceiling_ratio").asDouble()).isPositive();
            // nothing computes faster than the CPU's peak: a ratio over 1 means a wrong count or clock
            assertThat(x.get("peak_ratio").asDouble()).isStrictlyBetween(0.0, 1.0);
        }
        JsonNode last = r.get("results").get(7);
        assertThat(last.get("model").asText()).isEqualTo("conv");
        assertThat(last.get("batch").asInt()).isEqualTo(32);
        assertThat(last.get("workers").asInt()).isEqualTo(2);
    }

    /** The inspection network's frames/s, its FLOPs and share of the CPU's peak, and what a target would take. */
    @Test
    void shouldMeasureTheInspectionNetworkAgainstTheCpuPeak() {
        CliRun run = CliRun.of("bench", "inspection", "--sizes", "64", "--batches", "1", "--widths", "8", "--workers", "1,2",
                "--rounds", "1", "--round-seconds", "0.2", "--warm-up", "0.2", "--target", "100");
        assertThat(run.exitCode()).as(run.err()).isZero();
        // 64x64 at width 8: 0.307 GFLOP at 256x256 (counted by hand in FlopsTest), a sixteenth of it here
        assertThat(run.out()).containsPattern("(?m)^64x64 +8 +1 +1 +[\\d,.]+ +[\\d.]+ +0\\.019 +[\\d.]+ +\\d+\\.\\d%$");
        assertThat(run.out()).containsPattern("(?m)^64x64 +8 +1 +2 +[\\d,.]+ +[\\d.]+ +0\\.019 +[\\d.]+ +\\d+\\.\\d%$");
        assertThat(run.out()).containsPattern("width 8: 100 frames/s of 64x64 need 2 GFLOP/s, \\d+% of the CPU's peak");
    }

    @Test
    void shouldRefuseAWorkerCountBelowOneInOneLine() {
        CliRun run = CliRun.of("bench", "inspection", "--sizes", "64", "--widths", "8", "--workers", "1,0");
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("--workers takes counts of at least 1, got [1, 0]");
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
