package io.frameguard.runtime;

import io.frameguard.FrameGuardException;
import io.frameguard.avro.ThresholdState;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.model.ModelBundle;
import io.frameguard.stream.BundleBatchScorer;
import io.frameguard.stream.FrameGuardTopology;
import io.frameguard.stream.Names;
import io.frameguard.stream.Topics;
import io.frameguard.stream.registry.RegistryRejectedException;
import io.frameguard.stream.registry.RegistryUnavailableException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Metric;
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
    private final ModelBundle bundle;
    private final PrometheusDetectorMetrics metrics = new PrometheusDetectorMetrics();
    private KafkaStreams streams;
    private BundleBatchScorer scorer;
    private HttpEndpoint http;

    public Detector(FrameGuardConfig config, ModelBundle bundle) {
        this.config = config;
        this.bundle = bundle;
    }

    /** Fails fast, with one line, when the broker cannot be reached or the input topic is missing. */
    public Detector start() {
        checkShape();
        checkCluster();
        Topics topics = registerSchemas();
        scorer = new BundleBatchScorer(bundle, config.scoringThreads());
        streams = new KafkaStreams(FrameGuardTopology.build(config, topics, scorer, metrics), config.streamsProperties());
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; replacing it (the task restarts from its last commit)", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        metrics.kafkaStreams(streams::metrics);
        metrics.gauge("frameguard_consumer_lag", "Records of the frames topic not yet consumed", this::consumerLag);
        metrics.gauge("frameguard_running", "1 while the stream application is RUNNING", () -> isHealthy() ? 1 : 0);
        streams.start();
        int port = config.getInt(FrameGuardConfig.HTTP_PORT);
        if (port >= 0) {
            http = new HttpEndpoint(config.getString(FrameGuardConfig.HTTP_HOST), port, this, metrics);
        }
        return this;
    }

    private void checkShape() {
        String shape = config.getString(FrameGuardConfig.FRAME_SHAPE).trim();
        var pre = bundle.metadata().preprocessing();
        String model = pre.width() + "x" + pre.height();
        if (!shape.isEmpty() && !shape.equals(model)) {
            throw new FrameGuardException("frame.shape=" + shape + " does not match the input of model " + bundle.modelId()
                    + " (" + model + ")");
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

    public boolean isHealthy() {
        KafkaStreams.State s = state();
        return s == KafkaStreams.State.RUNNING || s == KafkaStreams.State.REBALANCING;
    }

    public PrometheusDetectorMetrics metrics() {
        return metrics;
    }

    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    /** Current threshold state per source held by this instance (interactive query). */
    public Map<String, Map<String, Object>> thresholds() {
        ReadOnlyKeyValueStore<String, ThresholdState> store = streams.store(
                StoreQueryParameters.fromNameAndType(Names.THRESHOLD_STORE, QueryableStoreTypes.keyValueStore()));
        Map<String, Map<String, Object>> out = new TreeMap<>();
        try (KeyValueIterator<String, ThresholdState> it = store.all()) {
            it.forEachRemaining(kv -> out.put(kv.key, Map.of("threshold", kv.value.getThreshold(),
                    "strategy", kv.value.getStrategy(), "window", kv.value.getWindow().size(),
                    "updates", kv.value.getUpdates(), "updated_time", kv.value.getUpdatedTime().toString())));
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
        if (http != null) {
            http.close();
        }
        if (streams != null) {
            streams.close(Duration.ofSeconds(30));
        }
        if (scorer != null) {
            scorer.close();
        }
    }
}
