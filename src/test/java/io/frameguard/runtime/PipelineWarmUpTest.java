package io.frameguard.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameguard.TestData;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.model.Calibration;
import io.frameguard.model.inspection.InspectionBundle;
import io.frameguard.model.inspection.InspectionNetwork;
import io.frameguard.stream.BatchScorer;
import io.frameguard.stream.LiveModel;
import io.frameguard.stream.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm-up runs the production topology with the real model: a warm-up whose frames were
 * refused (wrong size, wrong encoding) would compile the dead-letter path and nothing else.
 */
class PipelineWarmUpTest {
    @Test
    void shouldScoreEverySyntheticFrameThroughTheTopologyAndLeaveNoState(@TempDir Path dir) {
        FrameGuardConfig c = config(dir, Map.of());
        BatchScorer model = new LiveModel(Models.load(TestData.FIXTURE_BUNDLE, 1));

        var r = PipelineWarmUp.run(c, Topics.of(c), model, PipelineWarmUp.frames(c, Topics.of(c), model), 3_000);

        assertThat(r.frames()).isGreaterThan(PipelineWarmUp.ROUND);
        assertThat(r.scored()).isEqualTo(r.frames());
        assertThat(r.deadLettered()).isZero();
        assertThat(r.millis()).isLessThan(3_000 + 2_000);
        assertThat(dir.resolve("warm-up")).doesNotExist();
    }

    @Test
    void shouldWarmAnAnySizeModelOnFramesOfTheLinesShape(@TempDir Path dir) {
        var meta = new InspectionBundle.Metadata(InspectionBundle.KIND, 1, "insp-test", "draem", 16, 1, 4, 3,
                Calibration.of(new double[] {0.1, 0.2, 0.3, 0.4}), "test",
                0, 0, 0, 1, 0, Map.of(), "now");
        Path bundle = dir.resolve("insp.bundle");
        new InspectionBundle(InspectionNetwork.build(1, 4, 16, 1e-3, 1), meta).save(bundle);
        FrameGuardConfig c = config(dir, Map.of(FrameGuardConfig.FRAME_SHAPE, "40x24"));

        BatchScorer model = Models.load(bundle, 1);

        var r = PipelineWarmUp.run(c, Topics.of(c), model, PipelineWarmUp.frames(c, Topics.of(c), model), 1_000);

        assertThat(r.frames()).isPositive();
        assertThat(r.scored()).isEqualTo(r.frames());
        assertThat(r.deadLettered()).isZero();
    }

    @Test
    void shouldKeepFewerDistinctFramesOfALargeLineAndStillScoreEveryOne(@TempDir Path dir) {
        var meta = new InspectionBundle.Metadata(InspectionBundle.KIND, 1, "insp-test", "draem", 16, 1, 4, 3,
                Calibration.of(new double[] {0.1, 0.2, 0.3, 0.4}), "test", 0, 0, 0, 1, 0, Map.of(), "now");
        Path bundle = dir.resolve("insp.bundle");
        new InspectionBundle(InspectionNetwork.build(1, 4, 16, 1e-3, 1), meta).save(bundle);
        // 1,400 x 1,000 gray: 1.4 MB a frame, so 11 distinct frames, a count that is not a multiple of the 4 sources
        FrameGuardConfig c = config(dir, Map.of(FrameGuardConfig.FRAME_SHAPE, "1400x1000",
                FrameGuardConfig.MAX_FRAME_BYTES, String.valueOf(4 << 20), FrameGuardConfig.BATCH_SIZE, "2"));

        BatchScorer model = Models.load(bundle, 1);

        var r = PipelineWarmUp.run(c, Topics.of(c), model, PipelineWarmUp.frames(c, Topics.of(c), model), 1_500);

        assertThat(r.frames()).isPositive();
        assertThat(r.scored()).isEqualTo(r.frames());
        assertThat(r.deadLettered()).isZero();
    }

    @Test
    void shouldDoNothingWhenTurnedOff(@TempDir Path dir) throws Exception {
        FrameGuardConfig c = config(dir, Map.of());

        BatchScorer model = Models.load(TestData.FIXTURE_BUNDLE, 1);

        var r = PipelineWarmUp.run(c, Topics.of(c), model, PipelineWarmUp.frames(c, Topics.of(c), model), 0);

        assertThat(r.frames()).isZero();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    private static FrameGuardConfig config(Path dir, Map<String, String> more) {
        Map<String, String> m = new HashMap<>(more);
        m.put(FrameGuardConfig.STATE_DIR, dir.toString());
        m.put(FrameGuardConfig.MODEL_PATH, "unused.bundle");
        return FrameGuardConfig.load(null, Map.of(), m);
    }
}
