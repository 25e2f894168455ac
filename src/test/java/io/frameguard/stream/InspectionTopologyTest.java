package io.frameguard.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameguard.avro.AnomalyEvent;
import io.frameguard.avro.BoundingBox;
import io.frameguard.avro.Encoding;
import io.frameguard.avro.FrameScore;
import io.frameguard.avro.ImageFrame;
import io.frameguard.data.ImageFiles;
import io.frameguard.model.Calibration;
import io.frameguard.model.inspection.InspectionBundle;
import io.frameguard.model.inspection.InspectionNetwork;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The topology with a real (untrained) inspection network: frames of any size at least the tile
 * are scored whole, regions come back in frame coordinates, and frames the model cannot take are
 * dead-lettered with their reason.
 */
class InspectionTopologyTest {
    static final int TILE = 64;

    static InspectionBatchScorer model(int channels) {
        InspectionBundle.Metadata meta = new InspectionBundle.Metadata(InspectionBundle.KIND, InspectionBundle.FORMAT_VERSION,
                "draem-test-1", "draem", TILE, channels, 4, 5, Calibration.of(new double[] {0.1, 0.2, 0.3}), "test", 1, 0, 0, 1L,
                0, Map.of(), Instant.EPOCH.toString());
        return new InspectionBatchScorer(new InspectionBundle(InspectionNetwork.build(channels, 4, TILE, 1e-3, 1L), meta));
    }

    /** Every frame is flagged: a fixed threshold below any probability. */
    static Map<String, String> flagEverything() {
        return Map.of("batch.size", "2", "linger.ms", "50", "threshold.strategy", "fixed", "threshold.param", "-1");
    }

    static ImageFrame frame(String id, int w, int h, int channels, long seed) {
        byte[] px = new byte[w * h * channels];
        new Random(seed).nextBytes(px);
        return ImageFrame.newBuilder().setFrameId(id).setSourceId("cam-1").setCaptureTime(Instant.ofEpochMilli(1000))
                .setWidth(w).setHeight(h).setChannels(channels).setEncoding(Encoding.RAW_U8).setPixels(ByteBuffer.wrap(px)).build();
    }

    @Test
    void shouldScoreFramesOfAnySizeAtLeastTheTileAndGiveRegionsInFrameCoordinates() throws Exception {
        try (TopologyFixture t = new TopologyFixture(model(1), flagEverything())) {
            t.send(frame("big", 256, 192, 1, 1));
            t.send(frame("odd", 70, 66, 1, 2));
            t.driver.advanceWallClockTime(Duration.ofMillis(100));
            assertThat(t.scores.readValuesToList()).extracting(FrameScore::getFrameId).containsExactly("big", "odd");
            List<AnomalyEvent> events = t.anomalies.readValuesToList();
            assertThat(events).hasSize(2);
            AnomalyEvent big = events.get(0);
            assertThat(big.getFrameWidth()).isEqualTo(256);
            assertThat(big.getFrameHeight()).isEqualTo(192);
            assertThat(big.getRegions()).isNotEmpty().hasSizeLessThanOrEqualTo(io.frameguard.model.ErrorRegion.MAX_REGIONS);
            assertThat(big.getBbox()).isEqualTo(big.getRegions().get(0));
            for (BoundingBox b : big.getRegions()) {
                assertThat(b.getX()).isBetween(0, 255);
                assertThat(b.getY()).isBetween(0, 191);
                assertThat(b.getX() + b.getWidth()).isLessThanOrEqualTo(256);
                assertThat(b.getY() + b.getHeight()).isLessThanOrEqualTo(192);
            }
            var heat = ImageIO.read(new ByteArrayInputStream(FrameValidator.bytes(big.getAnomalyMap())));
            assertThat(heat.getWidth()).isEqualTo(256);
            assertThat(heat.getHeight()).isEqualTo(192);
            assertThat(events.get(1).getFrameWidth()).isEqualTo(70);
        }
    }

    /**
     * The calibration is of tile-sized crops, and a frame's score is the maximum of its map: a camera
     * of 256×256 frames (16 tiles) starts from the calibration scaled to its area, one of 64×64 from
     * the calibration itself.
     */
    @Test
    void shouldStartEachSourcesThresholdFromTheCalibrationAtItsFrameSize() {
        double[] uniform = new double[1000];
        for (int i = 0; i < uniform.length; i++) {
            uniform[i] = (i + 0.5) / uniform.length;
        }
        InspectionBundle.Metadata meta = new InspectionBundle.Metadata(InspectionBundle.KIND, InspectionBundle.FORMAT_VERSION,
                "draem-test-1", "draem", TILE, 1, 4, 5, Calibration.of(uniform), "test", 1, 0, 0, 1L, 0, Map.of(),
                Instant.EPOCH.toString());
        InspectionBatchScorer model = new InspectionBatchScorer(new InspectionBundle(InspectionNetwork.build(1, 4, TILE, 1e-3, 1L), meta));
        Map<String, String> quantile = Map.of("batch.size", "2", "linger.ms", "50", "threshold.strategy", "quantile",
                "threshold.param", "0.9", "threshold.window.size", "1000");
        try (TopologyFixture t = new TopologyFixture(model, quantile)) {
            ImageFrame small = frame("small", 64, 64, 1, 1);
            small.setSourceId("cam-64");
            ImageFrame large = frame("large", 256, 256, 1, 2);
            large.setSourceId("cam-256");
            t.send(small);
            t.send(large);
            t.driver.advanceWallClockTime(Duration.ofMillis(100));
            Map<String, Double> thresholds = new java.util.HashMap<>();
            t.scores.readValuesToList().forEach(s -> thresholds.put(s.getFrameId(), s.getThreshold()));
            assertThat(thresholds.get("small")).isCloseTo(0.9, org.assertj.core.api.Assertions.within(0.002));
            // the maximum of 16 uniform tiles is under x with probability x^16: its 0.9-quantile is 0.9^(1/16)
            assertThat(thresholds.get("large")).isCloseTo(Math.pow(0.9, 1 / 16.0), org.assertj.core.api.Assertions.within(0.002));
        }
    }

    @Test
    void shouldDeadLetterFramesSmallerThanTheTileOrWithoutTheModelsChannels() {
        try (TopologyFixture t = new TopologyFixture(model(3), flagEverything())) {
            t.send(frame("small", 32, 32, 3, 1));
            t.send(frame("gray", 128, 128, 1, 2));
            t.send(frame("rgb", 128, 128, 3, 3));
            t.driver.advanceWallClockTime(Duration.ofMillis(100));
            var dead = t.deadLetters.readRecordsToList();
            assertThat(dead).extracting(r -> DeadLetter.header(r.headers(), DeadLetter.REASON)).containsExactly(
                    "frame small from cam-1 is 32x32, smaller than the model's 64x64 tile",
                    "frame gray from cam-1 is gray; model expects RGB (3 channels)");
            assertThat(t.scores.readValuesToList()).extracting(FrameScore::getFrameId).containsExactly("rgb");
        }
    }

    @Test
    void shouldRefuseAPngThatDeclaresAHugeImageBeforeDecodingIt() {
        byte[] png = ImageFiles.png(new byte[64 * 64], 64, 64);
        // IHDR width and height (bytes 16..23) rewritten to 60000 x 60000; the CRC no longer matches,
        // which a header reader does not check and a decoder would find only after allocating
        ByteBuffer.wrap(png, 16, 8).putInt(60000).putInt(60000);
        try (TopologyFixture t = new TopologyFixture(model(1), flagEverything())) {
            t.send(ImageFrame.newBuilder(frame("bomb", 64, 64, 1, 1)).setEncoding(Encoding.PNG).setPixels(ByteBuffer.wrap(png)).build());
            t.driver.advanceWallClockTime(Duration.ofMillis(100));
            assertThat(t.deadLetters.readRecordsToList()).extracting(r -> DeadLetter.header(r.headers(), DeadLetter.REASON))
                    .containsExactly("frame bomb from cam-1 is 60000x60000; frames up to 8192 pixels a side are scored");
        }
    }

    @Test
    void shouldGiveOneRegionPerSeparateBlobHighestFirst() {
        float[] map = new float[20 * 10];
        map[2 * 20 + 3] = 0.6f;
        map[2 * 20 + 4] = 0.7f;
        map[8 * 20 + 15] = 0.9f;
        map[5 * 20 + 10] = 0.2f; // under half the largest: no region
        assertThat(AnomalyRegion.regions(map, 20, 10)).containsExactly(new BoundingBox(15, 8, 1, 1), new BoundingBox(3, 2, 2, 1));
        assertThat(AnomalyRegion.regions(new float[4], 2, 2)).isEmpty();
    }
}
