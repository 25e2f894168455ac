package io.frameguard.stream;

import io.frameguard.avro.AnomalyEvent;
import io.frameguard.avro.FrameScore;
import io.frameguard.avro.ImageFrame;
import io.frameguard.avro.ThresholdState;
import io.frameguard.config.FrameGuardConfig;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;

/** FrameGuard's topics and the serdes of their values, declared once. */
public record Topics(String frames, String scores, String anomalies, String deadLetters,
                     Serde<ImageFrame> frameSerde, Serde<FrameScore> scoreSerde,
                     Serde<AnomalyEvent> anomalySerde, Serde<ThresholdState> thresholdSerde) {

    public static Topics of(FrameGuardConfig config) {
        WireFormat wire = WireFormat.named(config.getString(FrameGuardConfig.WIRE_FORMAT));
        return new Topics(config.getString(FrameGuardConfig.TOPIC_FRAMES), config.getString(FrameGuardConfig.TOPIC_SCORES),
                config.getString(FrameGuardConfig.TOPIC_ANOMALIES), config.getString(FrameGuardConfig.TOPIC_DLQ),
                wire.serde(ImageFrame.class), wire.serde(FrameScore.class), wire.serde(AnomalyEvent.class),
                wire.serde(ThresholdState.class));
    }

    public List<String> all() {
        return List.of(frames, scores, anomalies, deadLetters);
    }
}
