package io.frameguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameguard.data.Raster;
import io.frameguard.model.inspection.InspectionBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train, evaluate and score with an inspection model on folders of frames of different sizes, gray
 * and RGB, as a user on a line would run them.
 */
class InspectionCliTest {
    @TempDir
    Path dir;

    /** A ripple texture with grain; {@code defect} paints a dark 6×6 spot at (x, y). */
    static Raster surface(int w, int h, int channels, long seed, int[] defect) {
        Random random = new Random(seed);
        Raster r = Raster.blank(w, h, channels);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = 0.5 + 0.2 * Math.sin(x * 0.7 + 0.3 * y) * Math.cos(y * 0.45) + 0.05 * random.nextGaussian();
                if (defect != null && Math.abs(x - defect[0]) < 3 && Math.abs(y - defect[1]) < 3) {
                    v = 0.02;
                }
                for (int c = 0; c < channels; c++) {
                    r.set(x, y, c, (float) Math.max(0, Math.min(1, v * (1 - 0.25 * c))));
                }
            }
        }
        return r;
    }

    /** train/ok: 4 normal frames; test/ok and test/defect: 2 each, defects masked in ground_truth/. */
    Path folder(String name, int size, int channels) {
        Path root = dir.resolve(name);
        for (int i = 0; i < 4; i++) {
            surface(size, size, channels, i, null).writePng(root.resolve("train/ok/n" + i + ".png"));
        }
        for (int i = 0; i < 2; i++) {
            surface(size, size, channels, 10 + i, null).writePng(root.resolve("test/ok/n" + i + ".png"));
            int[] at = {20 + 10 * i, size - 20};
            surface(size, size, channels, 20 + i, at).writePng(root.resolve("test/defect/d" + i + ".png"));
            Raster mask = Raster.blank(size, size, 1);
            for (int y = at[1] - 2; y <= at[1] + 2; y++) {
                for (int x = at[0] - 2; x <= at[0] + 2; x++) {
                    mask.set(x, y, 0, 1);
                }
            }
            mask.writePng(root.resolve("test/ground_truth/defect/d" + i + "_mask.png"));
        }
        return root;
    }

    void trainEvaluateScore(String name, int size, int channels) throws Exception {
        Path data = folder(name, size, channels);
        Path model = dir.resolve(name + ".bundle");
        CliRun train = CliRun.of("train", "--model", "draem", "--dataset", data.toString(), "--normal", "ok", "--steps", "20",
                "--batch-size", "4", "--channels", "4", "--out", model.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.out()).contains("training draem on 80 patches of 64x64 drawn from 3 normal images (1 held out");
        assertThat(train.out()).contains(channels == 3 ? "RGB" : "gray");
        InspectionBundle bundle = InspectionBundle.load(model);
        assertThat(bundle.metadata().channels()).isEqualTo(channels);
        assertThat(bundle.metadata().tile()).isEqualTo(64);

        CliRun eval = CliRun.of("evaluate", "--model", model.toString(), "--dataset", data.toString(), "--normal", "ok",
                "--report", dir.resolve(name + "-report").toString());
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("AUROC").contains("image AUROC per label: defect").contains("pixel AUROC");
        assertThat(dir.resolve(name + "-report/index.html")).exists();

        Path frame = data.resolve("test/defect/d0.png");
        CliRun score = CliRun.of("score", "--model", model.toString(), "--diff", dir.resolve(name + "-heat").toString(),
                frame.toString());
        assertThat(score.exitCode()).as(score.err()).isZero();
        assertThat(score.out()).contains(size + "x" + size);
        assertThat(Files.list(dir.resolve(name + "-heat"))).hasSize(1);
    }

    @Test
    void shouldTrainEvaluateAndScoreSmallGrayFrames() throws Exception {
        trainEvaluateScore("gray64", 64, 1);
    }

    @Test
    void shouldTrainEvaluateAndScoreCameraSizedGrayFrames() throws Exception {
        trainEvaluateScore("gray256", 256, 1);
    }

    @Test
    void shouldKeepColourForRgbFrames() throws Exception {
        trainEvaluateScore("rgb96", 96, 3);
    }

    @Test
    void shouldRefuseAFrameSmallerThanTheTileInOneLine() throws Exception {
        Path data = folder("refuse", 64, 1);
        Path model = dir.resolve("refuse.bundle");
        assertThat(CliRun.of("train", "--model", "draem", "--dataset", data.toString(), "--normal", "ok", "--steps", "2",
                "--batch-size", "2", "--channels", "4", "--out", model.toString()).exitCode()).isZero();
        Path small = dir.resolve("small.png");
        surface(32, 32, 1, 1, null).writePng(small);
        CliRun score = CliRun.of("score", "--model", model.toString(), small.toString());
        assertThat(score.exitCode()).isNotZero();
        assertThat(score.err().strip()).isEqualTo("frameguard: " + small + " is 32x32, smaller than the model's 64x64 tile");
    }
    @Test
    void shouldJudgeTheNetworkOnValidationEveryNStepsWhenAsked() throws Exception {
        Path data = folder("curve", 64, 1);
        CliRun train = CliRun.of("train", "--model", "draem", "--dataset", data.toString(), "--normal", "ok", "--steps", "6",
                "--batch-size", "2", "--channels", "4", "--validate-every", "2", "--out", dir.resolve("curve.bundle").toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
        List<String> checkpoints = train.out().lines().filter(l -> l.matches("step \\d: validation image AUROC.*")).toList();
        // steps 2 and 4; step 6 is the last, judged by the full validation that follows training
        assertThat(checkpoints).hasSize(2);
        assertThat(checkpoints.get(0)).startsWith("step 2: validation image AUROC of the segmentation map (1x1) ");
        assertThat(checkpoints.get(1)).startsWith("step 4: ");
        for (String kind : List.of("brightness", "crack", "foreign-texture", "hole", "scratch", "smear", "spot")) {
            assertThat(checkpoints).allSatisfy(l -> assertThat(l).containsPattern(" " + kind + " \\d\\.\\d{3}"));
        }
        assertThat(checkpoints).allSatisfy(l -> assertThat(l).containsPattern("; pixel AUROC \\d\\.\\d{4}$"));

        CliRun refused = CliRun.of("train", "--model", "draem", "--dataset", data.toString(), "--normal", "ok", "--steps", "6",
                "--validate-every", "-1", "--out", dir.resolve("refused.bundle").toString());
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err().strip()).isEqualTo("frameguard: --validate-every must be 0 or more, got -1");
    }
}
