package io.frameguard.config;

import io.frameguard.FrameGuardException;
import io.frameguard.threshold.ThresholdStrategy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detector's configuration. Every key is defined once here, with its type, default, validator
 * and documentation; the configuration reference in docs/reference.md is generated from {@link #CONFIG}.
 *
 * <p>Layering, later wins: defaults → properties file ({@code --config}) → environment
 * ({@code FRAMEGUARD_BATCH_SIZE} sets {@code batch.size}) → command-line flags. An unknown key in a
 * file or a flag is an error; an unknown {@code FRAMEGUARD_*} variable is ignored with a warning
 * (see {@link #ignoredEnvironment}). Keys starting with
 * {@value #KAFKA_PREFIX} are passed, without the prefix, to every Kafka client the detector creates
 * (security settings, timeouts, ...).
 *
 * <p>Over 300 lines on purpose: the configuration's one home is one define per key, each with its
 * documentation.
 */
public final class FrameGuardConfig extends AbstractConfig {
    public static final String KAFKA_PREFIX = "kafka.";
    public static final String ENV_PREFIX = "FRAMEGUARD_";
    /** FRAMEGUARD_* variables read by the launcher, the harness and {@code dl4j.Dl4jMode}: not config keys. */
    private static final Set<String> LAUNCHER_VARIABLES = Set.of("FRAMEGUARD_HOME", "FRAMEGUARD_JAVA_OPTS", "FRAMEGUARD_DATA_DIR",
            "FRAMEGUARD_DL4J_PLAIN", "FRAMEGUARD_REGISTRY_JAVA");
    private static final Logger LOG = LoggerFactory.getLogger(FrameGuardConfig.class);

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String APPLICATION_ID = "application.id";
    public static final String MODEL_PATH = "model.path";
    public static final String TOPIC_FRAMES = "topic.frames";
    public static final String TOPIC_SCORES = "topic.scores";
    public static final String TOPIC_ANOMALIES = "topic.anomalies";
    public static final String TOPIC_DLQ = "topic.dlq";
    public static final String SHADOW_MODEL_PATH = "shadow.model.path";
    public static final String TOPIC_SHADOW_SCORES = "topic.shadow.scores";
    public static final String BATCH_SIZE = "batch.size";
    public static final String LINGER_MS = "linger.ms";
    public static final String THRESHOLD_STRATEGY = "threshold.strategy";
    public static final String THRESHOLD_PARAM = "threshold.param";
    public static final String THRESHOLD_WINDOW_SIZE = "threshold.window.size";
    public static final String MAX_FRAME_BYTES = "max.frame.bytes";
    public static final String ANOMALY_MAP_ENABLED = "anomaly.map.enabled";
    public static final String PROCESSING_GUARANTEE = "processing.guarantee";
    public static final String NUM_STREAM_THREADS = "num.stream.threads";
    public static final String SCORING_THREADS = "scoring.threads";
    public static final String COMMIT_INTERVAL_MS = "commit.interval.ms";
    public static final String COMMIT_AFTER_LINGER = "commit.after.linger";
    /** {@link #COMMIT_INTERVAL_MS} when unset under exactly_once_v2. */
    public static final long EXACTLY_ONCE_COMMIT_MS = 100;
    /** {@link #COMMIT_INTERVAL_MS} when unset under at_least_once. */
    public static final long AT_LEAST_ONCE_COMMIT_MS = 30_000;
    public static final String STATE_DIR = "state.dir";
    public static final String HTTP_HOST = "http.host";
    public static final String HTTP_PORT = "http.port";
    public static final String TOPIC_PARTITIONS = "topic.partitions";
    public static final String WIRE_FORMAT = "wire.format";
    public static final String FRAME_SHAPE = "frame.shape";
    public static final String MAX_SOURCES = "max.sources";
    public static final String MODEL_WATCH_INTERVAL_MS = "model.watch.interval.ms";
    public static final String WARM_UP_MS = "warm.up.ms";
    public static final String WARM_UP_ON_BROKER = "warm.up.on.broker";
    public static final String JIT_NICE_AFTER_WARM_UP = "jit.nice.after.warm.up";
    public static final String SOURCE_IDLE_EXPIRY_MS = "source.idle.expiry.ms";
    public static final String THRESHOLD_TRUST_LABELS = "threshold.trust.labels";
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String REGISTRY_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String REGISTRY_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String REGISTRY_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    public static final String REGISTRY_RETRY_MAX_MS = "schema.registry.retry.max.ms";

    public static final ConfigDef CONFIG = new ConfigDef()
            .define(BOOTSTRAP_SERVERS, Type.STRING, "localhost:9092", Importance.HIGH,
                    "Kafka brokers to connect to, host:port[,host:port...].")
            .define(APPLICATION_ID, Type.STRING, "frameguard", new Validators.NonBlank(), Importance.HIGH,
                    "Kafka Streams application id: consumer group, state and internal topic prefix. Instances with the same id share the work.")
            .define(MODEL_PATH, Type.STRING, null, Importance.HIGH,
                    "Model bundle file written by 'frameguard train'; required by serve.")
            .define(MODEL_WATCH_INTERVAL_MS, Type.LONG, 2000L, Range.atLeast(0), Importance.LOW,
                    "How often serve checks whether the file at model.path was replaced (modification time, size, inode); a replaced bundle is put in force at the next batch, with thresholds from its own calibration (also on SIGHUP). Replace it atomically (write a temporary file, then rename). 0: only on SIGHUP.")
            .define(WARM_UP_MS, Type.LONG, 30_000L, Range.atLeast(0), Importance.LOW,
                    "Before it takes partitions, serve runs its own topology over synthetic frames in memory (no broker, nothing written) until the JIT compilers settle, for this long at most, so a fresh process keeps up from its first frames; then on the broker (warm.up.on.broker), for this long at most again. Its scorer is warmed in any case. 0: the scorer only.")
            .define(WARM_UP_ON_BROKER, Type.BOOLEAN, true, Importance.LOW,
                    "After that, serve runs the same topology as a Kafka Streams application of its own, <application.id>-warm-up, on the broker over synthetic frames, for warm.up.ms at most, so that the stream thread, the Kafka clients and the commits are compiled too; once the compilers settle it starts that application a second time, so that what a start runs (the group join, the first fetches and transactions) is compiled as well and not recompiled under the line's first frames. It uses topics <application.id>-warm-up and <application.id>-warm-up-out (created when missing: as many partitions as the frames topic, records kept 1 minute) and its own changelogs and consumer group, all in the prefix Kafka Streams' internal topics need ACLs for; nothing goes to the line's topics or to a schema registry. false: in memory only.")
            .define(JIT_NICE_AFTER_WARM_UP, Type.INT, 10, Range.between(0, 19), Importance.LOW,
                    "Once the warm-up is over, the JIT compiler threads run at this Linux nice value (with renice), so a compilation of code that only gets hot on the line takes the CPU the serving threads leave instead of theirs; the warm-up itself compiles at full priority. Process-wide, and only root can lower it back. 0: unchanged; no effect when warm.up.ms is 0 or where there is no /proc or renice.")
            .define(TOPIC_FRAMES, Type.STRING, "frames", new Validators.NonBlank(), Importance.MEDIUM, "Input topic of ImageFrame records.")
            .define(TOPIC_SCORES, Type.STRING, "frame-scores", new Validators.NonBlank(), Importance.MEDIUM, "Output topic: one FrameScore per valid frame.")
            .define(TOPIC_ANOMALIES, Type.STRING, "anomalies", new Validators.NonBlank(), Importance.MEDIUM, "Output topic: an AnomalyEvent per frame over its threshold.")
            .define(TOPIC_DLQ, Type.STRING, "frames-dlq", new Validators.NonBlank(), Importance.MEDIUM,
                    "Dead-letter topic: original bytes of every rejected record, with frameguard.dlq.* headers giving the reason and origin.")
            .define(SHADOW_MODEL_PATH, Type.STRING, "", Importance.MEDIUM,
                    "A candidate bundle to try on live traffic: every frame the live model judges is also scored by it and judged against its own thresholds (from its own calibration, kept apart), and its FrameScore goes to topic.shadow.scores; it never alerts. Same input as the live model. Compare the two with 'replay --scores-topic'. Empty: none.")
            .define(TOPIC_SHADOW_SCORES, Type.STRING, "frame-scores-shadow", new Validators.NonBlank(), Importance.LOW,
                    "Output topic of the shadow model's FrameScores (used only with shadow.model.path).")
            .define(FRAME_SHAPE, Type.STRING, "", new Validators.ShapeOrEmpty(), Importance.MEDIUM,
                    "WIDTHxHEIGHT of the line's frames, e.g. 28x28. When set, serve refuses to start with a model of another input size; empty: the model's size.")
            .define(BATCH_SIZE, Type.INT, 256, Range.between(1, 65536), Importance.MEDIUM,
                    "Frames scored together in one forward pass; a batch flushes when it has this many frames.")
            .define(LINGER_MS, Type.LONG, 10L, Range.between(1, 60_000), Importance.MEDIUM,
                    "A batch that is not full flushes once its oldest frame has waited this long (wall clock).")
            .define(THRESHOLD_STRATEGY, Type.STRING, ThresholdStrategy.DEFAULT_NAME,
                    ValidString.in(ThresholdStrategy.NAMES.toArray(String[]::new)), Importance.MEDIUM,
                    "How a source's threshold is computed from its rolling window of normal scores: "
                            + ThresholdStrategy.STRATEGIES + ".")
            .define(THRESHOLD_PARAM, Type.DOUBLE, null, Importance.LOW, "Strategy parameter: " + ThresholdStrategy.PARAMETERS + ".")
            .define(THRESHOLD_WINDOW_SIZE, Type.INT, 1000, Range.between(2, 1_000_000), Importance.LOW,
                    "Normal scores kept per source; the window starts from the bundle's held-out calibration scores.")
            .define(THRESHOLD_TRUST_LABELS, Type.BOOLEAN, false, Importance.MEDIUM,
                    "false: a frame's label is for evaluation only; the window learns from the verdicts: a frame under the threshold joins with its score, a frame over it with the threshold itself, so anomalies cannot raise the threshold (with quantile, normal frames alarm at about 2-3 times the budget: ThresholdWindowTest). true: frames labelled normal join the window with their score even above the threshold (and others never do), which holds a quantile to its budget; only for trusted producers, since whoever writes labels moves thresholds.")
            .define(MAX_SOURCES, Type.INT, 1000, Range.between(1, 1_000_000), Importance.MEDIUM,
                    "Sources with their own threshold state and metric series on this instance. Frames of further sources are still scored and judged, by the bundle's calibration threshold (shared, never learning), and counted under source=\"(other)\" in the metrics: a camera added past the cap at 3 a.m. keeps being inspected and the cap shows on a dashboard, where dead letters would stop its inspection; memory stays bounded either way.")
            .define(SOURCE_IDLE_EXPIRY_MS, Type.LONG, 86_400_000L, Range.atLeast(1000), Importance.LOW,
                    "A source that sent no frame for this long (wall clock) leaves the threshold store (a tombstone committed with the task's outputs), memory, /thresholds and its metric series, and frees its place under max.sources; if it comes back it starts again from the bundle's calibration, as a new source does.")
            .define(MAX_FRAME_BYTES, Type.INT, 1 << 20, Range.atLeast(1), Importance.LOW,
                    "Larger records go to the dead-letter topic unread.")
            .define(ANOMALY_MAP_ENABLED, Type.BOOLEAN, true, Importance.LOW,
                    "Attach a small PNG of the per-pixel error to each AnomalyEvent.")
            .define(PROCESSING_GUARANTEE, Type.STRING, StreamsConfig.EXACTLY_ONCE_V2,
                    ValidString.in(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE), Importance.MEDIUM,
                    "exactly_once_v2: input offsets, buffered frames and outputs commit together. at_least_once: faster commits, duplicates possible after a crash.")
            .define(NUM_STREAM_THREADS, Type.INT, 1, Range.between(1, 64), Importance.LOW,
                    "Stream threads of this instance; each scores its own partitions.")
            .define(SCORING_THREADS, Type.INT, 0, Range.between(0, 64), Importance.LOW,
                    "Threads that score the parts of a batch side by side, each with its own copy of the network; 0: the cores divided among the stream threads.")
            .define(COMMIT_INTERVAL_MS, Type.LONG, null, new Validators.AtLeastOrUnset(1), Importance.LOW,
                    "How often offsets, state and outputs are committed. Unset: Kafka Streams' own default for the guarantee, "
                    + EXACTLY_ONCE_COMMIT_MS + " under exactly_once_v2 (scores become visible at a commit) and "
                    + AT_LEAST_ONCE_COMMIT_MS + " under at_least_once (scores are visible when sent; a commit only bounds what a crash replays).")
            .define(COMMIT_AFTER_LINGER, Type.BOOLEAN, true, Importance.LOW,
                    "Commit as soon as a batch flushes on linger.ms with frames captured within commit.interval.ms under exactly_once_v2, within 100 ms (or commit.interval.ms when smaller) under at_least_once (a live line slower than the detector), so its scores are visible to read_committed consumers, or leave the producer, at once; under a backlog batches fill or hold old frames, and commits follow commit.interval.ms.")
            .define(STATE_DIR, Type.STRING, "state", new Validators.NonBlank(), Importance.MEDIUM,
                    "Local state folder (Kafka Streams stores; with --embedded also the broker's log dirs).")
            .define(HTTP_HOST, Type.STRING, "127.0.0.1", new Validators.NonBlank(), Importance.LOW,
                    "Address of the /health, /metrics and /thresholds HTTP endpoint; localhost only unless changed.")
            .define(HTTP_PORT, Type.INT, 8080, Range.between(-1, 65535), Importance.LOW,
                    "Port of the HTTP endpoint; 0 picks a free port, -1 turns it off.")
            .define(TOPIC_PARTITIONS, Type.INT, 4, Range.between(1, 10_000), Importance.LOW,
                    "Partitions of the topics FrameGuard creates (--embedded, produce); more partitions allow more instances.")
            .define(WIRE_FORMAT, Type.STRING, "single-object", ValidString.in("single-object", "confluent", "auto"), Importance.MEDIUM,
                    "Record encoding of the topics. single-object: Avro single-object encoding, decodable with the .avsc files alone. confluent: Schema Registry framing (00, 4-byte schema id, Avro), subjects <topic>-value; needs schema.registry.url. auto: reads both by their first bytes; writes confluent when schema.registry.url is set, else single-object. State stores always use single-object.")
            .define(SCHEMA_REGISTRY_URL, Type.STRING, "", new Validators.HttpUrlOrEmpty(), Importance.MEDIUM,
                    "Schema Registry base URL for wire.format=confluent or auto, e.g. http://registry:8081 (Confluent API; Apicurio: .../apis/ccompat/v7).")
            .define(BASIC_AUTH_USER_INFO, Type.PASSWORD, null, Importance.LOW,
                    "USER:PASSWORD for the Schema Registry's HTTP basic authentication; empty: none.")
            .define(REGISTRY_TRUSTSTORE_LOCATION, Type.STRING, "", Importance.LOW,
                    "Trust store for an https Schema Registry; empty: the JVM's default trust.")
            .define(REGISTRY_TRUSTSTORE_PASSWORD, Type.PASSWORD, null, Importance.LOW, "Password of the Schema Registry trust store.")
            .define(REGISTRY_TRUSTSTORE_TYPE, Type.STRING, "JKS", ValidString.in("JKS", "PKCS12"), Importance.LOW,
                    "Type of the Schema Registry trust store.")
            .define(REGISTRY_RETRY_MAX_MS, Type.LONG, 5_000L, Range.between(0, 60_000), Importance.LOW,
                    "While the Schema Registry is unreachable a frame that needs it waits, retrying with back-off, this long; then the stream thread is replaced and re-reads it from the last commit, and so on until the registry is back. Kept under the exactly-once transaction timeout (10 s). Valid frames are never dead-lettered for an outage.");

    public FrameGuardConfig(Map<String, ?> props) {
        super(CONFIG, props, false);
        if (getString(THRESHOLD_STRATEGY).equals(ThresholdStrategy.FIXED) && getDouble(THRESHOLD_PARAM) == null) {
            throw new ConfigException(THRESHOLD_PARAM, null, "threshold.strategy=fixed needs threshold.param (the threshold)");
        }
        if (getString(WIRE_FORMAT).equals("confluent") && getString(SCHEMA_REGISTRY_URL).isEmpty()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, "", "wire.format=confluent needs schema.registry.url");
        }
    }

    /** Defaults ← file ← environment ← overrides; a bad value fails with the key's name. */
    public static FrameGuardConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
        Map<String, Object> props = new HashMap<>();
        if (file != null) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new FrameGuardException("cannot read config file " + file + ": " + e.getMessage(), e);
            }
            p.stringPropertyNames().forEach(k -> props.put(k, p.getProperty(k).strip()));
        }
        env.forEach((k, v) -> {
            if (isConfigVariable(k)) {
                props.put(keyOf(k), v);
            }
        });
        SortedSet<String> ignored = ignoredEnvironment(env);
        if (!ignored.isEmpty()) {
            LOG.warn("ignoring environment variables that name no config key: {}", String.join(", ", ignored));
        }
        props.putAll(overrides);
        for (String key : props.keySet()) {
            if (!CONFIG.names().contains(key) && !key.startsWith(KAFKA_PREFIX)) {
                throw new FrameGuardException("unknown config key '" + key + "' (see the configuration reference in docs/reference.md)");
            }
        }
        try {
            return new FrameGuardConfig(props);
        } catch (ConfigException e) {
            throw new FrameGuardException("invalid configuration: " + e.getMessage(), e);
        }
    }

    /**
     * {@value #ENV_PREFIX}* variables that name no config key and are ignored: Kubernetes sets
     * {@code FRAMEGUARD_SERVICE_HOST}, {@code FRAMEGUARD_PORT_8080_TCP} and the like for a Service
     * named frameguard, so an unknown variable is not an error the way an unknown key in a file or a
     * flag is. The launcher's own variables are not listed.
     */
    static SortedSet<String> ignoredEnvironment(Map<String, String> env) {
        SortedSet<String> ignored = new TreeSet<>();
        for (String k : env.keySet()) {
            if (k.startsWith(ENV_PREFIX) && !LAUNCHER_VARIABLES.contains(k) && !isConfigVariable(k)) {
                ignored.add(k);
            }
        }
        return ignored;
    }

    private static boolean isConfigVariable(String name) {
        if (!name.startsWith(ENV_PREFIX) || LAUNCHER_VARIABLES.contains(name)) {
            return false;
        }
        String key = keyOf(name);
        return CONFIG.names().contains(key) || key.startsWith(KAFKA_PREFIX);
    }

    /** {@code FRAMEGUARD_BATCH_SIZE} → {@code batch.size}. */
    private static String keyOf(String variable) {
        return variable.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /** The model bundle path; fails with the key's name when unset. */
    /** The shadow model's bundle, or null when {@code shadow.model.path} is empty. */
    public Path shadowModelPath() {
        String p = getString(SHADOW_MODEL_PATH);
        return p == null || p.isBlank() ? null : Path.of(p);
    }

    public Path modelPath() {
        String p = getString(MODEL_PATH);
        if (p == null || p.isBlank()) {
            throw new FrameGuardException("model.path is not set (--model FILE, or model.path in the config file)");
        }
        return Path.of(p);
    }

    /** {@value #SCORING_THREADS}, with 0 resolved: the machine's cores divided among the stream threads, at least 1. */
    public int scoringThreads() {
        int n = getInt(SCORING_THREADS);
        return n > 0 ? n : Math.max(1, Runtime.getRuntime().availableProcessors() / getInt(NUM_STREAM_THREADS));
    }

    public ThresholdStrategy thresholdStrategy() {
        return ThresholdStrategy.of(getString(THRESHOLD_STRATEGY), getDouble(THRESHOLD_PARAM));
    }

    /**
     * {@link #COMMIT_INTERVAL_MS}, or Kafka Streams' default for the guarantee when unset. Under
     * at_least_once a commit flushes the producer and waits for every send to be acknowledged, for
     * nothing a consumer can see: on backlogged frames ({@code bench pipeline --set
     * processing.guarantee=at_least_once}, 2-core AMD EPYC) the detector ran at 35,820 frames/s
     * committing every 100 ms and at 40,533 every 30 s.
     */
    public long commitIntervalMs() {
        Long set = getLong(COMMIT_INTERVAL_MS);
        if (set != null) {
            return set;
        }
        return atLeastOnce() ? AT_LEAST_ONCE_COMMIT_MS : EXACTLY_ONCE_COMMIT_MS;
    }

    private boolean atLeastOnce() {
        return StreamsConfig.AT_LEAST_ONCE.equals(getString(PROCESSING_GUARANTEE));
    }

    /**
     * How recently the newest frame of a batch that flushed on {@link #LINGER_MS} must have been
     * captured for the batch to ask for a commit at once ({@link #COMMIT_AFTER_LINGER}); −1: never.
     * Under exactly_once_v2, {@link #commitIntervalMs}: the scores of fresher frames would wait for
     * the next commit to become visible. Under at_least_once scores are visible once the producer
     * sends them, and the commit only sends them sooner; its interval (30 s unset) would make most of
     * a backlog's lingered batches commit, each commit waiting for every send to be acknowledged, so
     * the criterion is a live line's instead: exactly_once_v2's default, 100 ms, or the commit
     * interval when that is smaller.
     */
    public long commitAfterLingerMs() {
        if (!getBoolean(COMMIT_AFTER_LINGER)) {
            return -1;
        }
        return atLeastOnce() ? Math.min(commitIntervalMs(), EXACTLY_ONCE_COMMIT_MS) : commitIntervalMs();
    }

    /** The {@code kafka.*} keys without their prefix: passed to every Kafka client. */
    public Map<String, Object> kafkaClientOverrides() {
        return originalsWithPrefix(KAFKA_PREFIX, true);
    }

    /** Kafka Streams properties derived from this configuration. */
    public Properties streamsProperties() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, getString(APPLICATION_ID));
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, getString(BOOTSTRAP_SERVERS));
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, getString(PROCESSING_GUARANTEE));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, getInt(NUM_STREAM_THREADS));
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs());
        p.put(StreamsConfig.STATE_DIR_CONFIG, Path.of(getString(STATE_DIR)).resolve("streams").toAbsolutePath().toString());
        p.put(StreamsConfig.consumerPrefix("max.partition.fetch.bytes"), Math.max(1 << 20, getInt(MAX_FRAME_BYTES) * 2));
        // Our processors never throw for bad input (it goes to the dead-letter topic); opting in
        // here only silences Kafka's start-up warning about the coming default. The partition
        // assignor builds a StreamsConfig of its own from the main consumer's configs and warns
        // again unless the consumer carries the setting too.
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        p.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), true);
        // Under exactly_once_v2 the producer's first send after a commit can be answered
        // CONCURRENT_TRANSACTIONS while the previous commit's markers are written; each retry waits
        // retry.backoff.ms (100 ms by default), which dominated capture-to-score latency.
        p.put(StreamsConfig.producerPrefix("retry.backoff.ms"), 10);
        // A stream thread checks its wall-clock punctuators and its commit interval only between
        // polls, and an idle poll blocks for poll.ms (100 ms by default): when a line paused, the last
        // frames waited up to that long past linger.ms for their batch and again for the commit that
        // makes their scores visible. Never block longer than either interval.
        p.put(StreamsConfig.POLL_MS_CONFIG, Math.min(100L, Math.min(getLong(LINGER_MS), commitIntervalMs())));
        p.putAll(kafkaClientOverrides());
        return p;
    }

    /** Properties for plain clients (producer, consumer, admin) of the CLI tools. */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.put("bootstrap.servers", getString(BOOTSTRAP_SERVERS));
        p.putAll(kafkaClientOverrides());
        return p;
    }

    /** Markdown table of every key, for docs/reference.md; generated so it cannot drift. */
    public static String markdownReference() {
        StringBuilder sb = new StringBuilder("| key | type | default | valid values | description |\n|---|---|---|---|---|\n");
        for (ConfigDef.ConfigKey k : CONFIG.configKeys().values()) {
            Object def = k.defaultValue == ConfigDef.NO_DEFAULT_VALUE ? "(required)" : k.defaultValue;
            sb.append("| `").append(k.name).append("` | ").append(k.type.name().toLowerCase(Locale.ROOT)).append(" | ")
                    .append(def == null ? "" : "`" + def + "`").append(" | ")
                    .append(k.validator == null ? "" : k.validator.toString().replace("|", "\\|")).append(" | ")
                    .append(k.documentation.replace("|", "\\|")).append(" |\n");
        }
        sb.append("| `kafka.*` | | | | Passed without the prefix to every Kafka client (e.g. `kafka.security.protocol=SASL_SSL`). |\n");
        return sb.toString();
    }
}
