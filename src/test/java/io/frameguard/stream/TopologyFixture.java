package io.frameguard.stream;

import io.frameguard.stream.serde.SchemaHistory;
import io.frameguard.stream.serde.SingleObjectWireFormat;
import io.frameguard.avro.AnomalyEvent;
import io.frameguard.avro.Encoding;
import io.frameguard.avro.FrameScore;
import io.frameguard.avro.ImageFrame;
import io.frameguard.config.FrameGuardConfig;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The production topology in a TopologyTestDriver, with typed input and output topics. */
final class TopologyFixture implements AutoCloseable {
    final FakeScorer scorer;
    final TopologyTestDriver driver;
    final Topics topics;
    final TestInputTopic<byte[], byte[]> frames;
    final TestOutputTopic<String, FrameScore> scores;
    final TestOutputTopic<String, AnomalyEvent> anomalies;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    /** The shadow model's scores; null without a shadow. */
    final TestOutputTopic<String, FrameScore> shadowScores;

    TopologyFixture(FakeScorer scorer, Map<String, String> overrides) {
        this(scorer, scorer, null, overrides, DetectorMetrics.NONE, SchemaHistory.released());
    }

    TopologyFixture(FakeScorer scorer, Map<String, String> overrides, DetectorMetrics metrics) {
        this(scorer, scorer, null, overrides, metrics, SchemaHistory.released());
    }

    /** With the frames decoded by a single-object format that knows {@code history}. */
    TopologyFixture(FakeScorer scorer, Map<String, String> overrides, SchemaHistory history) {
        this(scorer, scorer, null, overrides, DetectorMetrics.NONE, history);
    }

    /** The topology with a real model (no fake behind it: {@link #scorer} is null). */
    TopologyFixture(BatchScorer model, Map<String, String> overrides) {
        this(null, model, null, overrides, DetectorMetrics.NONE, SchemaHistory.released());
    }

    /** The topology scoring with {@code model} (e.g. a {@link LiveModel}); {@code scorer} is the fake behind it. */
    TopologyFixture(FakeScorer scorer, BatchScorer model, Map<String, String> overrides, DetectorMetrics metrics) {
        this(scorer, model, null, overrides, metrics, SchemaHistory.released());
    }

    /** With {@code shadow} judging every frame beside {@code scorer}, its verdicts on {@link #shadowScores}. */
    TopologyFixture(FakeScorer scorer, FakeScorer shadow, Map<String, String> overrides) {
        this(scorer, scorer, shadow, overrides, DetectorMetrics.NONE, SchemaHistory.released());
    }

    private TopologyFixture(FakeScorer scorer, BatchScorer model, BatchScorer shadow, Map<String, String> overrides,
                            DetectorMetrics metrics, SchemaHistory history) {
        this.scorer = scorer;
        Map<String, String> cfg = new HashMap<>(Map.of(FrameGuardConfig.MODEL_PATH, "unused.bundle"));
        if (shadow != null) {
            cfg.put(FrameGuardConfig.SHADOW_MODEL_PATH, "unused-shadow.bundle");
        }
        cfg.putAll(overrides);
        FrameGuardConfig config = FrameGuardConfig.load(null, Map.of(), cfg);
        Topics t = Topics.of(config);
        topics = new Topics(t.frames(), t.scores(), t.anomalies(), t.deadLetters(), t.shadowScores(),
                new SingleObjectWireFormat(history).serde(ImageFrame.class), t.scoreSerde(), t.anomalySerde(), t.thresholdSerde(),
                t.storedFrameSerde(), t.bufferedSerde(), t.wire());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ttd");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(FrameGuardTopology.build(config, topics, model, shadow, metrics), props, Instant.EPOCH);
        frames = driver.createInputTopic(topics.frames(), new ByteArraySerializer(), new ByteArraySerializer());
        scores = driver.createOutputTopic(topics.scores(), new StringDeserializer(), topics.scoreSerde().deserializer());
        anomalies = driver.createOutputTopic(topics.anomalies(), new StringDeserializer(), topics.anomalySerde().deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        shadowScores = shadow == null ? null
                : driver.createOutputTopic(topics.shadowScores(), new StringDeserializer(), topics.scoreSerde().deserializer());
    }

    /** A valid 4×4 gray frame whose every pixel is {@code value} (so its fake score is value/255). */
    static ImageFrame frame(String id, String source, int value, String label) {
        byte[] px = new byte[FakeScorer.SIZE * FakeScorer.SIZE];
        Arrays.fill(px, (byte) value);
        return ImageFrame.newBuilder().setFrameId(id).setSourceId(source).setCaptureTime(Instant.ofEpochMilli(1000))
                .setWidth(FakeScorer.SIZE).setHeight(FakeScorer.SIZE).setChannels(1).setEncoding(Encoding.RAW_U8)
                .setPixels(ByteBuffer.wrap(px)).setLabel(label).build();
    }

    byte[] encode(ImageFrame f) {
        return topics.frameSerde().serializer().serialize(topics.frames(), f);
    }

    void send(ImageFrame f) {
        frames.pipeInput(f.getSourceId().getBytes(), encode(f));
    }

    @Override
    public void close() {
        driver.close();
    }
}
