package io.frameguard.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MetricsTest {
    private static final double EPS = 1e-12;

    @Test
    void aurocIsOneWhenEveryAnomalyOutscoresEveryNormal() {
        assertThat(Metrics.auroc(new double[] {0.1, 0.2, 0.9, 0.8}, new boolean[] {false, false, true, true}))
                .isCloseTo(1.0, within(EPS));
    }

    @Test
    void aurocCountsPairsByHand() {
        // normals 0.1, 0.4; anomalies 0.35, 0.8: pairs (a>n): 0.35>0.1, 0.8>0.1, 0.8>0.4 = 3 of 4.
        double[] s = {0.1, 0.4, 0.35, 0.8};
        boolean[] a = {false, false, true, true};
        assertThat(Metrics.auroc(s, a)).isCloseTo(0.75, within(EPS));
    }

    @Test
    void aurocCountsTiesAsHalf() {
        // one normal and one anomaly tied, plus a clean pair: (1 + 0.5 + 1 + 1) / 4 pairs.
        double[] s = {0.5, 0.5, 0.1, 0.9};
        boolean[] a = {false, true, false, true};
        assertThat(Metrics.auroc(s, a)).isCloseTo(0.875, within(EPS));
    }

    @Test
    void aurocIsUndefinedWithOneClass() {
        assertThat(Metrics.auroc(new double[] {1, 2}, new boolean[] {false, false})).isNaN();
    }

    @Test
    void auprcIsAveragePrecisionByHand() {
        // ranked: 0.9 A, 0.8 N, 0.7 A, 0.1 N -> AP = 0.5*1 + 0.5*(2/3).
        double[] s = {0.9, 0.8, 0.7, 0.1};
        boolean[] a = {true, false, true, false};
        assertThat(Metrics.auprc(s, a)).isCloseTo(0.5 + 1.0 / 3, within(EPS));
    }

    @Test
    void auprcTreatsTiedScoresAsOneStep() {
        // 0.9 A and 0.9 N tied: precision 1/2 at recall 1/2; then 0.5 A: precision 2/3 at recall 1.
        double[] s = {0.9, 0.9, 0.5};
        boolean[] a = {true, false, true};
        assertThat(Metrics.auprc(s, a)).isCloseTo(0.5 * 0.5 + 0.5 * (2.0 / 3), within(EPS));
    }

    @Test
    void f1MaxPicksTheBestCut() {
        // cut after 0.9: P=1, R=1/2 -> F1 2/3; after 0.7: P=2/3, R=1 -> F1 0.8.
        double[] s = {0.9, 0.8, 0.7, 0.1};
        boolean[] a = {true, false, true, false};
        assertThat(Metrics.f1Max(s, a)).isCloseTo(0.8, within(EPS));
    }

    @Test
    void rocCurveRunsFromOriginToOneOne() {
        double[][] roc = Metrics.rocCurve(new double[] {0.1, 0.9, 0.5}, new boolean[] {false, true, false});
        assertThat(roc[0]).containsExactly(0, 0);
        assertThat(roc[roc.length - 1]).containsExactly(1, 1);
        assertThat(roc[1]).containsExactly(0, 1);
    }
}
