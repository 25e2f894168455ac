package io.frameguard.model.inspection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.frameguard.data.Raster;
import io.frameguard.model.Calibration;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectionScorerTest {
    static InspectionBundle untrained(int channels) {
        return new InspectionBundle(InspectionNetwork.build(channels, 4, 64, 1e-3, 3L), new InspectionBundle.Metadata(
                InspectionBundle.KIND, InspectionBundle.FORMAT_VERSION, "draem-t-1", "draem", 64, channels, 4, 5,
                Calibration.of(new double[] {0.5}), "t", 1, 0, 0, 3L, 0, Map.of(), Instant.EPOCH.toString()));
    }

    static Raster noise(int w, int h, int c, long seed) {
        Random r = new Random(seed);
        Raster out = Raster.blank(w, h, c);
        for (int i = 0; i < out.pixels().length; i++) {
            out.pixels()[i] = r.nextFloat();
        }
        return out;
    }

    @Test
    void shouldTakeTheLargestMeanOfAWindowClippedAtTheBorders() {
        float[] map = new float[6 * 4];
        map[0] = 9;                 // a corner: its clipped 3x3 window holds 4 pixels
        map[2 * 6 + 3] = 6;
        map[2 * 6 + 4] = 6;
        assertThat(InspectionScorer.smoothedMax(map, 6, 4, 1)).isEqualTo(9);
        assertThat(InspectionScorer.smoothedMax(map, 6, 4, 3)).isCloseTo(9 / 4.0, within(1e-9));
        assertThat(InspectionScorer.smoothedMax(new float[24], 6, 4, 5)).isZero();
    }

    /** A region's score looks only at windows centred in it, but those windows reach the map around it. */
    @Test
    void shouldTakeARegionsLargestWindowWithTheMapAroundIt() {
        float[] map = new float[6 * 4];
        map[0] = 9;                 // outside the region below
        map[1 * 6 + 3] = 6;         // inside it
        map[1 * 6 + 5] = 3;         // just outside, in the 3x3 window of (4, 1)
        assertThat(InspectionScorer.smoothedMax(map, 6, 4, 1, 2, 1, 3, 3)).isEqualTo(6);
        assertThat(InspectionScorer.smoothedMax(map, 6, 4, 3, 2, 1, 3, 3)).isCloseTo(9 / 9.0, within(1e-9));
        assertThat(InspectionScorer.smoothedMax(map, 6, 4, 3, 0, 0, 6, 4)).isEqualTo(InspectionScorer.smoothedMax(map, 6, 4, 3));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> InspectionScorer.smoothedMax(map, 6, 4, 1, 4, 1, 3, 3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldGiveEveryFrameAMapOfItsOwnSizeAndTheSameScoreAloneOrInABatch() {
        InspectionScorer scorer = untrained(1).scorer(4);
        Raster odd = noise(70, 66, 1, 1);
        Raster big = noise(128, 96, 1, 2);
        List<InspectionScorer.Judgement> together = scorer.score(List.of(odd, big, noise(70, 66, 1, 3)));
        assertThat(together.get(0).map()).hasSize(70 * 66);
        assertThat(together.get(1).width()).isEqualTo(128);
        assertThat(together.get(1).height()).isEqualTo(96);
        assertThat(scorer.score(List.of(odd)).get(0).score()).isCloseTo(together.get(0).score(), within(1e-6));
        assertThat(together.get(0).score()).isEqualTo(InspectionScorer.smoothedMax(together.get(0).map(), 70, 66, 5));
    }

    /**
     * The scoring graph runs the last 1x1 convolution and the softmax before upsampling, folds the batch
     * normalizations into the convolutions before them and upsamples with {@link NearestUpsampling}
     * instead of DL4J's layer: same outputs.
     */
    private static final String LOG_STD = org.deeplearning4j.nn.params.BatchNormalizationParamInitializer.GLOBAL_LOG_STD;

    @Test
    void shouldGiveTheTrainedGraphsOutputsFromTheReorderedScoringGraph() {
        for (int channels : new int[] {1, 3}) {
            org.deeplearning4j.nn.graph.ComputationGraph trained = InspectionNetwork.build(channels, 4, 64, 1e-3, 7L);
            // batch normalizations as training leaves them, not at their initial identity, so that folding them shows
            org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(channels);
            for (String norm : InspectionNetwork.FOLDED.values()) {
                trained.getLayer(norm).paramTable().forEach((key, p) -> p.assign(
                        org.nd4j.linalg.factory.Nd4j.rand(p.dataType(), p.shape()).muli(key.equals(LOG_STD) ? 0.6 : 1.5)
                                .subi(key.equals(LOG_STD) ? 0.3 : 0.4)));
            }
            org.deeplearning4j.nn.graph.ComputationGraph scoring = InspectionNetwork.forScoring(trained, channels);
            assertThat(scoring).isNotSameAs(trained);
            assertThat(scoring.getLayers()).noneMatch(l -> l.getConfig() instanceof org.deeplearning4j.nn.conf.layers.Upsampling2D
                    || l.getConfig() instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization);
            assertThat(scoring.getConfiguration().getVertices().values()).filteredOn(v -> v instanceof NearestUpsampling).hasSize(4);
            org.nd4j.linalg.api.ndarray.INDArray input = RasterTensors.batch(List.of(noise(64, 80, channels, 8), noise(64, 80, channels, 9)));
            org.nd4j.linalg.api.ndarray.INDArray[] want = trained.output(false, input);
            org.nd4j.linalg.api.ndarray.INDArray[] got = scoring.output(false, input);
            assertThat(got[0].shape()).isEqualTo(want[0].shape());
            assertThat(got[0].sub(want[0]).amaxNumber().doubleValue()).isLessThan(1e-5);
            assertThat(got[1].shape()).isEqualTo(new long[] {2, 2, 40, 32});
            for (int n = 0; n < 2; n++) {
                float[] half = RasterTensors.plane(got[1], n, InspectionNetwork.ANOMALY_CHANNEL);
                float[] full = RasterTensors.plane(want[1], n, InspectionNetwork.ANOMALY_CHANNEL);
                float[] up = InspectionScorer.upsampled(half, 32, 40, 2);
                assertThat(up).hasSameSizeAs(full);
                for (int i = 0; i < full.length; i++) {
                    assertThat((double) up[i]).isCloseTo(full[i], within(1e-5));
                }
            }
        }
    }

    @Test
    void shouldScoreTheSameAfterASaveAndLoad(@TempDir Path dir) {
        InspectionBundle b = untrained(3);
        Path file = dir.resolve("m.bundle");
        b.save(file);
        assertThat(InspectionBundle.isInspectionBundle(file)).isTrue();
        InspectionBundle back = InspectionBundle.load(file);
        assertThat(back.metadata()).usingRecursiveComparison().isEqualTo(b.metadata());
        Raster frame = noise(64, 80, 3, 4);
        assertThat(back.scorer(1).score(List.of(frame)).get(0).score())
                .isCloseTo(b.scorer(1).score(List.of(frame)).get(0).score(), within(1e-6));
    }

    /** The SSIM map survives a save and load, as format 2 (older FrameGuards refuse it). */
    @Test
    void shouldKeepTheSsimMapThroughASaveAndLoad(@TempDir Path dir) {
        InspectionBundle b = untrained(1);
        InspectionBundle ssim = b.with(b.metadata().withScore(AnomalyMapKind.SSIM, 3, b.metadata().calibration()));
        Path file = dir.resolve("ssim.bundle");
        ssim.save(file);
        InspectionBundle back = InspectionBundle.load(file);
        assertThat(back.metadata().mapKind()).isEqualTo(AnomalyMapKind.SSIM);
        assertThat(back.metadata().formatVersion()).isEqualTo(InspectionBundle.FORMAT_VERSION_MAP);
        assertThat(back.metadata().smoothing()).isEqualTo(3);
        Raster frame = noise(64, 72, 1, 5);
        double score = back.scorer(1).score(List.of(frame)).get(0).score();
        assertThat(score).isCloseTo(ssim.scorer(1).score(List.of(frame)).get(0).score(), within(1e-6));
        // a different map from the segmentation's, on the same network
        assertThat(score).isNotCloseTo(b.scorer(1).score(List.of(frame)).get(0).score(), within(1e-3));
        // segmentation bundles stay format 1, which FrameGuards from before the map field read
        assertThat(b.with(b.metadata().withScore(AnomalyMapKind.SEGMENTATION, 3, b.metadata().calibration())).metadata()
                .formatVersion()).isEqualTo(InspectionBundle.FORMAT_VERSION);
    }
}
