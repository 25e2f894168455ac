package io.frameguard.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.frameguard.Json;
import io.frameguard.cli.CliRun;
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
}
