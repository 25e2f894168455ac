package io.frameguard.threshold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.frameguard.FrameGuardException;
import org.junit.jupiter.api.Test;

class ThresholdStrategyTest {
    private static final double[] NORMAL = {1, 2, 3, 4, 10};

    @Test
    void maxIsLargestScoreTimesOnePlusMargin() {
        assertThat(ThresholdStrategy.of("max", null).threshold(NORMAL)).isEqualTo(10);
        assertThat(ThresholdStrategy.of("max", 0.1).threshold(NORMAL)).isCloseTo(11, within(1e-12));
        // a margin raises a negative (log-mse) max too, rather than lowering it
        assertThat(ThresholdStrategy.of("max", 0.1).threshold(new double[] {-6, -4, -5})).isCloseTo(-3.6, within(1e-12));
    }

    @Test
    void meanStdUsesPopulationStdAndKOfThreeByDefault() {
        // mean 4, population variance (9+4+1+0+36)/5 = 10
        assertThat(ThresholdStrategy.of("mean-std", null).threshold(NORMAL)).isCloseTo(4 + 3 * Math.sqrt(10), within(1e-12));
        assertThat(ThresholdStrategy.of("mean-std", 1.0).threshold(NORMAL)).isCloseTo(4 + Math.sqrt(10), within(1e-12));
    }

    @Test
    void quantileInterpolatesBetweenOrderStatistics() {
        assertThat(ThresholdStrategy.of("quantile", 0.5).threshold(new double[] {4, 1, 3, 2})).isCloseTo(2.5, within(1e-12));
        assertThat(ThresholdStrategy.of("quantile", 1.0).threshold(NORMAL)).isEqualTo(10);
        assertThat(ThresholdStrategy.of("quantile", 0.0).threshold(NORMAL)).isEqualTo(1);
    }

    @Test
    void fixedIgnoresScoresAndNeedsAValue() {
        assertThat(ThresholdStrategy.of("fixed", 0.25).threshold(NORMAL)).isEqualTo(0.25);
        assertThatThrownBy(() -> ThresholdStrategy.of("fixed", null)).isInstanceOf(FrameGuardException.class)
                .hasMessageContaining("needs a value");
    }

    @Test
    void shouldRejectUnknownStrategyAndBadQuantile() {
        assertThatThrownBy(() -> ThresholdStrategy.of("median", null)).hasMessageContaining("unknown threshold strategy 'median'");
        assertThatThrownBy(() -> ThresholdStrategy.of("quantile", 1.5)).hasMessageContaining("[0, 1]");
    }

    @Test
    void shouldRejectEmptyNormalScores() {
        assertThatThrownBy(() -> new ThresholdStrategy.MeanStd(3).threshold(new double[0]))
                .isInstanceOf(FrameGuardException.class);
    }

    /** The names and defaults the config and the CLI document are the ones the strategies answer to. */
    @Test
    void shouldAnswerToTheNamesAndDefaultsItDocuments() {
        for (String name : ThresholdStrategy.NAMES) {
            assertThat(ThresholdStrategy.of(name, 0.5).name()).isEqualTo(name);
            assertThat(ThresholdStrategy.STRATEGIES).contains(name + " (");
            assertThat(ThresholdStrategy.PARAMETERS).contains(name + ": ");
        }
        assertThat(ThresholdStrategy.of(ThresholdStrategy.DEFAULT_NAME, null)).isEqualTo(new ThresholdStrategy.MeanStd(3));
        assertThat(ThresholdStrategy.of("max", null)).isEqualTo(new ThresholdStrategy.Max(0));
        assertThat(ThresholdStrategy.of("quantile", null)).isEqualTo(new ThresholdStrategy.Quantile(0.99));
        assertThat(ThresholdStrategy.PARAMETERS).isEqualTo("max: margin (0); mean-std: k (3); quantile: q (0.99); fixed: the threshold (required)");
    }

    @Test
    void quantileIsTheOrderStatisticsOfTheSortedWindowExactlyWithTiesAndEveryQ() {
        java.util.Random random = new java.util.Random(11);
        for (int round = 0; round < 300; round++) {
            double[] window = new double[1 + random.nextInt(5000)];
            for (int i = 0; i < window.length; i++) {
                // few distinct values in some rounds (ties), continuous ones in others
                window[i] = round % 3 == 0 ? random.nextInt(7) : random.nextGaussian();
            }
            double q = round % 5 == 0 ? random.nextInt(2) : random.nextDouble();
            double[] copy = window.clone();
            double[] sorted = window.clone();
            java.util.Arrays.sort(sorted);
            double pos = q * (sorted.length - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(lo + 1, sorted.length - 1);
            double expected = sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
            assertThat(new ThresholdStrategy.Quantile(q).threshold(window)).as("round %d, n %d, q %s", round, window.length, q)
                    .isEqualTo(expected);
            assertThat(window).as("the window is not reordered").isEqualTo(copy);
        }
    }

    @Test
    void meanStdIsTheStreamsCompensatedMeanAndDeviationToTheBit() {
        java.util.Random random = new java.util.Random(5);
        for (int round = 0; round < 300; round++) {
            double[] window = new double[1 + random.nextInt(5000)];
            for (int i = 0; i < window.length; i++) {
                // scores over many orders of magnitude, where plain and compensated sums part
                window[i] = Math.exp(random.nextGaussian() * 3) * 1e-3;
            }
            double k = 3;
            double mean = java.util.Arrays.stream(window).average().orElseThrow();
            double var = java.util.Arrays.stream(window).map(x -> (x - mean) * (x - mean)).sum() / window.length;
            assertThat(new ThresholdStrategy.MeanStd(k).threshold(window)).as("round %d, n %d", round, window.length)
                    .isEqualTo(mean + k * Math.sqrt(var));
        }
    }
}
