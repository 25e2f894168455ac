package io.frameguard.stream;

import io.frameguard.threshold.ThresholdWindow;
import static io.frameguard.stream.FrameGuardTopologyTest.cfg;
import static io.frameguard.stream.TopologyFixture.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.frameguard.avro.FrameScore;
import io.frameguard.avro.ThresholdState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** max.sources, source.idle.expiry.ms and threshold.trust.labels, on the production topology. */
class SourceBoundsTopologyTest {
    /** Calibration 0.1, 0.2, 0.3: with mean-std k=1 the warm threshold is 0.2 + 0.0816. */
    static final double WARM = 0.2 + Math.sqrt(0.02 / 3);

    static FakeScorer scorer() {
        return new FakeScorer(0.1, 0.2, 0.3);
    }

    static Map<String, String> meanStd(String... kv) {
        Map<String, String> m = cfg(kv);
        m.put("threshold.strategy", "mean-std");
        m.put("threshold.param", "1");
        return m;
    }

    static KeyValueStore<String, ThresholdState> store(TopologyFixture t) {
        return t.driver.getKeyValueStore(Names.THRESHOLD_STORE);
    }

    /** {@code n} frames from {@code source} scoring 10/255, under every threshold here: each is a normal score. */
    static void sendNormal(TopologyFixture t, String source, int n) {
        for (int i = 0; i < n; i++) {
            t.send(frame(source + "-" + i, source, 10, null));
        }
    }

    @Test
    void shouldJudgeSourcesPastMaxSourcesByTheCalibrationThresholdWithoutKeepingTheirState() {
        RecordingMetrics metrics = new RecordingMetrics();
        try (TopologyFixture t = new TopologyFixture(scorer(), meanStd("max.sources", "2"), metrics)) {
            for (String source : List.of("line-1", "line-2", "line-3")) {
                sendNormal(t, source, 2 * ThresholdWindow.REFRESH_EVERY);
            }
            t.driver.advanceWallClockTime(Duration.ofMillis(200));
            List<FrameScore> scores = t.scores.readValuesToList();
            assertThat(scores).as("every frame is still scored and judged").hasSize(6 * ThresholdWindow.REFRESH_EVERY);
            assertThat(scores.stream().filter(s -> s.getSourceId().equals("line-3"))).extracting(FrameScore::getThreshold)
                    .allSatisfy(th -> assertThat(th).isCloseTo(WARM, within(1e-12)));
            assertThat(scores.stream().filter(s -> s.getSourceId().equals("line-1")).map(FrameScore::getThreshold).distinct())
                    .as("an admitted source learns").hasSizeGreaterThan(1);
            assertThat(store(t).get(Names.thresholdKey("fake-model", "line-1"))).isNotNull();
            assertThat(store(t).get(Names.thresholdKey("fake-model", "line-3"))).as("no state past the cap").isNull();
            assertThat(metrics.scored).contains("line-1", "line-2", DetectorMetrics.OTHER_SOURCES).doesNotContain("line-3");
            assertThat(metrics.thresholds).doesNotContain("line-3", DetectorMetrics.OTHER_SOURCES);
        }
    }

    @Test
    void shouldExpireAnIdleSourceFromStoreAndMetricsAndStartItAgainFromCalibration() {
        RecordingMetrics metrics = new RecordingMetrics();
        try (TopologyFixture t = new TopologyFixture(scorer(), meanStd("source.idle.expiry.ms", "1000"), metrics)) {
            sendNormal(t, "line-1", 2 * ThresholdWindow.REFRESH_EVERY);
            t.driver.advanceWallClockTime(Duration.ofMillis(200));
            assertThat(store(t).get(Names.thresholdKey("fake-model", "line-1")).getThreshold()).as("learnt").isLessThan(WARM - 0.01);
            sendNormal(t, "line-2", 4);
            t.driver.advanceWallClockTime(Duration.ofMillis(500));
            assertThat(store(t).get(Names.thresholdKey("fake-model", "line-1"))).as("700 ms idle: kept").isNotNull();
            t.driver.advanceWallClockTime(Duration.ofMillis(400));
            assertThat(store(t).get(Names.thresholdKey("fake-model", "line-1"))).as("1100 ms idle: expired").isNull();
            assertThat(store(t).get(Names.thresholdKey("fake-model", "line-2"))).as("800 ms idle: kept").isNotNull();
            assertThat(metrics.expired).containsExactly("line-1");
            t.scores.readValuesToList();
            sendNormal(t, "line-1", 4);
            assertThat(t.scores.readValuesToList()).extracting(FrameScore::getThreshold)
                    .allSatisfy(th -> assertThat(th).as("back from calibration").isCloseTo(WARM, within(1e-12)));
        }
    }

    @Test
    void shouldGiveAnExpiredSourcesPlaceToTheNextNewSource() {
        try (TopologyFixture t = new TopologyFixture(scorer(), meanStd("max.sources", "1", "source.idle.expiry.ms", "1000"))) {
            sendNormal(t, "line-1", 4);
            sendNormal(t, "line-2", 4);
            assertThat(store(t).get(Names.thresholdKey("fake-model", "line-2"))).as("past the cap").isNull();
            t.driver.advanceWallClockTime(Duration.ofMillis(1200));
            assertThat(store(t).get(Names.thresholdKey("fake-model", "line-1"))).isNull();
            sendNormal(t, "line-2", 4);
            assertThat(store(t).get(Names.thresholdKey("fake-model", "line-2"))).as("line-1's place, freed").isNotNull();
        }
    }

    @Test
    void shouldNotLetAProducersLabelMoveTheThresholdUnlessLabelsAreTrusted() {
        for (boolean trusted : new boolean[] {false, true}) {
            try (TopologyFixture t = new TopologyFixture(scorer(), cfg("threshold.trust.labels", Boolean.toString(trusted)))) {
                // 0.4, over the warm max threshold 0.3, but labelled with the model's normal label
                for (int i = 0; i < 4; i++) {
                    t.send(frame("n" + i, "line-1", 102, "1"));
                }
                ThresholdState state = store(t).get(Names.thresholdKey("fake-model", "line-1"));
                assertThat(t.scores.readValuesToList()).extracting(FrameScore::getIsAnomaly).containsOnly(true);
                if (trusted) {
                    assertThat(state.getUpdates()).isEqualTo(4);
                    assertThat(state.getWindow()).contains(102 / 255.0);
                } else {
                    // labels are for evaluation only: judged unlabelled, the flagged frames enter at the threshold
                    assertThat(state.getUpdates()).isEqualTo(4);
                    assertThat(state.getWindow()).doesNotContain(102 / 255.0).filteredOn(v -> v == 0.3).hasSize(5);
                    assertThat(state.getThreshold()).isEqualTo(0.3);
                }
            }
        }
    }
}
