package io.frameguard.training.inspection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How draem's anomaly map and its smoothing are chosen on validation: margins of the AUROC's standard error. */
class InspectionTrainingTest {

    static List<String> labels(int good, int defects) {
        List<String> l = new ArrayList<>(Collections.nCopies(good, "good"));
        l.addAll(Collections.nCopies(defects, "scratch"));
        return l;
    }

    @Test
    void shouldGiveHanleyAndMcNeilsStandardError() {
        // A = 0.5, 70 good and 70 defects: Q1 = Q2 = 1/3, SE² = (0.25 + 2·69·(1/3 − 1/4)) / 4900
        assertThat(InspectionTraining.aurocStandardError(0.5, labels(70, 70))).isCloseTo(0.04897, within(1e-5));
        // more validation images, a smaller margin; a near-perfect AUROC, almost none
        assertThat(InspectionTraining.aurocStandardError(0.5, labels(700, 700))).isLessThan(0.016);
        assertThat(InspectionTraining.aurocStandardError(0.999, labels(70, 70))).isLessThan(0.005);
    }

    @Test
    void shouldChooseTheLeastSmoothingThatValidationCannotTellFromTheBest() {
        // the demo's gravel validation: 9x9 best by 0.0025, one standard error 0.04: no smoothing
        assertThat(InspectionTraining.leastWithin(new double[] {0.7571, 0.7580, 0.7584, 0.7596, 0.7582}, 0.04)).isZero();
        // a clear winner is kept
        assertThat(InspectionTraining.leastWithin(new double[] {0.80, 0.85, 0.95, 0.90, 0.88}, 0.02)).isEqualTo(2);
        assertThat(InspectionTraining.leastWithin(new double[] {0.80, 0.85, 0.90, 0.91, 0.95}, 0.02)).isEqualTo(4);
    }

    @Test
    void shouldRateEachDefectKindAgainstTheGoodImagesAlone() {
        // good 0.1 and 0.2; both spots above them; of the smears one above both, one between, one below
        List<String> labels = List.of("good", "good", "spot", "spot", "smear", "smear", "smear");
        double[] scores = {0.1, 0.2, 0.9, 0.8, 0.95, 0.15, 0.05};
        // sorted by name; the smears outrank a good image in 2 + 1 + 0 of their 6 pairs
        assertThat(InspectionTraining.byKind(scores, labels)).isEqualTo(" smear 0.500 spot 1.000");
        assertThat(InspectionTraining.byKind(new double[] {0.1, 0.2}, List.of("good", "good"))).isEmpty();
    }
}
