package io.frameguard.runtime;

import io.frameguard.FrameGuardException;
import io.frameguard.avro.ThresholdState;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.model.ModelBundle;
import io.frameguard.model.inspection.InspectionBundle;
import io.frameguard.stream.BatchScorer;
import io.frameguard.stream.BundleBatchScorer;
import io.frameguard.stream.FrameGuardTopology;
import io.frameguard.stream.InspectionBatchScorer;
import io.frameguard.stream.LiveModel;
import io.frameguard.stream.Names;
import io.frameguard.stream.Topics;
import io.frameguard.stream.serde.registry.RegistryRejectedException;
import io.frameguard.stream.serde.registry.RegistryUnavailableException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Metric;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle of one detector instance: checks the broker and topics, runs the Kafka Streams
 * application, serves HTTP, and shuts down cleanly. {@code main} code only wires this.
 */
public final class Detector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Detector.class);

    private final FrameGuardConfig config;
    private final Function<FrameGuardConfig, BatchScorer> model;
    private final PrometheusDetectorMetrics metrics = new PrometheusDetectorMetrics();
    private final DetectorHealth health = new DetectorHealth();
    private KafkaStreams streams;
    private LiveModel scorer;
    private ModelWatcher watcher;
    private HttpEndpoint http;

    public Detector(FrameGuardConfig config, ModelBundle bundle) {
        this(config, c -> new BundleBatchScorer(bundle, c.scoringThreads()));
    }

    /** A detector for an inspection model: frames of any size at least its tile. */
    public Detector(FrameGuardConfig config, InspectionBundle bundle) {
        this(config, c -> new InspectionBatchScorer(bundle, c.scoringThreads()));
    }

    private Detector(FrameGuardConfig config, Function<FrameGuardConfig, BatchScorer> model) {
        this.config = config;
        this.model = model;
    }

    /** The same model under another configuration (e.g. once an embedded broker's address is known). */
    public Detector withConfig(FrameGuardConfig other) {
        return new Detector(other, model);
    }

    /** A detector for the bundle at {@code model.path}, whichever kind it is; fails fast on a bad bundle. */
    public static Detector forModelPath(FrameGuardConfig config) {
        BatchScorer first = load(config);
        return new Detector(config, c -> first);
    }

    private static BatchScorer load(FrameGuardConfig c) {
        return Models.load(c.modelPath(), c.scoringThreads());
    }

    /** Fails fast, with one line, when the broker cannot be reached or the input topic is missing. */
    public Detector start() {
        BatchScorer first = model.apply(config);
        checkShape(first);
        checkCluster();
        Topics topics = registerSchemas();
        // warm before the first partition is taken: a cold scorer judged its first seconds several times slower
        scorer = new LiveModel(warm(first));
        // a detector given its bundle in-process (demo, bench) may have no model.path to watch
        String path = config.getString(FrameGuardConfig.MODEL_PATH);
        if (path != null && !path.isBlank()) {
            watcher = new ModelWatcher(Path.of(path), config.getLong(FrameGuardConfig.MODEL_WATCH_INTERVAL_MS), this::reloadModel);
        }
        BatchScorer shadow = Models.shadow(config, first, this::warm);
        warmUp(topics);
        streams = new KafkaStreams(FrameGuardTopology.build(config, topics, scorer, shadow, metrics), config.streamsProperties());
        streams.setUncaughtExceptionHandler(e -> {
            health.streamThreadFailed();
            LOG.error("stream thread failed ({} in the last {} min; /health/live fails at {}); replacing it (the task restarts"
                    + " from its last commit)", health.recentThreadFailures(), DetectorHealth.FAILURE_WINDOW.toMinutes(),
                    DetectorHealth.MAX_THREAD_FAILURES, e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        metrics.kafkaStreams(streams::metrics);
        metrics.gauge("frameguard_consumer_lag", "Records of the frames topic not yet consumed", this::consumerLag);
        metrics.gauge("frameguard_running", "1 while the stream application is RUNNING",
                () -> state() == KafkaStreams.State.RUNNING ? 1 : 0);
        metrics.gauge("frameguard_ready", "1 while /health/ready answers 200", () -> isReady() ? 1 : 0);
        metrics.gauge("frameguard_stream_thread_failures_recent", "Stream thread failures in the last "
                + DetectorHealth.FAILURE_WINDOW.toMinutes() + " minutes", health::recentThreadFailures);
        streams.start();
        int port = config.getInt(FrameGuardConfig.HTTP_PORT);
        if (port >= 0) {
            http = new HttpEndpoint(config.getString(FrameGuardConfig.HTTP_HOST), port, this, metrics);
        }
        return this;
    }

    /**
     * The rest of the serving path, before the first partition is taken: in memory, then on the
     * broker, on the same synthetic frames.
     */
    private void warmUp(Topics topics) {
        long maxMs = config.getLong(FrameGuardConfig.WARM_UP_MS);
        if (maxMs <= 0) {
            return;
        }
        byte[][] frames;
        try {
            frames = PipelineWarmUp.frames(config, topics, scorer);
        } catch (RuntimeException e) {
            LOG.warn("serving path warm-up failed, starting without it: {}", e.toString());
            return;
        }
        PipelineWarmUp.Result inMemory = warmPipeline(topics, frames, maxMs);
        warmOnBroker(topics, frames, BrokerWarmUp.rate(inMemory.frames(), inMemory.millis()), maxMs);
        int nice = config.getInt(FrameGuardConfig.JIT_NICE_AFTER_WARM_UP);
        if (nice > 0) {
            CompilerPriority.Outcome o = CompilerPriority.lower(nice);
            if (o.lowered()) {
                LOG.info(o.message());
            } else {
                LOG.warn("{} ({} is {})", o.message(), FrameGuardConfig.JIT_NICE_AFTER_WARM_UP, nice);
            }
        }
    }

    /** In memory: {@link PipelineWarmUp}; {@link PipelineWarmUp.Result#NONE} when it failed. */
    private PipelineWarmUp.Result warmPipeline(Topics topics, byte[][] frames, long maxMs) {
        PipelineWarmUp.Result r;
        try {
            r = PipelineWarmUp.run(config, topics, scorer, frames, maxMs);
        } catch (RuntimeException e) {
            // a faster first minute is not worth a detector that does not start
            LOG.warn("serving path warm-up failed, starting without it: {}", e.toString());
            return PipelineWarmUp.Result.NONE;
        }
        if (r.frames() > 0) {
            LOG.info("serving path warmed up: {} synthetic frames ({} scored, {} dead-lettered) in {} ms, JIT {} ms ({})",
                    r.frames(), r.scored(), r.deadLettered(), r.millis(), r.jitMillis(),
                    r.settled() ? "settled" : "stopped at " + FrameGuardConfig.WARM_UP_MS);
        }
        return r;
    }

    /** Then the stream thread, the Kafka clients and the commits, on the broker: {@link BrokerWarmUp}. */
    private void warmOnBroker(Topics topics, byte[][] frames, double framesPerSecond, long maxMs) {
        if (!config.getBoolean(FrameGuardConfig.WARM_UP_ON_BROKER)) {
            return;
        }
        if (BrokerWarmUp.settledInThisJvm()) {
            LOG.info("warm-up on the broker skipped: an earlier one in this JVM settled");
            return;
        }
        BrokerWarmUp.Result r;
        try {
            r = BrokerWarmUp.run(config, topics, scorer, frames, framesPerSecond, maxMs);
        } catch (RuntimeException e) {
            LOG.warn("warm-up on the broker failed, starting without it: {}", e.toString());
            return;
        }
        if (r.sent() > 0) {
            LOG.info("stream thread and Kafka clients warmed up on the broker: {} synthetic frames (offered at {} frames/s at"
                    + " most) through application {} started {} times, {} outputs read back, in {} ms, JIT {} ms ({})", r.sent(),
                    Math.round(framesPerSecond), BrokerWarmUp.applicationId(config), r.starts(), r.read(), r.millis(), r.jitMillis(),
                    r.settled() ? "settled" : "stopped at " + FrameGuardConfig.WARM_UP_MS);
        }
    }

    private BatchScorer warm(BatchScorer s) {
        long t0 = System.nanoTime();
        int batches = ScorerWarmUp.warm(s, Math.min(256, config.getInt(FrameGuardConfig.BATCH_SIZE)));
        LOG.info("model {} warmed up: {} synthetic batches in {} ms", s.modelId(), batches, (System.nanoTime() - t0) / 1_000_000);
        return s;
    }

    /**
     * Loads the bundle at model.path again and puts it in force from the next batch of each stream
     * thread, unless it is the model already in force. Its thresholds start from its own calibration
     * (threshold states are per model). Called on a replaced file and on SIGHUP; a bundle that fails
     * to load, or takes another frame size, leaves the running model alone.
     */
    public synchronized void reloadModel() {
        BatchScorer next = load(config);
        if (next.modelId().equals(scorer.current().modelId())) {
            LOG.info("model.path {} holds model {}, already in force", config.modelPath(), next.modelId());
            return;
        }
        checkShape(next);
        String old = scorer.current().modelId();
        scorer.replace(warm(next));
        metrics.modelReloaded();
        LOG.info("model {} in force from the next batch (was {})", next.modelId(), old);
    }

    /** Reloads now, on the watcher's thread (SIGHUP). */
    public void requestReload() {
        if (watcher != null) {
            watcher.reloadNow();
        }
    }

    private void checkShape(BatchScorer scorer) {
        String shape = config.getString(FrameGuardConfig.FRAME_SHAPE).trim();
        String input = scorer.width() + "x" + scorer.height();
        if (!shape.isEmpty() && !shape.equals(input) && !scorer.anyFrameSize()) {
            throw new FrameGuardException("frame.shape=" + shape + " does not match the input of model " + scorer.modelId()
                    + " (" + input + ")");
        }
    }

    /** With a Schema Registry: registers the output schemas now, so a registry that is down fails start-up in one line. */
    private Topics registerSchemas() {
        Topics topics = Topics.of(config);
        try {
            topics.registerOutputs();
        } catch (RegistryUnavailableException | RegistryRejectedException e) {
            throw new FrameGuardException(e.getMessage() + " (schema.registry.url)", e);
        }
        return topics;
    }

    private void checkCluster() {
        String bootstrap = config.getString(FrameGuardConfig.BOOTSTRAP_SERVERS);
        Map<String, Object> admin = new java.util.HashMap<>();
        config.clientProperties().forEach((k, v) -> admin.put(k.toString(), v));
        admin.put("request.timeout.ms", 10_000);
        admin.put("default.api.timeout.ms", 15_000);
        String frames = config.getString(FrameGuardConfig.TOPIC_FRAMES);
        try (Admin a = Admin.create(admin)) {
            a.describeCluster().nodes().get(20, TimeUnit.SECONDS);
            Set<String> topics = a.listTopics().names().get(20, TimeUnit.SECONDS);
            if (!topics.contains(frames)) {
                throw new FrameGuardException("topic '" + frames + "' does not exist on " + bootstrap
                        + " (create it, or run serve --embedded)");
            }
        } catch (TimeoutException | ExecutionException e) {
            throw new FrameGuardException("cannot reach Kafka at " + bootstrap + " (bootstrap.servers): "
                    + (e.getCause() != null ? e.getCause().getMessage() : "no answer within 20 s"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FrameGuardException("interrupted while connecting to " + bootstrap, e);
        }
    }

    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (streams.state() == KafkaStreams.State.RUNNING) {
                return true;
            }
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                return false;
            }
            Thread.sleep(50);
        }
        return false;
    }

    public KafkaStreams.State state() {
        return streams == null ? KafkaStreams.State.CREATED : streams.state();
    }

    /** See {@link DetectorHealth}: false in ERROR, after shutdown, or while stream threads crash-loop. */
    public boolean isLive() {
        return health.isLive(state());
    }

    /** See {@link DetectorHealth}: live, RUNNING and with a model loaded. */
    public boolean isReady() {
        return health.isReady(state(), scorer != null);
    }

    public int recentThreadFailures() {
        return health.recentThreadFailures();
    }

    /** The id of the model in force for new batches, or null before {@link #start}. */
    public String modelId() {
        return scorer == null ? null : scorer.current().modelId();
    }

    public PrometheusDetectorMetrics metrics() {
        return metrics;
    }

    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    /**
     * Threshold states held by this instance (interactive query): keyed by source for the model in
     * force, by {@code source@model} for other models' states (a replaced model's, until they expire).
     */
    public Map<String, Map<String, Object>> thresholds() {
        ReadOnlyKeyValueStore<String, ThresholdState> store = streams.store(
                StoreQueryParameters.fromNameAndType(Names.THRESHOLD_STORE, QueryableStoreTypes.keyValueStore()));
        Map<String, Map<String, Object>> out = new TreeMap<>();
        String current = modelId();
        try (KeyValueIterator<String, ThresholdState> it = store.all()) {
            it.forEachRemaining(kv -> out.put(kv.value.getModelId().equals(current) ? kv.value.getSourceId()
                    : kv.value.getSourceId() + "@" + kv.value.getModelId(), Map.of("threshold", kv.value.getThreshold(),
                    "strategy", kv.value.getStrategy(), "window", kv.value.getWindow().size(),
                    "updates", kv.value.getUpdates(), "updated_time", kv.value.getUpdatedTime().toString(),
                    "model_id", kv.value.getModelId())));
        }
        return out;
    }

    private double consumerLag() {
        if (streams == null) {
            return Double.NaN;
        }
        double lag = 0;
        for (Metric m : streams.metrics().values()) {
            if (m.metricName().name().equals("records-lag") && m.metricName().group().equals("consumer-fetch-manager-metrics")
                    && config.getString(FrameGuardConfig.TOPIC_FRAMES).equals(m.metricName().tags().get("topic"))) {
                Object v = m.metricValue();
                if (v instanceof Number n && !Double.isNaN(n.doubleValue())) {
                    lag += n.doubleValue();
                }
            }
        }
        return lag;
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
        if (http != null) {
            http.close();
        }
        if (streams != null) {
            // Leave the group at once so that another instance takes the partitions now, rather than
            // after session.timeout.ms (45 s): Kafka Streams stays in the group on close by default.
            streams.close(CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
        }
        if (scorer != null) {
            scorer.close();
        }
    }
}
