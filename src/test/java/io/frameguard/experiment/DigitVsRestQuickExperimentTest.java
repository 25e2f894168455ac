package io.frameguard.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.frameguard.Json;
import io.frameguard.TestData;
import io.frameguard.cli.FrameGuard;
import io.frameguard.model.ModelBundle;
import io.frameguard.model.ScoreFunction;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code experiment digit-1-vs-rest --quick} end to end on real MNIST, through the CLI. */
class DigitVsRestQuickExperimentTest {
    @TempDir
    Path dir;

    @Test
    void shouldTrainEvaluateAndReportAllFourFamilies() throws Exception {
        Path json = dir.resolve("r.json");
        StringWriter out = new StringWriter();
        CommandLine cl = FrameGuard.commandLine();
        cl.setOut(new PrintWriter(out, true));
        int code = cl.execute("experiment", "digit-1-vs-rest", "--quick", "--data-dir",
                TestData.datasets().dataDir().toString(), "--out", dir.toString(), "--json", json.toString());
        assertThat(code).isZero();
        JsonNode r = Json.MAPPER.readTree(json.toFile());
        assertThat(r.get("experiment").asText()).isEqualTo("digit-1-vs-rest");
        assertThat(r.get("runs")).hasSize(4);
        for (JsonNode run : r.get("runs")) {
            assertThat(run.get("n_normal").asInt()).isEqualTo(40);
            assertThat(run.get("n_anomaly").asInt()).isEqualTo(360);
            assertThat(run.get("threshold").get("strategy").asText()).isEqualTo("mean-std");
            assertThat(run.get("auroc").asDouble()).as(run.get("model").asText()).isGreaterThan(0.9);
            assertThat(run.get("normal_accuracy").asDouble()).isBetween(0.0, 1.0);
        }
        assertThat(r.get("runs").get(0).get("model").asText()).startsWith("conv-");
        assertThat(r.get("runs").get(1).get("model").asText()).startsWith("denoising-");
        assertThat(r.get("runs").get(2).get("model").asText()).startsWith("superres-");
        JsonNode dense = r.get("runs").get(3);
        assertThat(dense.get("model").asText()).startsWith("dense-");
        assertThat(dense.get("threshold").get("value").asDouble()).as("a log-mse threshold").isNegative();
        assertThat(r.get("summary").get("best_family").asText()).isIn("conv", "denoising", "superres", "dense");
        assertThat(dir.resolve("digit-1-vs-rest/conv/report/index.html")).isNotEmptyFile();
        assertThat(dir.resolve("digit-1-vs-rest/superres/model.bundle")).isNotEmptyFile();
        // negative scores: the score distributions are drawn below zero too
        assertThat(dir.resolve("digit-1-vs-rest/dense/report/distributions.png")).isNotEmptyFile();
        ModelBundle bundle = ModelBundle.load(dir.resolve("digit-1-vs-rest/dense/model.bundle"));
        assertThat(bundle.spec().dropout()).isEqualTo(0.1);
        assertThat(bundle.metadata().scoreFunction()).isEqualTo(ScoreFunction.LOG_MSE);
        assertThat(out.toString()).contains("digit-1-vs-rest (quick): 4 run(s)");
    }
}
