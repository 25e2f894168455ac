package io.frameguard.threshold;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameguard.avro.ThresholdState;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A source whose frames carry no (trusted) labels: its window learns from its own verdicts. A frame
 * over the threshold enters the window at the threshold, not at its score and not left out: left out,
 * the window held only scores under the threshold, and every recomputation lowered it (a quantile of
 * scores under t is under t) until a fifth of normal frames alarmed; at its score, anomalies would
 * raise it.
 */
class ThresholdWindowTest {
    private static final int WINDOW = 1000;
    private static final ThresholdStrategy Q99 = new ThresholdStrategy.Quantile(0.99);

    /** Normal scores: log-normal, as reconstruction errors are skewed. */
    private static double normal(Random r) {
        return Math.exp(0.5 * r.nextGaussian());
    }

    private static double[] calibration(Random r) {
        double[] c = new double[WINDOW];
        for (int i = 0; i < c.length; i++) {
            c[i] = normal(r);
        }
        return c;
    }

    /** Judges {@code n} unlabelled frames 16 at a time; returns the share flagged among the normal ones of the last half. */
    private static double[] run(double anomalyShare, int n, long seed) {
        Random r = new Random(seed);
        ThresholdState state = ThresholdWindow.warmStart("m", "cam", calibration(r), WINDOW, Q99, 0L);
        double start = state.getThreshold();
        long flaggedNormal = 0;
        long normals = 0;
        for (int done = 0; done < n; done += 16) {
            double[] scores = new double[16];
            boolean[] isAnomaly = new boolean[16];
            for (int i = 0; i < 16; i++) {
                isAnomaly[i] = r.nextDouble() < anomalyShare;
                scores[i] = isAnomaly[i] ? 20 * normal(r) : normal(r);
            }
            ThresholdWindow.Judged j = ThresholdWindow.judge(state, scores, new String[16], Set.of("good"), Q99, WINDOW, 0L);
            state = j.next();
            if (done >= n / 2) {
                for (int i = 0; i < 16; i++) {
                    if (!isAnomaly[i]) {
                        normals++;
                        flaggedNormal += j.anomaly()[i] ? 1 : 0;
                    }
                }
            }
        }
        return new double[] {(double) flaggedNormal / normals, start, state.getThreshold()};
    }

    @Test
    void shouldKeepTheFalseAlarmRateAtTheBudgetWithoutLabels() {
        double[] r = run(0, 100_000, 7);
        // it settles a little under the true quantile (about 3 % of normal frames over it at q = 0.99,
        // 2 % at 0.995, over 1.6 million frames): a dip below t is kept while enough frames alarm
        assertThat(r[0]).as("false alarms among normal frames, q = 0.99 (left out of the window: 0.63)").isBetween(0.005, 0.04);
        assertThat(r[2] / r[1]).as("threshold at the end against the calibration's").isBetween(0.75, 1.15);
    }

    @Test
    void shouldNotBeRaisedByAnomaliesNorSinkWhenTheyAreCommon() {
        double[] r = run(0.05, 100_000, 11);
        // entered at their scores, a twentieth of frames at 20x would have lifted a 0.99-quantile to about 20x
        assertThat(r[2] / r[1]).as("anomalies do not raise it").isLessThan(1.02);
        assertThat(r[0]).as("false alarms among normal frames (left out of the window: 0.61)").isBetween(0.0, 0.04);
    }

    @Test
    void shouldEnterAFlaggedUnlabelledScoreAtTheThreshold() {
        ThresholdState s = ThresholdWindow.warmStart("m", "cam", new double[] {0.1, 0.2, 0.3}, 10, new ThresholdStrategy.Max(0), 0L);
        ThresholdWindow.Judged j = ThresholdWindow.judge(s, new double[] {0.9, 0.25}, new String[2], Set.of("good"),
                new ThresholdStrategy.Max(0), 10, 0L);
        assertThat(j.anomaly()).containsExactly(true, false);
        assertThat(j.next().getWindow()).containsExactlyInAnyOrder(0.1, 0.2, 0.3, 0.3, 0.25);
        assertThat(Arrays.asList(0.9)).doesNotContainAnyElementsOf(j.next().getWindow());
    }
}
