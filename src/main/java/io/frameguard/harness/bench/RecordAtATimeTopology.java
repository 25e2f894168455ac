package io.frameguard.harness.bench;

import io.frameguard.avro.FrameScore;
import io.frameguard.avro.ImageFrame;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.stream.BatchScorer;
import io.frameguard.stream.FrameGuardTopology;
import io.frameguard.stream.FrameValidator;
import io.frameguard.stream.InvalidFrameException;
import io.frameguard.stream.Topics;
import java.time.Instant;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The benchmark baseline, not a product path: the design of the common Kafka Streams + DL4J
 * examples, one forward pass per record, a threshold fixed from the bundle's calibration, no
 * batching state. Bad records are skipped. {@code bench pipeline} measures it side by side with
 * {@link FrameGuardTopology}.
 */
public final class RecordAtATimeTopology {
    private RecordAtATimeTopology() {
    }

    public static Topology build(FrameGuardConfig config, BatchScorer scorer) {
        Topics topics = Topics.of(config);
        double threshold = config.thresholdStrategy().threshold(scorer.calibrationScores());
        FrameValidator validator = new FrameValidator(scorer.width(), scorer.height());
        Topology t = new Topology();
        t.addSource("source", new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.frames());
        t.addProcessor("score-one", () -> new Processor<byte[], byte[], String, FrameScore>() {
            private ProcessorContext<String, FrameScore> context;

            @Override
            public void init(ProcessorContext<String, FrameScore> context) {
                this.context = context;
            }

            @Override
            public void process(Record<byte[], byte[]> r) {
                ImageFrame f;
                try {
                    f = validator.normalize(topics.frameSerde().deserializer().deserialize(topics.frames(), r.value()));
                } catch (InvalidFrameException | RuntimeException e) {
                    return;
                }
                byte[] px = FrameValidator.bytes(f.getPixels());
                double score = scorer.score(px, 1, false).scores()[0];
                long now = context.currentSystemTimeMs();
                context.forward(new Record<>(f.getSourceId(), FrameScore.newBuilder().setFrameId(f.getFrameId())
                        .setSourceId(f.getSourceId()).setCaptureTime(f.getCaptureTime()).setScoredTime(Instant.ofEpochMilli(now))
                        .setScore(score).setThreshold(threshold).setIsAnomaly(score > threshold).setModelId(scorer.modelId())
                        .setLabel(f.getLabel()).build(), now));
            }
        }, "source");
        t.addSink("sink", topics.scores(), new StringSerializer(), topics.scoreSerde().serializer(), "score-one");
        return t;
    }
}
