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

/** A shadow model beside the live one: its verdicts on every frame, its own thresholds, and never an alert. */
class ShadowTopologyTest {
    // threshold.strategy=max (cfg()): the live model's threshold starts at 0.3, the shadow's at 0.7
    private final FakeScorer live = new FakeScorer("live-model", ScoreFunction.MSE, 0, 0.1, 0.2, 0.3);
    private final FakeScorer shadow = new FakeScorer("shadow-model", ScoreFunction.MSE, 0, 0.5, 0.6, 0.7);

    @Test
    void shouldJudgeEveryFrameWithBothModelsAndAlertOnlyOnTheLiveModelsVerdict() {
        try (TopologyFixture t = new TopologyFixture(live, shadow, cfg())) {
            t.send(frame("n0", "line-1", 26, "1"));     // 0.10: normal for both
            t.send(frame("a0", "line-1", 102, "7"));    // 0.40: over the live 0.3, under the shadow's 0.7
            t.send(frame("a1", "line-1", 230, "7"));    // 0.90: over both
            t.send(frame("n1", "line-2", 26, "1"));
            List<FrameScore> scores = t.scores.readValuesToList();
            List<FrameScore> shadowed = t.shadowScores.readValuesToList();
            assertThat(scores).extracting(FrameScore::getFrameId).containsExactly("n0", "a0", "a1", "n1");
            assertThat(shadowed).extracting(FrameScore::getFrameId).containsExactly("n0", "a0", "a1", "n1");
            assertThat(scores).allSatisfy(s -> assertThat(s.getModelId()).isEqualTo("live-model"));
            assertThat(shadowed).allSatisfy(s -> assertThat(s.getModelId()).isEqualTo("shadow-model"));
            assertThat(scores.get(1).getThreshold()).isCloseTo(0.3, within(1e-12));
            assertThat(shadowed.get(1).getThreshold()).as("the shadow's own calibration").isCloseTo(0.7, within(1e-12));
            assertThat(scores).extracting(FrameScore::getIsAnomaly).containsExactly(false, true, true, false);
            assertThat(shadowed).extracting(FrameScore::getIsAnomaly).containsExactly(false, false, true, false);
            assertThat(shadowed.get(2).getFrameOffset()).isEqualTo(scores.get(2).getFrameOffset());
            assertThat(t.anomalies.readValuesToList()).as("alerts come from the live model only")
                    .allSatisfy(e -> assertThat(e.getModelId()).isEqualTo("live-model")).hasSize(2);
        }
    }

    @Test
    void shouldKeepTheShadowsThresholdStatesInAStoreOfTheirOwn() {
        try (TopologyFixture t = new TopologyFixture(live, shadow, cfg("max.sources", "1"))) {
            for (int i = 0; i < 4; i++) {
                t.send(frame("n" + i, "line-1", 26, "1"));
            }
            KeyValueStore<String, ThresholdState> own = t.driver.getKeyValueStore(Names.THRESHOLD_STORE);
            KeyValueStore<String, ThresholdState> shadows = t.driver.getKeyValueStore(Names.SHADOW_THRESHOLD_STORE);
            assertThat(own.get(Names.thresholdKey("live-model", "line-1"))).isNotNull();
            assertThat(own.get(Names.thresholdKey("shadow-model", "line-1"))).isNull();
            assertThat(shadows.get(Names.thresholdKey("shadow-model", "line-1"))).as("not refused: a place of its own under max.sources")
                    .isNotNull();
        }
    }

    @Test
    void shouldDeadLetterAFrameOnceWhenBothModelsScoreItNonFinite() {
        try (TopologyFixture t = new TopologyFixture(live, shadow, cfg())) {
            t.send(frame("nan", "line-1", 0xEE, null));   // the fakes score 0xEE frames NaN
            t.send(frame("n0", "line-1", 26, null));
            t.send(frame("n1", "line-1", 26, null));
            t.send(frame("n2", "line-1", 26, null));
            assertThat(t.deadLetters.readRecordsToList()).hasSize(1);
            assertThat(t.scores.readValuesToList()).hasSize(3);
            assertThat(t.shadowScores.readValuesToList()).hasSize(3);
        }
    }
}
