package io.frameguard.runtime;

import io.frameguard.avro.AnomalyEvent;
import io.frameguard.avro.FrameScore;
import io.frameguard.avro.ImageFrame;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.stream.BatchScorer;
import io.frameguard.stream.FrameGuardTopology;
import io.frameguard.stream.Topics;
import io.frameguard.stream.serde.SingleObjectWireFormat;
import io.frameguard.topics.CommittedConsumer;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * Runs the detector's topology as a Kafka Streams application of its own on the real broker, over
 * synthetic frames, before the detector takes partitions: the same stream thread loop, task
 * manager, producer (transactional under exactly-once), consumer, changelog writes and commits as
 * the detector's, so that the JIT has compiled them when the first real frames come.
 *
 * <p>Why: {@link PipelineWarmUp} runs the topology in memory, where there is no stream thread
 * loop, no network thread and a mock producer. A fresh {@code serve} process then compiled about
 * 2,800 methods of Kafka Streams and its clients under the first seconds of real traffic, with the
 * stream thread waiting at each commit for a producer whose sender was still interpreted, and its
 * first second's frames waited over a second.
 *
 * <p>What it leaves on the broker, all under the application id's prefix (which the detector's own
 * internal topics already need ACLs for): the application {@code <application.id>-warm-up} (its
 * consumer group, transactional ids and changelog topics), its input topic of the same name and
 * its output topic {@code <application.id>-warm-up-out}, with as many partitions as the line's
 * frames topic and records kept a minute. The next start uses them again. Nothing is written to the line's topics, and the warm-up's
 * outputs are in FrameGuard's own encoding, so nothing is registered in a schema registry. Its
 * local state ({@code state.dir/warm-up-streams}) is deleted after.
 *
 * <p>Compiled code is the JVM's: once a warm-up has settled, later detectors in the same process
 * (tests, benches) skip it.
 */
final class BrokerWarmUp {
    /** Wall time between two looks at the JIT compilers. */
    static final long ROUND_MS = 1000;
    /** Rounds at least. */
    static final int MIN_ROUNDS = 4;
    /**
     * Settled: rounds in which the compilers were busy for less than this share of the wall time,
     * {@link PipelineWarmUp#SETTLED_ROUNDS} in a row. Less strict than in memory: on 2 cores the
     * compilers took 10-13 s over 17-31 s of this traffic, and their last compilations take tens of
     * milliseconds each.
     */
    static final double SETTLED = 0.20;
    /** The in-memory warm-up's sources, as record keys. */
    private static final byte[][] KEYS = PipelineWarmUp.SOURCES.stream().map(k -> k.getBytes(StandardCharsets.UTF_8))
            .toArray(byte[][]::new);
    static final long RETENTION_MS = 60_000;
    /** Every compression of Kafka's producers: the consumer decompresses what the line's cameras chose. */
    static final List<String> COMPRESSIONS = List.of("none", "lz4", "zstd", "snappy", "gzip");
    /**
     * Between two bursts of frames (one of a full batch, one of a few frames, in turn) at least: about
     * 5,000 frames/s of 256-frame batches. Faster traffic only takes CPU from the JIT compilers that
     * the warm-up waits for.
     */
    static final long PAUSE_MS = 25;
    /** The most frames per second offered, whatever the scorer could take. */
    static final double MAX_RATE = 5_000;
    /**
     * The share of what the scorer took in memory ({@link PipelineWarmUp}) that is offered here: a
     * scorer slower than the offer (large frames, a convolutional model) left the compilers no CPU, and
     * the warm-up never settled. A 64×64 {@code draem} scorer took about 1,500 frames/s in memory on 2
     * cores, and was offered 5,000.
     */
    static final double SHARE_OF_IN_MEMORY_RATE = 0.5;

    /**
     * Starts of the warm-up application, each run until the compilers settle. A fresh {@code serve}
     * whose warm-up had started once took 169 deoptimizations in the three seconds before its line
     * was RUNNING and the first second after, in the consumer's fetcher, the network client and the
     * producer's accumulator among others ({@code class_check} and {@code unstable_if}: code C2 had
     * compiled without the paths a start takes), and recompiled while the first frames waited; with
     * a second start, 20 (flight recordings, {@code bench pipeline --fresh-serve-only}, BENCHMARKS.md).
     */
    static final int STARTS = 2;

    private static final AtomicBoolean SETTLED_IN_THIS_JVM = new AtomicBoolean();

    /**
     * What a warm-up did: frames written, outputs read back, rounds of {@link #ROUND_MS}, starts of
     * the application, wall time, the JIT compilers' time meanwhile, and whether they settled after
     * {@link #STARTS} starts.
     */
    record Result(long sent, long read, int rounds, int starts, long millis, long jitMillis, boolean settled) {
    }

    private BrokerWarmUp() {
    }

    /** True once a warm-up in this JVM has settled: the code it compiles is compiled for every later detector. */
    static boolean settledInThisJvm() {
        return SETTLED_IN_THIS_JVM.get();
    }

    static String applicationId(FrameGuardConfig config) {
        return config.getString(FrameGuardConfig.APPLICATION_ID) + "-warm-up";
    }

    /**
     * The frames per second to offer after the in-memory warm-up scored {@code frames} in
     * {@code millis}: {@link #SHARE_OF_IN_MEMORY_RATE} of that, {@link #MAX_RATE} at most, and
     * {@link #MAX_RATE} when nothing was measured.
     */
    static double rate(long frames, long millis) {
        if (frames <= 0 || millis <= 0) {
            return MAX_RATE;
        }
        return Math.min(MAX_RATE, Math.max(1, SHARE_OF_IN_MEMORY_RATE * frames * 1000.0 / millis));
    }

    /**
     * Runs {@code scorer} behind the topology that {@code config} makes, with the state stores' serdes
     * of the detector's {@code live} topics, on {@code frames} (in FrameGuard's own encoding,
     * {@link PipelineWarmUp#frames}), offered at {@code framesPerSecond} at most, for {@code maxMs} at most.
     */
    static Result run(FrameGuardConfig config, Topics live, BatchScorer scorer, byte[][] frames, double framesPerSecond,
                      long maxMs) {
        if (maxMs <= 0) {
            return new Result(0, 0, 0, 0, 0, 0, false);
        }
        long t0 = System.nanoTime();
        long deadline = t0 + maxMs * 1_000_000;
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
        long jit0 = timed ? jit.getTotalCompilationTime() : 0;
        String app = applicationId(config);
        String in = app;
        String out = app + "-out";
        createTopics(config, List.of(in, out), partitions(config));
        SingleObjectWireFormat own = new SingleObjectWireFormat();
        Topics topics = new Topics(in, out, out, out, null, own.serde(ImageFrame.class), own.serde(FrameScore.class),
                own.serde(AnomalyEvent.class), live.thresholdSerde(), live.storedFrameSerde(), live.bufferedSerde(), own);
        Path state = Path.of(config.getString(FrameGuardConfig.STATE_DIR)).resolve("warm-up-streams").toAbsolutePath();
        Properties props = config.streamsProperties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        long[] counts = new long[3];
        boolean settled = false;
        int starts = 0;
        try {
            // twice: a start runs code (clients' first requests, the group join, the first fetches and
            // transactions) that C2 compiled the steady state without; a second start, once the rest is
            // compiled, takes those deoptimizations and recompiles here rather than under the line's first frames
            while (starts < STARTS && (starts == 0 || settled) && System.nanoTime() < deadline) {
                Start start = traffic(config, FrameGuardTopology.build(config, topics, scorer, null, new PrometheusDetectorMetrics()),
                        props, topics.frames(), topics.scores(), frames, framesPerSecond, starts == 0, deadline, counts);
                starts++;
                // NOT_RUNNING (warm.up.ms ended while a later start joined its group) ends the loop too:
                // what the first start compiled stands
                settled = start == Start.SETTLED;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Utils.closeQuietly(() -> Utils.delete(state.toFile()), "warm-up state directory");
        }
        settled &= starts == STARTS;
        if (settled) {
            SETTLED_IN_THIS_JVM.set(true);
        }
        return new Result(counts[0], counts[1], (int) counts[2], starts, (System.nanoTime() - t0) / 1_000_000,
                timed ? jit.getTotalCompilationTime() - jit0 : 0, settled);
    }

    /** How a start of the warm-up application ended. */
    private enum Start {
        /** The compilers settled while it ran. */
        SETTLED,
        /** It ran until the deadline without the compilers settling. */
        NOT_SETTLED,
        /** A later start was still joining its group at the deadline: it offered nothing. */
        NOT_RUNNING
    }

    /**
     * Starts the warm-up application and offers it frames until the JIT compilers settle or
     * {@code deadline}, then closes it; counts frames sent, outputs read and rounds in {@code counts}.
     * The {@code first} start that is not RUNNING by the deadline is an error; a later one is
     * {@link Start#NOT_RUNNING}.
     */
    private static Start traffic(FrameGuardConfig config, org.apache.kafka.streams.Topology topology, Properties props,
                                 String in, String out, byte[][] frames, double framesPerSecond, boolean first, long deadline,
                                 long[] counts)
            throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
        int batchSize = config.getInt(FrameGuardConfig.BATCH_SIZE);
        long pauseMs = Math.max(config.getLong(FrameGuardConfig.LINGER_MS) + 1, PAUSE_MS);
        int rounds = 0;
        int quiet = 0;
        boolean settled = false;
        AtomicReference<Throwable> failed = new AtomicReference<>();
        KafkaStreams streams = new KafkaStreams(topology, props);
        streams.setUncaughtExceptionHandler(e -> {
            failed.compareAndSet(null, e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        List<KafkaProducer<byte[], byte[]>> cameras = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> outputs = CommittedConsumer.open(config.clientProperties(), out, false)) {
            for (String compression : COMPRESSIONS) {
                Properties p = config.clientProperties();
                p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
                cameras.add(new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer()));
            }
            streams.start();
            if (!awaitRunning(streams, failed, first, deadline)) {
                return Start.NOT_RUNNING;
            }
            Random random = new Random(1);
            long bursts = 0;
            long offerStart = System.nanoTime();
            while (!settled && System.nanoTime() < deadline && failed.get() == null) {
                long roundStart = System.nanoTime();
                long roundJit = timed ? jit.getTotalCompilationTime() : 0;
                while (System.nanoTime() - roundStart < ROUND_MS * 1_000_000 && System.nanoTime() < deadline) {
                    // full batches and a few frames that wait for linger.ms, in turn: both flush paths; from
                    // cameras of every compression a line's producers may use, so that none is new to the consumer
                    KafkaProducer<byte[], byte[]> camera = cameras.get((int) (bursts % cameras.size()));
                    int count = bursts++ % 2 == 0 ? batchSize : 1 + random.nextInt(Math.max(1, batchSize / 8));
                    for (int i = 0; i < count; i++, counts[0]++) {
                        int f = (int) (counts[0] % frames.length);
                        camera.send(new ProducerRecord<>(in, KEYS[f % KEYS.length], frames[f]));
                    }
                    counts[1] += outputs.poll(Duration.ZERO).count();
                    // not before the frames sent so far are due at framesPerSecond (nor past the deadline), and
                    // never without a pause
                    long now = System.nanoTime();
                    long dueMs = (long) (counts[0] * 1000 / framesPerSecond) - (now - offerStart) / 1_000_000;
                    Thread.sleep(Math.max(pauseMs, Math.min(dueMs, (deadline - now) / 1_000_000)));
                }
                rounds++;
                counts[2]++;
                long wall = System.nanoTime() - roundStart;
                long compiling = timed ? (jit.getTotalCompilationTime() - roundJit) * 1_000_000 : 0;
                quiet = compiling < SETTLED * wall ? quiet + 1 : 0;
                settled = timed && rounds >= MIN_ROUNDS && quiet >= PipelineWarmUp.SETTLED_ROUNDS;
            }
            counts[1] += outputs.poll(Duration.ofMillis(100)).count();
        } finally {
            cameras.forEach(c -> Utils.closeQuietly(c, "warm-up producer"));
            streams.close(CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(10)));
        }
        if (failed.get() != null) {
            throw new IllegalStateException("the warm-up application failed: " + failed.get(), failed.get());
        }
        return settled ? Start.SETTLED : Start.NOT_SETTLED;
    }

    /** The line's partitions (of its frames topic), so that the clients partition as the detector's do. */
    private static int partitions(FrameGuardConfig config) {
        String frames = config.getString(FrameGuardConfig.TOPIC_FRAMES);
        try (Admin a = Admin.create(config.clientProperties())) {
            return a.describeTopics(List.of(frames)).allTopicNames().get(20, TimeUnit.SECONDS).get(frames).partitions().size();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe topic " + frames + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted describing topic " + frames, e);
        }
    }

    /**
     * Waits for {@code streams} to be RUNNING: true when it is, false when {@code deadline} passed
     * first on a start that is not the {@code first}; an error otherwise.
     */
    private static boolean awaitRunning(KafkaStreams streams, AtomicReference<Throwable> failed, boolean first, long deadline)
            throws InterruptedException {
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (failed.get() != null || !streams.state().isRunningOrRebalancing()) {
                throw new IllegalStateException("the warm-up application stopped in state " + streams.state()
                        + (failed.get() == null ? "" : ": " + failed.get()));
            }
            if (System.nanoTime() > deadline) {
                if (!first) {
                    return false;
                }
                throw new IllegalStateException("the warm-up application was not RUNNING within " + FrameGuardConfig.WARM_UP_MS
                        + " (state " + streams.state() + ")");
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** The warm-up's topics, unless they exist: the broker's replication factor, a minute's retention. */
    private static void createTopics(FrameGuardConfig config, List<String> names, int partitions) {
        Map<String, String> configs = Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(RETENTION_MS),
                TopicConfig.SEGMENT_MS_CONFIG, Long.toString(RETENTION_MS));
        try (Admin a = Admin.create(config.clientProperties())) {
            for (String name : names) {
                try {
                    a.createTopics(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs)))
                            .all().get(20, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create the warm-up topic " + name + ": " + e.getCause().getMessage(), e);
                    }
                }
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer within 20 s creating the warm-up topics " + names, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating the warm-up topics " + names, e);
        }
    }
}
