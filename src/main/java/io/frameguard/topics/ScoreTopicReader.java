package io.frameguard.topics;

import io.frameguard.avro.FrameScore;
import io.frameguard.evaluation.EvaluationResult;
import io.frameguard.evaluation.LabelledScores;
import io.frameguard.evaluation.Verdicts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads what a live detector emitted on the scores topic (committed records only) and judges it
 * against the frames' labels: the evaluation of the detector as it ran, moving thresholds included.
 */
public final class ScoreTopicReader {
    private ScoreTopicReader() {
    }

    /**
     * Reads committed records of {@code topic} (scores, or anomaly events) from the beginning until
     * {@code expected} are in or {@code timeout} passes.
     */
    public static <T> List<T> read(Properties clientConfig, String topic, Deserializer<T> de, long expected,
                                   Duration timeout) {
        List<T> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = CommittedConsumer.open(clientConfig, topic, true)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(r -> out.add(de.deserialize(topic, r.value())));
            }
        }
        return out;
    }

    /**
     * The frames judged in both {@code a} and {@code b} (e.g. the live and the shadow scores topic),
     * each list in {@code a}'s order, so that element i of both is the same frame.
     */
    public static List<List<FrameScore>> paired(List<FrameScore> a, List<FrameScore> b) {
        java.util.Map<String, FrameScore> byId = new java.util.HashMap<>();
        b.forEach(s -> byId.putIfAbsent(s.getFrameId(), s));
        List<FrameScore> left = new ArrayList<>();
        List<FrameScore> right = new ArrayList<>();
        for (FrameScore s : a) {
            FrameScore other = byId.remove(s.getFrameId());
            if (other != null) {
                left.add(s);
                right.add(other);
            }
        }
        return List.of(left, right);
    }

    /** What the detector emitted, as verdicts frame by frame in the order read. */
    public static Verdicts verdicts(List<FrameScore> scores) {
        return new Verdicts(scores.stream().map(FrameScore::getFrameId).toArray(String[]::new),
                scores.stream().map(FrameScore::getLabel).toArray(String[]::new),
                scores.stream().mapToDouble(FrameScore::getScore).toArray(),
                scores.stream().mapToDouble(FrameScore::getThreshold).toArray(),
                toBooleans(scores.stream().map(FrameScore::getIsAnomaly).toList()));
    }

    /**
     * The detector's own verdicts against the labels ({@link Verdicts#evaluate}); frames without a
     * label are left out. The model is the one that scored the first labelled frame.
     */
    public static EvaluationResult evaluate(List<FrameScore> scores, List<String> normalLabels, String dataset,
                                            String strategy, Double scoredPerSecond) {
        String model = scores.stream().filter(s -> s.getLabel() != null).map(FrameScore::getModelId).findFirst().orElse("?");
        return verdicts(scores).evaluate(model, dataset, normalLabels, strategy, scoredPerSecond);
    }

    /** The scores of the labelled frames with their labels, in order; frames without a label are left out. */
    public static LabelledScores labelled(List<FrameScore> scores, List<String> normalLabels) {
        return verdicts(scores).labelledScores(normalLabels);
    }

    private static boolean[] toBooleans(List<Boolean> values) {
        boolean[] out = new boolean[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
