package io.frameguard.harness.chaos;

import io.frameguard.FrameGuardException;
import io.frameguard.avro.Encoding;
import io.frameguard.avro.ImageFrame;
import io.frameguard.data.ImageSet;
import io.frameguard.harness.traffic.CameraSimulator;
import io.frameguard.harness.traffic.FrameMix;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The records of one chaos scenario, fixed by a seed: labelled MNIST frames from several sources
 * (normal digits with other digits mixed in), with every {@link Poison} kind interleaved in turn.
 * It knows what the detector must do with them: which frame ids must each get exactly one score,
 * and how many records of each dead-letter reason must appear.
 */
final class Workload {
    static final int SOURCES = 8;

    private final List<Poison.Bytes> records;
    private final Set<String> scoredIds;
    private final Map<String, Integer> deadLetters;
    /** Index of the first probe record ({@link #withProbes}); the size when there are none. */
    private final int probeStart;

    private Workload(List<Poison.Bytes> records, Set<String> scoredIds, Map<String, Integer> deadLetters, int probeStart) {
        this.records = records;
        this.scoredIds = scoredIds;
        this.deadLetters = deadLetters;
        this.probeStart = probeStart;
    }

    /**
     * {@code frames} valid frames drawn from {@code normal} and {@code anomalous} (10 % anomalies),
     * and after every {@code poisonEvery} of them one bad record (0: none), cycling over the kinds.
     */
    static Workload build(ImageSet normal, ImageSet anomalous, int frames, int poisonEvery, int maxFrameBytes,
                          Serializer<ImageFrame> serializer, long seed) {
        return build(normal, anomalous, frames, poisonEvery, maxFrameBytes, serializer, seed, SOURCES);
    }

    /** As above, with frame {@code i} from source {@code line-(i % sources + 1)}. */
    static Workload build(ImageSet normal, ImageSet anomalous, int frames, int poisonEvery, int maxFrameBytes,
                          Serializer<ImageFrame> serializer, long seed, int sources) {
        FrameMix mix = new FrameMix(normal, anomalous, 0.1, seed);
        Random random = new Random(seed);
        List<Poison.Bytes> records = new ArrayList<>(frames + (poisonEvery > 0 ? frames / poisonEvery : 0));
        Set<String> ids = new HashSet<>();
        Map<String, Integer> dead = new TreeMap<>();
        Poison[] kinds = Poison.values();
        int poisoned = 0;
        for (int i = 0; i < frames; i++) {
            String source = "line-" + (i % sources + 1);
            ImageFrame frame = CameraSimulator.frame(source, "f" + i, mix.next(), true, Encoding.RAW_U8);
            records.add(new Poison.Bytes(source.getBytes(StandardCharsets.UTF_8), serializer.serialize(null, frame)));
            ids.add(frame.getFrameId());
            if (poisonEvery > 0 && (i + 1) % poisonEvery == 0) {
                Poison kind = kinds[poisoned++ % kinds.length];
                ImageFrame template = ImageFrame.newBuilder(frame).setFrameId("p" + poisoned + "-" + kind.name().toLowerCase()).build();
                records.add(kind.make(template, f -> serializer.serialize(null, f), maxFrameBytes, random));
                if (kind.reason() == null) {
                    ids.add(template.getFrameId());
                } else {
                    dead.merge(kind.reason(), 1, Integer::sum);
                }
            }
        }
        return new Workload(records, ids, dead, records.size());
    }

    /**
     * This workload with probes after it: for each kind, a record of that kind then a valid frame of
     * the same source (so the same partition), the frame with id {@code probe-<kind>}. Sent on an idle
     * detector, a probe shows how soon the next frame behind a bad record is scored.
     */
    Workload withProbes(List<Poison> kinds, ImageSet normal, Serializer<ImageFrame> serializer, int maxFrameBytes, long seed) {
        List<Poison.Bytes> all = new ArrayList<>(records);
        Set<String> ids = new HashSet<>(scoredIds);
        Map<String, Integer> dead = new TreeMap<>(deadLetters);
        FrameMix mix = new FrameMix(normal, null, 0, seed);
        Random random = new Random(seed);
        for (Poison kind : kinds) {
            ImageFrame frame = CameraSimulator.frame("line-1", probeId(kind), mix.next(), true, Encoding.RAW_U8);
            ImageFrame bad = ImageFrame.newBuilder(frame).setFrameId("bad-" + probeId(kind)).build();
            all.add(kind.make(bad, f -> serializer.serialize(null, f), maxFrameBytes, random));
            all.add(new Poison.Bytes(frame.getSourceId().getBytes(StandardCharsets.UTF_8), serializer.serialize(null, frame)));
            ids.add(frame.getFrameId());
            dead.merge(kind.reason(), 1, Integer::sum);
        }
        return new Workload(all, ids, dead, records.size());
    }

    static String probeId(Poison kind) {
        return "probe-" + kind.name().toLowerCase();
    }

    /** Where the probes begin (the size of the workload without them); two records per probe. */
    int probeStart() {
        return probeStart;
    }

    int size() {
        return records.size();
    }

    /** The records in the order they are produced. */
    List<Poison.Bytes> records() {
        return records;
    }

    /** Frame ids that must each get exactly one FrameScore. */
    Set<String> scoredIds() {
        return scoredIds;
    }

    /** Dead-letter reason code → how many records must carry it. */
    Map<String, Integer> deadLetters() {
        return deadLetters;
    }

    int deadLetterCount() {
        return deadLetters.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Sends records {@code from .. to-1} to {@code topic} (idempotent producer, acks=all) and waits for every ack. */
    void produce(Properties clientConfig, String topic, int from, int to) {
        Properties p = new Properties();
        p.putAll(clientConfig);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = from; i < to; i++) {
                Poison.Bytes r = records.get(i);
                producer.send(new ProducerRecord<>(topic, r.key(), r.value()), (md, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new FrameGuardException("producing the chaos workload failed: " + failure.get().getMessage(), failure.get());
        }
    }
}
