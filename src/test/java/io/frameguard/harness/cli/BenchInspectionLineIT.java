package io.frameguard.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.frameguard.Json;
import io.frameguard.TestData;
import io.frameguard.cli.CliRun;
import io.frameguard.data.Raster;
import io.frameguard.data.SkimagePhotos;
import io.frameguard.training.inspection.InspectionTrainer;
import io.frameguard.training.inspection.InspectionTraining;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smoke run of {@code bench inspection --line-rate}: the inspection line's frames through a real
 * embedded broker and detector, every measured frame scored and its latency in the JSON contract.
 * A model of a few steps: the bench measures time, not quality.
 */
class BenchInspectionLineIT {
    @Test
    void shouldOfferTheInspectionLineAtARateAndReadEveryMeasuredScoreBack(@TempDir Path dir) throws Exception {
        Path data = TestData.skimage();
        Raster gravel = SkimagePhotos.read(data, "gravel");
        Path model = dir.resolve("line.bundle");
        InspectionTraining.run(List.of(gravel.crop(0, 0, 512, 256)), 1, new InspectionTrainer.Options(64, 8, 20, 4, 2e-3, 42L),
                "gravel-top", InspectionTraining.syntheticValidation(List.of(gravel.crop(0, 256, 512, 102)), 64, 2, 7),
                new PrintWriter(Writer.nullWriter())).save(model);
        Path json = dir.resolve("line.json");
        CliRun run = CliRun.of("bench", "inspection", "--sizes", "64", "--batches", "1", "--widths", "8", "--rounds", "1",
                "--round-seconds", "0.2", "--warm-up", "0.2", "--line-rate", "4", "--line-seconds", "2", "--model", model.toString(),
                "--data-dir", data.toString(), "--json", json.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("inspection line, 256x256 frames offered at 4 frames/s for 2 s \\(after 2 s not"
                + " counted\\), detector in this process: capture->score p50 [\\d.]+ ms, p95 [\\d.]+ ms, p99 [\\d.]+ ms; 8 of 8"
                + " measured frames scored\n");
        JsonNode line = Json.MAPPER.readTree(json.toFile()).get("line");
        assertThat(line.get("offered").asLong()).isEqualTo(8);
        assertThat(line.get("scored").asLong()).isEqualTo(8);
        assertThat(line.get("frame_side").asInt()).isEqualTo(256);
        assertThat(line.get("latency").get("p99").asDouble()).isPositive();
    }
}
