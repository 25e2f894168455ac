package io.frameguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.frameguard.Json;
import io.frameguard.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's contract with its users: outputs, JSON, and one-line errors with exit code 1. */
class FrameGuardCliTest {
    static final String FIXTURE = TestData.FIXTURE_BUNDLE.toString();

    @TempDir
    Path dir;

    String dataDir() {
        return TestData.datasets().dataDir().toString();
    }

    @Test
    void shouldExplainEveryCommandWithHelp() {
        for (String cmd : new String[] {"data", "train", "evaluate", "score", "experiment", "demo", "serve", "produce",
                "alerts", "replay", "bench", "chaos", "config-reference"}) {
            CliRun run = CliRun.of(cmd, "--help");
            assertThat(run.exitCode()).as(cmd).isZero();
            assertThat(run.out()).as(cmd).startsWith("Usage: frameguard " + cmd);
        }
    }

    @Test
    void shouldEvaluateAndWriteTheJsonContract() throws IOException {
        Path json = dir.resolve("eval.json");
        Path report = dir.resolve("report");
        CliRun run = CliRun.of("evaluate", "--data-dir", dataDir(), "--model", FIXTURE, "--normal", "1",
                "--threshold", "quantile", "--threshold-param", "0.99", "--json", json.toString(), "--report", report.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("AUROC").contains("normal accuracy");
        JsonNode r = Json.MAPPER.readTree(json.toFile());
        assertThat(r.has("experiment")).as("experiment: null, not left out").isTrue();
        assertThat(r.get("experiment").isNull()).isTrue();
        for (String key : new String[] {"model", "dataset", "normal", "n_normal", "n_anomaly", "auroc", "auprc", "f1_max",
                "threshold", "normal_accuracy", "anomaly_accuracy", "per_label", "timings"}) {
            assertThat(r.has(key)).as(key).isTrue();
        }
        assertThat(r.get("n_normal").asInt()).isEqualTo(1135);
        assertThat(r.get("n_anomaly").asInt()).isEqualTo(8865);
        assertThat(r.get("auroc").asDouble()).isGreaterThan(0.9);
        assertThat(r.get("threshold").get("strategy").asText()).isEqualTo("quantile");
        assertThat(r.get("per_label").get("1").get("n").asInt()).isEqualTo(1135);
        assertThat(r.get("timings").get("score_images_per_s").asDouble()).isPositive();
        for (String f : new String[] {"index.html", "roc.png", "distributions.png", "scores.png", "flagged.png",
                "worst-normal.png", "grid-median.png"}) {
            assertThat(report.resolve(f)).as(f).isNotEmptyFile();
        }
    }

    @Test
    void shouldScoreImageFilesWithVerdictAndDifferenceStrips() throws IOException {
        Path png = dir.resolve("blank.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY),
                "png", png.toFile());
        CliRun run = CliRun.of("score", "--model", FIXTURE, "--diff", dir.resolve("diff").toString(), png.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains(png.toString()).containsAnyOf("normal", "ANOMALY");
        assertThat(dir.resolve("diff/blank.png-diff.png")).isNotEmptyFile();
    }

    @Test
    void shouldFailWithOneLineForUnknownFamily() {
        CliRun run = CliRun.of("train", "--data-dir", dataDir(), "--model", "resnet", "--normal", "1", "--out",
                dir.resolve("x.bundle").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo(
                "frameguard: unknown model family 'resnet'; known: [dense, shallow, conv, denoising, superres, vae]");
        assertThat(dir.resolve("x.bundle")).doesNotExist();
    }

    @Test
    void shouldFailWithOneLineForNormalLabelAbsentFromData() {
        CliRun run = CliRun.of("train", "--data-dir", dataDir(), "--model", "dense", "--normal", "42", "--out",
                dir.resolve("x.bundle").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("frameguard: label '42' does not occur in mnist/train").hasLineCount(1);
    }

    @Test
    void shouldFailWithOneLineForAFileThatIsNotABundle() throws IOException {
        Path bogus = Files.writeString(dir.resolve("bogus.bundle"), "not a model");
        CliRun run = CliRun.of("evaluate", "--data-dir", dataDir(), "--model", bogus.toString(), "--normal", "1");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("is not a FrameGuard model bundle").hasLineCount(1);
    }

    @Test
    void shouldPrintStackTraceOnlyWithVerbose() throws IOException {
        Path bogus = Files.writeString(dir.resolve("bogus.bundle"), "not a model");
        CliRun run = CliRun.of("evaluate", "--verbose", "--model", bogus.toString(), "--normal", "1");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("at io.frameguard.model.ModelBundle.load");
    }

    @Test
    void shouldNameTheCorruptIdxFile() throws IOException {
        Path data = dir.resolve("data/mnist");
        Files.createDirectories(data);
        Files.write(data.resolve("train-images-idx3-ubyte"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        CliRun run = CliRun.of("train", "--data-dir", dir.resolve("data").toString(), "--model", "dense", "--normal", "1",
                "--out", dir.resolve("x.bundle").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("train-images-idx3-ubyte is not an IDX image file").hasLineCount(1);
    }

    @Test
    void shouldFailWithOneLineForAnEmptyImageFolder() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        CliRun run = CliRun.of("train", "--dataset", empty.toString(), "--model", "dense", "--normal", "1",
                "--out", dir.resolve("x.bundle").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("holds no image files").hasLineCount(1);
    }

    @Test
    void shouldTrainFromAnImageFolderWithLabelSubfolders() throws IOException {
        var mnist = TestData.mnist(io.frameguard.data.KnownDataset.Split.TRAIN).filter("1"::equals).head(40);
        for (int i = 0; i < mnist.size(); i++) {
            Path f = dir.resolve("imgs/1/" + i + ".png");
            io.frameguard.data.ImageFiles.writePng(io.frameguard.data.ImageFiles.fromGray(mnist.image(i), 28, 28), f);
        }
        Path out = dir.resolve("folder.bundle");
        CliRun run = CliRun.of("train", "--dataset", dir.resolve("imgs").toString(), "--model", "shallow", "--normal",
                "1", "--epochs", "1", "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(out).isNotEmptyFile();
        assertThat(run.out()).contains("training shallow on 40 normal images");
    }
}
