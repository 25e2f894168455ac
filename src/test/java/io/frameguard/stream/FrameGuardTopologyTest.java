package io.frameguard.stream;

import io.frameguard.threshold.ThresholdWindow;
import static io.frameguard.stream.TopologyFixture.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.frameguard.avro.BufferedFrame;
import io.frameguard.avro.Encoding;
import io.frameguard.avro.FrameScore;
import io.frameguard.avro.ImageFrame;
import io.frameguard.avro.ThresholdState;
import io.frameguard.model.ScoreFunction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

class FrameGuardTopologyTest {
    /** Calibration scores 0.1 .. 0.3 -> with max strategy the warm threshold is 0.3. */
    static FakeScorer scorer() {
        return new FakeScorer(0.1, 0.2, 0.3);
    }

    static Map<String, String> cfg(String... kv) {
        Map<String, String> m = new java.util.HashMap<>(Map.of("batch.size", "4", "linger.ms", "100",
                "threshold.strategy", "max"));
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void shouldFlushABatchWhenItReachesBatchSize() {
        try (TopologyFixture t = new TopologyFixture(scorer(), cfg())) {
            for (int i = 0; i < 3; i++) {
                t.send(frame("f" + i, "line-1", 10, null));
            }
            assertThat(t.scores.isEmpty()).isTrue();
            t.send(frame("f3", "line-1", 10, null));
            assertThat(t.scores.readValuesToList()).hasSize(4);
            assertThat(t.scorer.batches).containsExactly(4);
        }
    }

    @Test
    void shouldKeepExactlyTheWaitingFramesInTheBatchStoreKeyedByTheirSlot() {
        try (TopologyFixture t = new TopologyFixture(scorer(), cfg())) {
            for (int i = 0; i < 6; i++) {
                t.send(frame("f" + i, "line-1", 10, null));
            }
            KeyValueStore<Long, BufferedFrame> store = t.driver.getKeyValueStore(Names.BATCH_STORE);
            List<KeyValue<Long, String>> waiting = new ArrayList<>();
            try (KeyValueIterator<Long, BufferedFrame> it = store.all()) {
                it.forEachRemaining(kv -> waiting.add(KeyValue.pair(kv.key, kv.value.getFrame().getFrameId())));
            }
            assertThat(waiting).as("the first batch of 4 is scored and gone; f4 and f5 wait in slots 0 and 1")
                    .containsExactly(KeyValue.pair(0L, "f4"), KeyValue.pair(1L, "f5"));
            t.driver.advanceWallClockTime(Duration.ofMillis(200));
            assertThat(store.approximateNumEntries()).isZero();
            assertThat(t.scores.readValuesToList()).extracting(FrameScore::getFrameId)
                    .containsExactly("f0", "f1", "f2", "f3", "f4", "f5");
        }
    }

    @Test
    void shouldFlushAPartialBatchAfterLingerWhenTrafficStops() {
        try (TopologyFixture t = new TopologyFixture(scorer(), cfg())) {
            t.send(frame("a", "line-1", 10, null));
            t.send(frame("b", "line-1", 10, null));
            t.driver.advanceWallClockTime(Duration.ofMillis(40));
            assertThat(t.scores.isEmpty()).as("not yet lingered").isTrue();
            t.driver.advanceWallClockTime(Duration.ofMillis(100));
            assertThat(t.scores.readValuesToList()).extracting(FrameScore::getFrameId).containsExactly("a", "b");
            assertThat(t.scorer.batches).containsExactly(2);
        }
    }

    @Test
    void shouldGiveALogMseModelsEventsTheRatioOfTheSquaredErrorsAsSeverity() {
        // log-mse scores are negative: severity is exp(score - threshold), not score / threshold
        FakeScorer logScale = new FakeScorer(ScoreFunction.LOG_MSE, 1.0, -0.9, -0.8, -0.7);
        try (TopologyFixture t = new TopologyFixture(logScale, cfg())) {
            t.send(frame("low", "line-1", 51, null));    // 0.2 - 1 = -0.8
            t.send(frame("high", "line-1", 102, null));  // 0.4 - 1 = -0.6
            t.send(frame("edge", "line-1", 76, null));   // ~ -0.702
            t.send(frame("top", "line-1", 255, null));   // 1.0 - 1 = 0
            assertThat(t.scores.readValuesToList()).extracting(FrameScore::getThreshold).containsOnly(-0.7);
            var events = t.anomalies.readValuesToList();
            assertThat(events).extracting(e -> e.getFrameId()).containsExactly("high", "top");
            assertThat(events.get(0).getSeverity()).isCloseTo(Math.exp(-0.6 + 0.7), within(1e-6));
            assertThat(events.get(1).getSeverity()).isCloseTo(Math.exp(0.7), within(1e-6));
        }
    }

    @Test
    void shouldFlagExactlyTheFramesOverTheWarmStartThreshold() {
        try (TopologyFixture t = new TopologyFixture(scorer(), cfg())) {
            t.send(frame("low", "line-1", 51, null));    // 0.2
            t.send(frame("high", "line-1", 102, null));  // 0.4
            t.send(frame("edge", "line-1", 76, null));   // ~0.298
            t.send(frame("top", "line-1", 255, null));   // 1.0
            List<FrameScore> s = t.scores.readValuesToList();
            assertThat(s).extracting(FrameScore::getThreshold).containsOnly(0.3);
            assertThat(s).filteredOn(FrameScore::getIsAnomaly).extracting(FrameScore::getFrameId).containsExactly("high", "top");
            var events = t.anomalies.readValuesToList();
            assertThat(events).extracting(e -> e.getFrameId()).containsExactly("high", "top");
            assertThat(events.get(1).getSeverity()).isCloseTo(1.0 / 0.3, within(1e-9));
            assertThat(events.get(1).getStrategy()).isEqualTo("max");
            assertThat(events.get(1).getBbox().getWidth()).isEqualTo(FakeScorer.SIZE);
            assertThat(events.get(1).getAnomalyMap()).isNotNull();
        }
    }

    @Test
    void shouldRaiseTheThresholdOnlyFromNormalScoresWhenUnlabelled() {
        try (TopologyFixture t = new TopologyFixture(scorer(), cfg())) {
            // batch 1: 0.28 is under 0.3 -> joins the window, max stays 0.3; 0.9 is an anomaly -> enters at 0.3.
            t.send(frame("a", "line-1", 71, null));
            t.send(frame("b", "line-1", 230, null));
            t.send(frame("c", "line-1", 10, null));
            t.send(frame("d", "line-1", 10, null));
            // batch 2 is judged by the threshold after batch 1: still 0.3, the anomaly did not raise it.
            for (String id : List.of("e", "f", "g", "h")) {
                t.send(frame(id, "line-1", 10, null));
            }
            List<FrameScore> s = t.scores.readValuesToList();
            assertThat(s.subList(4, 8)).extracting(FrameScore::getThreshold).containsOnly(0.3);
            ThresholdState state = t.driver.<String, ThresholdState>getKeyValueStore(Names.THRESHOLD_STORE)
                    .get(Names.thresholdKey("fake-model", "line-1"));
            assertThat(state.getUpdates()).isEqualTo(8);
            assertThat(state.getWindow()).doesNotContain(230 / 255.0).filteredOn(v -> v == 0.3).hasSize(2);
        }
    }

    @Test
    void shouldUpdateFromLabelledNormalFramesEvenAboveTheThresholdAtFixedCountsWhenLabelsAreTrusted() {
        try (TopologyFixture t = new TopologyFixture(scorer(), cfg("threshold.trust.labels", "true"))) {
            t.send(frame("n1", "line-1", 102, "1"));  // 0.4, labelled normal -> joins, max becomes 0.4
            t.send(frame("x", "line-1", 153, "7"));   // 0.6, labelled anomaly -> never joins
            for (int i = 2; i <= ThresholdWindow.REFRESH_EVERY; i++) {
                t.send(frame("n" + i, "line-1", 10, "1"));
            }
            t.send(frame("next", "line-1", 10, "1"));
            t.driver.advanceWallClockTime(Duration.ofMillis(200));
            List<FrameScore> s = t.scores.readValuesToList();
            assertThat(s.get(0).getIsAnomaly()).isTrue();
            assertThat(s.get(1).getLabel()).isEqualTo("7");
            // the 16th normal score recomputes the threshold; the frames before it keep the warm one
            assertThat(s.subList(0, s.size() - 2)).extracting(FrameScore::getThreshold).containsOnly(0.3);
            assertThat(s.get(s.size() - 1).getThreshold()).isCloseTo(0.4, within(1e-12));
        }
    }

    @Test
    void shouldJudgeAlikeWhateverTheBatchBoundaries() {
        List<List<FrameScore>> runs = new java.util.ArrayList<>();
        for (String batch : List.of("1", "7", "64")) {
            try (TopologyFixture t = new TopologyFixture(scorer(), cfg("batch.size", batch, "threshold.trust.labels", "true"))) {
                java.util.Random r = new java.util.Random(3);
                for (int i = 0; i < 100; i++) {
                    t.send(frame("f" + i, "line-1", 5 + r.nextInt(120), r.nextInt(4) == 0 ? null : "1"));
                }
                t.driver.advanceWallClockTime(Duration.ofMillis(200));
                runs.add(t.scores.readValuesToList());
            }
        }
        assertThat(runs.get(0)).hasSize(100);
        assertThat(runs.get(0).stream().map(FrameScore::getThreshold).distinct().count()).isGreaterThan(2);
        for (List<FrameScore> other : runs.subList(1, 3)) {
            assertThat(other).extracting(FrameScore::getThreshold)
                    .containsExactlyElementsOf(runs.get(0).stream().map(FrameScore::getThreshold).toList());
            assertThat(other).extracting(FrameScore::getIsAnomaly)
                    .containsExactlyElementsOf(runs.get(0).stream().map(FrameScore::getIsAnomaly).toList());
        }
    }

    @Test
    void shouldComputeThresholdsPerStrategyFromTheWindow() {
        try (TopologyFixture t = new TopologyFixture(scorer(), cfg("threshold.strategy", "mean-std", "threshold.param", "1"))) {
            for (String id : List.of("a", "b", "c", "d")) {
                t.send(frame(id, "line-1", 10, null));
            }
            double warm = 0.2 + Math.sqrt(((0.1 - 0.2) * (0.1 - 0.2) + (0.3 - 0.2) * (0.3 - 0.2)) / 3);
            assertThat(t.scores.readValuesToList().get(0).getThreshold()).isCloseTo(warm, within(1e-12));
        }
        try (TopologyFixture t = new TopologyFixture(scorer(), cfg("threshold.strategy", "fixed", "threshold.param", "0.05"))) {
            for (int i = 0; i < 8; i++) {
                t.send(frame("f" + i, "line-1", 10, null));
            }
            assertThat(t.scores.readValuesToList()).extracting(FrameScore::getThreshold).containsOnly(0.05);
        }
    }

    @Test
    void shouldKeepEachSourcesThresholdApart() {
        try (TopologyFixture t = new TopologyFixture(scorer(), cfg("threshold.trust.labels", "true"))) {
            t.send(frame("a1", "line-A", 102, "1")); // raises line-A to 0.4 at its 16th normal score
            for (int i = 2; i <= ThresholdWindow.REFRESH_EVERY; i++) {
                t.send(frame("a" + i, "line-A", 10, "1"));
                t.send(frame("b" + i, "line-B", 10, null));
            }
            t.send(frame("b1", "line-B", 10, null));
            for (String id : List.of("a-next", "b-next")) {
                t.send(frame(id, id.startsWith("a") ? "line-A" : "line-B", 10, null));
            }
            t.driver.advanceWallClockTime(Duration.ofMillis(200));
            var s = t.scores.readValuesToList().stream().collect(java.util.stream.Collectors.toMap(
                    FrameScore::getFrameId, FrameScore::getThreshold));
            assertThat(s.get("a-next")).isCloseTo(0.4, within(1e-12));
            assertThat(s.get("b-next")).isCloseTo(0.3, within(1e-12));
        }
    }

    @Test
    void shouldKeepTheOrderOfEachSource() {
        try (TopologyFixture t = new TopologyFixture(scorer(), cfg("batch.size", "3"))) {
            for (int i = 0; i < 10; i++) {
                t.send(frame("A" + i, "line-A", 10, null));
                t.send(frame("B" + i, "line-B", 10, null));
            }
            t.driver.advanceWallClockTime(Duration.ofMillis(500));
            var s = t.scores.readRecordsToList();
            assertThat(s).hasSize(20);
            assertThat(s.stream().filter(r -> r.key().equals("line-A")).map(r -> r.value().getFrameId()))
                    .containsExactly("A0", "A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9");
            assertThat(s.stream().filter(r -> r.key().equals("line-B")).map(r -> r.value().getFrameId()))
                    .containsExactly("B0", "B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9");
        }
    }
}
