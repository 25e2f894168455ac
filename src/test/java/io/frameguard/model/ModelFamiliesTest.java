package io.frameguard.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameguard.TestData;
import io.frameguard.data.ImageSet;
import io.frameguard.data.KnownDataset.Split;
import io.frameguard.evaluation.Metrics;
import io.frameguard.training.Trainer;
import io.frameguard.training.TrainingOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every family, trained briefly on real MNIST 1s, ranks obvious anomalies above normal 1s. */
class ModelFamiliesTest {

    @ParameterizedTest
    @EnumSource(ModelFamily.class)
    void shouldRankNoiseAndOtherDigitsAboveNormalOnes(ModelFamily family) {
        ImageSet ones = TestData.mnist(Split.TRAIN).filter("1"::equals).head(800);
        ImageSet test = TestData.mnist(Split.TEST);
        ImageSet normal = test.filter("1"::equals).head(100);
        ImageSet zeros = test.filter("0"::equals).head(100);
        ImageSet noise = noise(50, test.width(), test.height());
        ModelSpec spec = ModelSpec.defaults(family);
        TrainingOptions options = new TrainingOptions(3, 64, 0.1, 3, false);
        ModelBundle bundle = new Trainer(new PrintWriter(new StringWriter())).train(spec, options, ones, "mnist", List.of("1"));

        Scorer scorer = new Scorer(bundle);
        double[] n = scorer.scoreAll(normal, 256);
        assertThat(auroc(n, scorer.scoreAll(noise, 256))).as("%s: 1s vs noise", family).isGreaterThan(0.99);
        assertThat(auroc(n, scorer.scoreAll(zeros, 256))).as("%s: 1s vs 0s", family).isGreaterThan(0.95);
        assertThat(bundle.metadata().calibration().count()).isEqualTo(80);
        assertThat(bundle.metadata().scoreFunction()).isEqualTo(family.defaultScore());
    }

    static ImageSet noise(int count, int w, int h) {
        byte[] px = new byte[count * w * h];
        new Random(7).nextBytes(px);
        String[] labels = IntStream.range(0, count).mapToObj(i -> "noise").toArray(String[]::new);
        return new ImageSet("noise", w, h, px, labels);
    }

    static double auroc(double[] normal, double[] anomalous) {
        double[] s = new double[normal.length + anomalous.length];
        boolean[] a = new boolean[s.length];
        System.arraycopy(normal, 0, s, 0, normal.length);
        System.arraycopy(anomalous, 0, s, normal.length, anomalous.length);
        for (int i = normal.length; i < s.length; i++) {
            a[i] = true;
        }
        return Metrics.auroc(s, a);
    }
}
