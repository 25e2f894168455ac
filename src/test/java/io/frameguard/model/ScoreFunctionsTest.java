package io.frameguard.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.frameguard.FrameGuardException;
import io.frameguard.TestData;
import io.frameguard.data.ImageSet;
import io.frameguard.data.KnownDataset.Split;
import io.frameguard.training.Trainer;
import io.frameguard.training.TrainingOptions;
import io.frameguard.training.Versions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The score functions beyond a family's default: their arithmetic, their training and their bundles. */
class ScoreFunctionsTest {
    @TempDir
    Path dir;

    private final ImageSet test = TestData.mnist(Split.TEST).head(40);

    @Test
    void shouldScoreSquaredErrorPerUnitOfInk() {
        ModelBundle fixture = ModelBundle.load(TestData.FIXTURE_BUNDLE);
        ModelBundle perInk = new ModelBundle(fixture.network(), withScore(fixture.metadata(), ScoreFunction.MSE_PER_INK));
        Preprocessing prep = fixture.metadata().preprocessing();
        INDArray input = prep.toInput(test.pixels(), 0, test.size());
        float[][] x = input.toFloatMatrix();
        float[][] reconstruction = new Scorer(fixture).reconstruct(input).toFloatMatrix();

        double[] scores = new Scorer(perInk).score(input);
        for (int i = 0; i < test.size(); i++) {
            double squared = 0;
            double ink = 0;
            for (int p = 0; p < x[i].length; p++) {
                squared += (x[i][p] - reconstruction[i][p]) * (double) (x[i][p] - reconstruction[i][p]);
                ink += x[i][p];
            }
            assertThat(scores[i]).as("image %d", i).isCloseTo(squared / (ink + 1), within(1e-4 * scores[i]));
        }
    }

    @Test
    void shouldScoreTheLogOfTheMeanSquaredError() {
        ModelBundle fixture = ModelBundle.load(TestData.FIXTURE_BUNDLE);
        ModelBundle mse = new ModelBundle(fixture.network(), withScore(fixture.metadata(), ScoreFunction.MSE));
        ModelBundle log = new ModelBundle(fixture.network(), withScore(fixture.metadata(), ScoreFunction.LOG_MSE));
        double[] plain = new Scorer(mse).scoreAll(test, 16);
        double[] logs = new Scorer(log).scoreAll(test, 16);
        for (int i = 0; i < test.size(); i++) {
            assertThat(logs[i]).as("image %d", i).isCloseTo(Math.log(plain[i] + 1e-6), within(1e-5));
        }
    }

    @Test
    void shouldScoreLatentKnnAsTheMeanDistanceToTheFiveNearestTrainingCodes() {
        ModelBundle vae = ModelBundle.untrained(ModelSpec.defaults(ModelFamily.VAE), Versions.current());
        Preprocessing prep = vae.metadata().preprocessing();
        ImageSet references = TestData.mnist(Split.TRAIN).head(300);
        INDArray codes = new Scorer(vae).encode(prep.toInput(references.pixels(), 0, references.size()));
        ModelBundle knn = new ModelBundle(vae.network(), withScore(vae.metadata(), ScoreFunction.LATENT_KNN), codes);

        INDArray input = prep.toInput(test.pixels(), 0, test.size());
        float[][] q = new Scorer(vae).encode(input).toFloatMatrix();
        float[][] r = codes.toFloatMatrix();
        double[] scores = new Scorer(knn).score(input);
        for (int i = 0; i < q.length; i++) {
            double[] d = new double[r.length];
            for (int j = 0; j < r.length; j++) {
                for (int c = 0; c < q[i].length; c++) {
                    d[j] += (q[i][c] - r[j][c]) * (double) (q[i][c] - r[j][c]);
                }
                d[j] = Math.sqrt(d[j]);
            }
            Arrays.sort(d);
            double expected = (d[0] + d[1] + d[2] + d[3] + d[4]) / 5;
            assertThat(scores[i]).as("image %d", i).isCloseTo(expected, within(1e-3 * expected));
        }
    }

    @Test
    void shouldTrainALatentKnnVaeThatKeepsItsTrainingCodesAcrossSaveAndLoad() {
        ImageSet ones = TestData.mnist(Split.TRAIN).filter("1"::equals).head(800);
        ModelBundle bundle = new Trainer(new PrintWriter(new StringWriter())).train(ModelSpec.defaults(ModelFamily.VAE),
                ScoreFunction.LATENT_KNN, new TrainingOptions(3, 64, 0.1, 3, false), ones, "mnist", List.of("1"));
        assertThat(bundle.metadata().scoreFunction()).isEqualTo(ScoreFunction.LATENT_KNN);
        assertThat(bundle.referenceCodes().shape()).containsExactly(720, 16);

        Path file = dir.resolve("knn.bundle");
        bundle.save(file);
        ModelBundle loaded = ModelBundle.load(file);
        assertThat(loaded.referenceCodes().toFloatMatrix()).isDeepEqualTo(bundle.referenceCodes().toFloatMatrix());
        assertThat(new Scorer(loaded).scoreAll(test, 16)).containsExactly(new Scorer(bundle).scoreAll(test, 16));

        ImageSet normal = TestData.mnist(Split.TEST).filter("1"::equals).head(100);
        ImageSet zeros = TestData.mnist(Split.TEST).filter("0"::equals).head(100);
        Scorer scorer = new Scorer(loaded);
        assertThat(ModelFamiliesTest.auroc(scorer.scoreAll(normal, 64), scorer.scoreAll(zeros, 64)))
                .as("1s vs 0s").isGreaterThan(0.95);
    }

    @Test
    void shouldRejectALatentKnnBundleWithoutItsCodes() throws IOException {
        ImageSet ones = TestData.mnist(Split.TRAIN).filter("1"::equals).head(200);
        Path file = dir.resolve("knn.bundle");
        new Trainer(new PrintWriter(new StringWriter())).train(ModelSpec.defaults(ModelFamily.VAE),
                ScoreFunction.LATENT_KNN, new TrainingOptions(1, 64, 0.1, 1, false), ones, "mnist", List.of("1"))
                .save(file);
        Path stripped = dir.resolve("stripped.bundle");
        try (InputStream in = Files.newInputStream(file); ZipInputStream zin = new ZipInputStream(in);
             OutputStream out = Files.newOutputStream(stripped); ZipOutputStream zout = new ZipOutputStream(out)) {
            for (ZipEntry e; (e = zin.getNextEntry()) != null; ) {
                if (!e.getName().equals(ModelBundle.CODES_ENTRY)) {
                    zout.putNextEntry(new ZipEntry(e.getName()));
                    zin.transferTo(zout);
                }
            }
        }
        assertThatThrownBy(() -> ModelBundle.load(stripped)).isInstanceOf(FrameGuardException.class)
                .hasMessage(stripped + " is not a FrameGuard model bundle: it is scored by latent-knn but lacks "
                        + "reference-codes.npy");
    }

    @Test
    void shouldRefuseAScoreFunctionThatDoesNotFitTheFamily() {
        ImageSet ones = TestData.mnist(Split.TRAIN).filter("1"::equals).head(100);
        assertThatThrownBy(() -> new Trainer(new PrintWriter(new StringWriter())).train(
                ModelSpec.defaults(ModelFamily.DENSE), ScoreFunction.LATENT_KNN, new TrainingOptions(1, 64, 0.1, 1, false),
                ones, "mnist", List.of("1")))
                .isInstanceOf(FrameGuardException.class)
                .hasMessage("score function latent-knn does not apply to dense models; use one of [mse, mae, log-mse, mse-per-ink]");
    }

    private static BundleMetadata withScore(BundleMetadata m, ScoreFunction score) {
        return new BundleMetadata(m.formatVersion(), m.modelId(), m.spec(), m.preprocessing(), score, m.calibration(),
                m.training(), m.versions(), m.createdAt());
    }
}
