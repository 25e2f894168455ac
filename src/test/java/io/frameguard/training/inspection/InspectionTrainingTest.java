package io.frameguard.training.inspection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.frameguard.data.Raster;
import io.frameguard.model.Calibration;
import io.frameguard.model.inspection.InspectionBundle;
import io.frameguard.model.inspection.InspectionNetwork;
import io.frameguard.model.inspection.InspectionScorer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
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

    /**
     * Calibration scores a tile as part of a larger crop: on a 64x128 image and 64x64 tiles, every crop
     * is the whole image, and every score is the largest map value of one 64-row band of the whole
     * image's map.
     */
    @Test
    void shouldScoreEachCalibrationTileWithTheImageAroundIt() {
        InspectionBundle bundle = new InspectionBundle(InspectionNetwork.build(1, 4, 64, 1e-3, 3L), new InspectionBundle.Metadata(
                InspectionBundle.KIND, InspectionBundle.FORMAT_VERSION, "draem-t-1", "draem", 64, 1, 4, 1,
                Calibration.of(new double[] {0.5}), "t", 1, 0, 0, 3L, 0, Map.of(), Instant.EPOCH.toString()));
        Random noise = new Random(5);
        Raster image = Raster.blank(64, 128, 1);
        for (int i = 0; i < image.pixels().length; i++) {
            image.pixels()[i] = noise.nextFloat();
        }
        InspectionScorer.Judgement whole = bundle.scorer(4).score(List.of(image)).get(0);
        List<Double> bands = new ArrayList<>();
        for (int y = 0; y <= 64; y++) {
            bands.add(InspectionScorer.smoothedMax(whole.map(), 64, 128, 1, 0, y, 64, 64));
        }
        double[] scores = InspectionTraining.tilesInContext(bundle, List.of(image), 64, 1, 1, new Random(1));
        assertThat(scores).hasSize(InspectionTraining.CALIBRATION_CROPS);
        for (double s : scores) {
            assertThat(bands).anySatisfy(b -> assertThat(b).isCloseTo(s, within(1e-6)));
        }
        assertThat(java.util.Arrays.stream(scores).distinct().count()).isGreaterThan(1);
        assertThat(java.util.Arrays.stream(scores).max().orElseThrow()).isLessThanOrEqualTo(whole.score() + 1e-6);
    }
}
