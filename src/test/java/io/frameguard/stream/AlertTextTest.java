package io.frameguard.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameguard.avro.AnomalyEvent;
import io.frameguard.avro.BoundingBox;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AlertTextTest {
    static AnomalyEvent.Builder event() {
        Instant t = Instant.parse("2026-12-02T12:00:00Z");
        return AnomalyEvent.newBuilder().setFrameId("cam-2-137").setSourceId("cam-2").setCaptureTime(t)
                .setDetectionTime(t).setScore(0.91).setThreshold(0.62).setStrategy("quantile").setSeverity(1.47)
                .setModelId("draem-gravel").setModelVersion("1").setLabel("scratch");
    }

    @Test
    void shouldPrintEveryRegionOfAnEventInFrameCoordinates() {
        AnomalyEvent e = event().setBbox(new BoundingBox(120, 33, 14, 3))
                .setRegions(List.of(new BoundingBox(120, 33, 14, 3), new BoundingBox(7, 200, 5, 6))).build();

        assertThat(AlertText.of(e)).contains("cam-2-137", "score 0.91000 > 0.62000", "severity  1.47", "label scratch")
                .endsWith("regions [x=120 y=33 14x3, x=7 y=200 5x6]");
    }

    @Test
    void shouldCountTheRegionsBeyondTheFirstEight() {
        List<BoundingBox> many = IntStream.range(0, 11).mapToObj(i -> new BoundingBox(i, i, 1, 1)).toList();

        assertThat(AlertText.of(event().setRegions(many).build())).endsWith("x=7 y=7 1x1, +3 more]");
    }

    @Test
    void shouldPrintTheOneBoxOfAnEventWrittenBeforeRegionsExisted() {
        AnomalyEvent e = event().setBbox(new BoundingBox(9, 5, 12, 20)).build();

        assertThat(AlertText.of(e)).endsWith("label scratch  region x=9 y=5 12x20");
    }
}
