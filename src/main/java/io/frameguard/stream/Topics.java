package io.frameguard.stream;

import io.frameguard.stream.serde.SingleObjectWireFormat;
import io.frameguard.stream.serde.WireFormat;
import io.frameguard.avro.AnomalyEvent;
import io.frameguard.avro.BufferedFrame;
import io.frameguard.avro.FrameScore;
import io.frameguard.avro.ImageFrame;
import io.frameguard.avro.ThresholdState;
import io.frameguard.config.FrameGuardConfig;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;

/**
 * FrameGuard's topics and the serdes of their values, declared once. The topics use
 * {@code wire.format}; the state stores and their changelogs ({@code bufferedSerde},
 * {@code thresholdSerde}, and {@code storedFrameSerde} for frames re-encoded by the detector) are FrameGuard's own and always use single-object encoding, so they
 * never depend on a registry being up. {@code shadowScores} is null without {@code shadow.model.path}.
 */
public record Topics(String frames, String scores, String anomalies, String deadLetters, String shadowScores,
                     Serde<ImageFrame> frameSerde, Serde<FrameScore> scoreSerde,
                     Serde<AnomalyEvent> anomalySerde, Serde<ThresholdState> thresholdSerde,
                     Serde<ImageFrame> storedFrameSerde, Serde<BufferedFrame> bufferedSerde, WireFormat wire) {

    public static Topics of(FrameGuardConfig config) {
        WireFormat wire = WireFormat.from(config);
        SingleObjectWireFormat stores = new SingleObjectWireFormat();
        return new Topics(config.getString(FrameGuardConfig.TOPIC_FRAMES), config.getString(FrameGuardConfig.TOPIC_SCORES),
                config.getString(FrameGuardConfig.TOPIC_ANOMALIES), config.getString(FrameGuardConfig.TOPIC_DLQ),
                config.shadowModelPath() == null ? null : config.getString(FrameGuardConfig.TOPIC_SHADOW_SCORES),
                wire.serde(ImageFrame.class), wire.serde(FrameScore.class), wire.serde(AnomalyEvent.class),
                stores.serde(ThresholdState.class), stores.serde(ImageFrame.class), BufferedFrames.storeSerde(stores), wire);
    }

    /** Registers the output schemas where the wire format needs it; called once at start-up. */
    public void registerOutputs() {
        wire.register(scores, FrameScore.class);
        wire.register(anomalies, AnomalyEvent.class);
        if (shadowScores != null) {
            wire.register(shadowScores, FrameScore.class);
        }
    }

    /** Every topic the detector reads or writes; the shadow scores only with a shadow model. */
    public List<String> all() {
        return shadowScores == null ? List.of(frames, scores, anomalies, deadLetters)
                : List.of(frames, scores, anomalies, deadLetters, shadowScores);
    }
}
