package io.frameguard.stream;

import io.frameguard.config.FrameGuardConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The detector's topology, built from configuration and a scorer alone (no I/O), so tests build
 * exactly what production runs.
 *
 * <pre>
 * frames ─► decode ─bad─► frames-dlq
 *             │
 *           batcher [frameguard-batch store] ─► thresholds [frameguard-thresholds store]
 *                                                   ├─► frame-scores
 *                                                   ├─► anomalies
 *                                                   └─► frames-dlq (non-finite scores)
 *                                               └─► shadow-thresholds [frameguard-shadow-thresholds store]
 *                                                   └─► frame-scores-shadow   (only with shadow.model.path)
 * </pre>
 */
public final class FrameGuardTopology {
    private FrameGuardTopology() {
    }

    public static Topology build(FrameGuardConfig config, BatchScorer scorer, DetectorMetrics metrics) {
        return build(config, Topics.of(config), scorer, null, metrics);
    }

    /**
     * With the topics (and so the wire format, its registry client and cache) the caller already
     * holds, and a shadow model (null: none) whose verdicts go to {@code topics.shadowScores()}.
     */
    public static Topology build(FrameGuardConfig config, Topics topics, BatchScorer scorer, BatchScorer shadow,
                                 DetectorMetrics metrics) {
        FrameValidator validator = FrameValidator.of(scorer);
        int maxBytes = config.getInt(FrameGuardConfig.MAX_FRAME_BYTES);
        int batchSize = config.getInt(FrameGuardConfig.BATCH_SIZE);
        long lingerMs = config.getLong(FrameGuardConfig.LINGER_MS);
        boolean maps = config.getBoolean(FrameGuardConfig.ANOMALY_MAP_ENABLED);
        // a lingered batch of fresh frames asks for a commit at once
        long freshMs = config.commitAfterLingerMs();
        int window = config.getInt(FrameGuardConfig.THRESHOLD_WINDOW_SIZE);
        var strategy = config.thresholdStrategy();
        // one limit for the instance: every task's processor shares it
        var sources = new ThresholdProcessor.Sources(new SourceLimit(config.getInt(FrameGuardConfig.MAX_SOURCES)),
                config.getLong(FrameGuardConfig.SOURCE_IDLE_EXPIRY_MS), config.getBoolean(FrameGuardConfig.THRESHOLD_TRUST_LABELS));

        Topology t = new Topology();
        t.addSource(Names.SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.frames());
        t.addProcessor(Names.DECODE,
                () -> new DecodeProcessor(topics.frameSerde().deserializer(), validator, maxBytes, metrics), Names.SOURCE);
        t.addProcessor(Names.BATCHER, () -> new MicroBatchProcessor(scorer, batchSize, lingerMs, maps, freshMs, metrics), Names.DECODE);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(Names.BATCH_STORE), Serdes.Long(),
                topics.bufferedSerde()).withCachingEnabled().withLoggingEnabled(java.util.Map.of()), Names.BATCHER);
        t.addProcessor(Names.THRESHOLDS,
                () -> new ThresholdProcessor(scorer, strategy, window, topics.storedFrameSerde().serializer(), metrics, sources),
                Names.BATCHER);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(Names.THRESHOLD_STORE), Serdes.String(),
                topics.thresholdSerde()).withCachingEnabled().withLoggingEnabled(java.util.Map.of()), Names.THRESHOLDS);
        t.addSink(Names.SCORES_SINK, topics.scores(), new StringSerializer(), topics.scoreSerde().serializer(), Names.THRESHOLDS);
        t.addSink(Names.ANOMALIES_SINK, topics.anomalies(), new StringSerializer(), topics.anomalySerde().serializer(),
                Names.THRESHOLDS);
        t.addSink(Names.DLQ_SINK, topics.deadLetters(), new ByteArraySerializer(), new ByteArraySerializer(), Names.DECODE,
                Names.THRESHOLDS);
        if (shadow != null) {
            if (topics.shadowScores() == null) {
                throw new IllegalArgumentException("a shadow model needs topics with a shadow scores topic");
            }
            // its own limit and store: a shadow never takes a live source's place
            var shadowSources = new ThresholdProcessor.Sources(new SourceLimit(config.getInt(FrameGuardConfig.MAX_SOURCES)),
                    sources.idleExpiryMs(), sources.trustLabels());
            t.addProcessor(Names.SHADOW, () -> new ThresholdProcessor(shadow, strategy, window, topics.storedFrameSerde().serializer(),
                    DetectorMetrics.NONE, shadowSources, ThresholdProcessor.Outputs.SHADOW), Names.BATCHER);
            t.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(Names.SHADOW_THRESHOLD_STORE),
                    Serdes.String(), topics.thresholdSerde()).withCachingEnabled().withLoggingEnabled(java.util.Map.of()),
                    Names.SHADOW);
            t.addSink(Names.SHADOW_SCORES_SINK, topics.shadowScores(), new StringSerializer(), topics.scoreSerde().serializer(),
                    Names.SHADOW);
        }
        return t;
    }
}
