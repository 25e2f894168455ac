package io.frameguard.stream;

import static io.frameguard.stream.FrameGuardTopologyTest.cfg;
import static io.frameguard.stream.TopologyFixture.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.frameguard.avro.FrameScore;
import io.frameguard.avro.ThresholdState;
import io.frameguard.model.ScoreFunction;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** A model replaced while the topology runs: thresholds per model, the switch at a batch boundary. */
class ModelRolloutTopologyTest {
    @Test
    void shouldJudgeANewModelsFramesByItsOwnCalibrationFromTheNextBatch() {
        FakeScorer a = new FakeScorer("model-a", ScoreFunction.MSE, 0, 0.1, 0.2, 0.3);
        FakeScorer b = new FakeScorer("model-b", ScoreFunction.MSE, 0, 0.5, 0.6, 0.7);
        LiveModel live = new LiveModel(a);
        try (TopologyFixture t = new TopologyFixture(a, live, cfg(), DetectorMetrics.NONE)) {
            for (int i = 0; i < 4; i++) {
                t.send(frame("a" + i, "line-1", 102, null)); // 0.4: over a's max 0.3, under b's 0.7
            }
            t.send(frame("x0", "line-1", 102, null));
            t.send(frame("x1", "line-1", 102, null));
            live.replace(b); // two frames wait in the batch: they are scored and judged by b, whole
            t.send(frame("x2", "line-1", 102, null));
            t.send(frame("x3", "line-1", 102, null));
            List<FrameScore> s = t.scores.readValuesToList();
            assertThat(s).hasSize(8);
            assertThat(s.subList(0, 4)).allSatisfy(f -> {
                assertThat(f.getModelId()).isEqualTo("model-a");
                assertThat(f.getThreshold()).isCloseTo(0.3, within(1e-12));
                assertThat(f.getIsAnomaly()).isTrue();
            });
            assertThat(s.subList(4, 8)).allSatisfy(f -> {
                assertThat(f.getModelId()).isEqualTo("model-b");
                assertThat(f.getThreshold()).as("b's calibration, not a's window").isCloseTo(0.7, within(1e-12));
                assertThat(f.getIsAnomaly()).isFalse();
            });
            KeyValueStore<String, ThresholdState> store = t.driver.getKeyValueStore(Names.THRESHOLD_STORE);
            assertThat(store.get(Names.thresholdKey("model-a", "line-1")).getModelId()).isEqualTo("model-a");
            assertThat(store.get(Names.thresholdKey("model-b", "line-1")).getWindow()).contains(102 / 255.0);
        }
    }
}
