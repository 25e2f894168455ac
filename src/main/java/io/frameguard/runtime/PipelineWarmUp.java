package io.frameguard.runtime;

import io.frameguard.avro.Encoding;
import io.frameguard.avro.ImageFrame;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.stream.BatchScorer;
import io.frameguard.stream.FrameGuardTopology;
import io.frameguard.stream.Topics;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Runs the detector's own topology over synthetic frames in a {@link TopologyTestDriver} (no broker,
 * nothing written anywhere) before the application takes partitions, so that the JIT has compiled
 * the whole serving path: decoding, the batch store and its changelog records, scoring, thresholds,
 * the events' encoding and Kafka Streams' record processing around them. Warming the scorer alone
 * left a fresh {@code serve} process seconds behind its first frames while C2 compiled the rest.
 *
 * <p>The run has its own metrics (not on {@code /metrics}), its own source states and a state directory of its own
 * ({@code state.dir/warm-up}, deleted after), so nothing of it is seen by the detector that
 * follows. Full batches alternate with lingered ones, so that both flush paths are compiled; half
 * the frames are noise, half blank, so that both verdicts' paths (for anomalies: maps, regions,
 * events) are compiled. It stops when the JIT compilers have settled (a few rounds in a row with
 * little compilation), after {@code maxMs} at most.
 */
final class PipelineWarmUp {
    /** Frames per round, between two looks at the JIT compilers. */
    static final int ROUND = 2048;
    /** Rounds at least, so that the per-frame paths pass the C2 thresholds (about 10,000 calls). */
    static final int MIN_ROUNDS = 8;
    /** Settled: rounds in which the compilers were busy for less than this share of the wall time... */
    static final double SETTLED = 0.05;
    /** ...this many in a row (a long C2 compilation is counted only when it ends). */
    static final int SETTLED_ROUNDS = 3;

    static final List<String> SOURCES = List.of("frameguard-warm-up-1", "frameguard-warm-up-2", "frameguard-warm-up-3",
            "frameguard-warm-up-4");

    /**
     * What a warm-up did: frames through the topology, how many of them were scored and how many
     * dead-lettered (a warm-up whose frames were refused would have warmed nothing), rounds, wall
     * time and the JIT compilers' time meanwhile.
     */
    record Result(long frames, long scored, long deadLettered, int rounds, long millis, long jitMillis, boolean settled) {
        /** No warm-up: turned off, or failed. */
        static final Result NONE = new Result(0, 0, 0, 0, 0, 0, false);
    }

    private PipelineWarmUp() {
    }

    /**
     * Runs the topology that {@code config}, the {@code live} topics' serdes and {@code scorer} make
     * (without a shadow) on {@code frames} ({@link #frames}), for {@code maxMs} at most.
     */
    static Result run(FrameGuardConfig config, Topics live, BatchScorer scorer, byte[][] frames, long maxMs) {
        if (maxMs <= 0) {
            return Result.NONE;
        }
        Topics topics = ownEncoding(live);
        long t0 = System.nanoTime();
        long deadline = t0 + maxMs * 1_000_000;
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
        long jit0 = timed ? jit.getTotalCompilationTime() : 0;
        Path state = Path.of(config.getString(FrameGuardConfig.STATE_DIR)).resolve("warm-up").toAbsolutePath();
        Properties props = config.streamsProperties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.getString(FrameGuardConfig.APPLICATION_ID) + "-warm-up");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        int batchSize = config.getInt(FrameGuardConfig.BATCH_SIZE);
        Duration linger = Duration.ofMillis(config.getLong(FrameGuardConfig.LINGER_MS) + 1);
        long sent = 0;
        int rounds = 0;
        boolean settled = false;
        int quiet = 0;
        long[] counts = new long[2];
        // metrics of its own, of the detector's kind: the same code as the detector's, nothing seen on /metrics
        try (TopologyTestDriver driver = new TopologyTestDriver(FrameGuardTopology.build(config, topics, scorer, null,
                new PrometheusDetectorMetrics()), props, Instant.now())) {
            TestInputTopic<byte[], byte[]> input = driver.createInputTopic(topics.frames(), new ByteArraySerializer(),
                    new ByteArraySerializer());
            Map<String, TestOutputTopic<byte[], byte[]>> outputs = new HashMap<>();
            Random random = new Random(1);
            while (!settled && System.nanoTime() < deadline) {
                long roundStart = System.nanoTime();
                long roundJit = timed ? jit.getTotalCompilationTime() : 0;
                // a slow model (large frames) may not finish a round in time: the deadline is looked at per batch
                for (int n = 0; n < ROUND && System.nanoTime() < deadline; ) {
                    // a full batch, then a lingered one of a few frames flushed by the wall-clock punctuator
                    int count = rounds % 2 == 0 || n % 2 == 0 ? batchSize : 1 + random.nextInt(Math.max(1, batchSize / 8));
                    for (int i = 0; i < count; i++, n++, sent++) {
                        int f = (int) (sent % frames.length);
                        input.pipeInput(SOURCES.get(f % SOURCES.size()).getBytes(StandardCharsets.UTF_8), frames[f]);
                    }
                    driver.advanceWallClockTime(linger);
                    drain(driver, topics, outputs, counts);
                }
                rounds++;
                long wall = System.nanoTime() - roundStart;
                long compiling = timed ? (jit.getTotalCompilationTime() - roundJit) * 1_000_000 : 0;
                quiet = compiling < SETTLED * wall ? quiet + 1 : 0;
                settled = timed && rounds >= MIN_ROUNDS && quiet >= SETTLED_ROUNDS;
            }
        } finally {
            Utils.closeQuietly(() -> Utils.delete(state.toFile()), "warm-up state directory");
        }
        return new Result(sent, counts[0], counts[1], rounds, (System.nanoTime() - t0) / 1_000_000,
                timed ? jit.getTotalCompilationTime() - jit0 : 0, settled);
    }

    /**
     * Reads and drops what the topology wrote (outputs and changelogs), so the driver holds nothing,
     * counting the scores ({@code counts[0]}) and the dead letters ({@code counts[1]}).
     */
    private static void drain(TopologyTestDriver driver, Topics topics, Map<String, TestOutputTopic<byte[], byte[]>> outputs,
                              long[] counts) {
        for (String topic : driver.producedTopicNames()) {
            TestOutputTopic<byte[], byte[]> out = outputs.computeIfAbsent(topic,
                    t -> driver.createOutputTopic(t, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
            long n = out.getQueueSize();
            for (long i = 0; i < n; i++) {
                out.readRecord();
            }
            if (topic.equals(topics.scores())) {
                counts[0] += n;
            } else if (topic.equals(topics.deadLetters())) {
                counts[1] += n;
            }
        }
    }

    /**
     * The live topics with frames in FrameGuard's own single-object encoding whatever wire.format
     * says: with a registry, encoding them in its format would register the input schema there.
     */
    private static Topics ownEncoding(Topics live) {
        return new Topics(live.frames(), live.scores(), live.anomalies(), live.deadLetters(), null,
                live.storedFrameSerde(), live.scoreSerde(), live.anomalySerde(), live.thresholdSerde(), live.storedFrameSerde(),
                live.bufferedSerde(), live.wire());
    }

    /** The warm-up's frames ({@link #encode}) for the {@code live} topics, also for {@link BrokerWarmUp}. */
    static byte[][] frames(FrameGuardConfig config, Topics live, BatchScorer scorer) {
        return encode(config, ownEncoding(live), scorer);
    }

    /**
     * Distinct frames of noise and blank ones in the line's size and the model's channels, in the
     * warm-up's encoding: 64 of them, fewer for large frames (about 16 MB in all, 4 at least).
     */
    private static byte[][] encode(FrameGuardConfig config, Topics topics, BatchScorer scorer) {
        String shape = config.getString(FrameGuardConfig.FRAME_SHAPE).trim();
        int width = scorer.width();
        int height = scorer.height();
        if (!shape.isEmpty()) {
            String[] wh = shape.split("x");
            width = Integer.parseInt(wh[0]);
            height = Integer.parseInt(wh[1]);
        }
        int channels = scorer.channels();
        Random random = new Random(7);
        int bytes = width * height * channels;
        byte[][] encoded = new byte[Math.max(4, Math.min(64, (16 << 20) / Math.max(1, bytes)))][];
        for (int i = 0; i < encoded.length; i++) {
            byte[] px = new byte[bytes];
            if (i % 2 == 0) {
                random.nextBytes(px); // most models judge noise anomalous, and blank frames (odd ones) normal
            }
            // frames with and without labels and attributes, as producers send them
            ImageFrame f = ImageFrame.newBuilder().setFrameId("frameguard-warm-up-" + i).setSourceId(SOURCES.get(i % SOURCES.size()))
                    .setCaptureTime(Instant.now()).setWidth(width).setHeight(height).setChannels(channels)
                    .setEncoding(Encoding.RAW_U8).setPixels(ByteBuffer.wrap(px)).setLabel(i % 4 < 2 ? null : "warm-up")
                    .setAttributes(i % 8 < 4 ? Map.of() : Map.of("frameguard.warm-up", "true")).build();
            encoded[i] = topics.frameSerde().serializer().serialize(topics.frames(), f);
        }
        return encoded;
    }
}
