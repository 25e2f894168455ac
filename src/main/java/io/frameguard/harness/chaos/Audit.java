package io.frameguard.harness.chaos;

import io.frameguard.avro.FrameScore;
import io.frameguard.stream.DeadLetter;
import io.frameguard.topics.CommittedConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * What a detector committed, read back as an alerting consumer would (read_committed), and judged
 * against the workload and against a reference run over the same frames.
 */
final class Audit {
    /** Every committed FrameScore by frame id, and every dead letter's reason code. */
    record Output(Map<String, List<FrameScore>> scores, long scoreRecords, Map<String, Integer> deadLetters,
                  long deadLetterRecords, String stalled) {
    }

    /** Lost, duplicated and dead-lettered, and whether the output matches the workload and the reference. */
    record Verdict(long lost, long duplicated, long deadLettered, double maxThresholdDiff, List<String> problems) {
        boolean passed() {
            return problems.isEmpty();
        }
    }

    private Audit() {
    }

    /** Tails the scores and dead-letter topics until both are complete and quiet for {@code quiet}, or {@code timeout}. */
    static Output read(Properties client, String scoresTopic, String dlqTopic, Deserializer<FrameScore> de,
                       Workload w, Duration quiet, Duration timeout) {
        Map<String, List<FrameScore>> scores = new HashMap<>();
        Map<String, Integer> dead = new TreeMap<>();
        long[] counts = new long[2];
        try (KafkaConsumer<byte[], byte[]> s = CommittedConsumer.open(client, scoresTopic, true);
             KafkaConsumer<byte[], byte[]> d = CommittedConsumer.open(client, dlqTopic, true)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            long lastNew = System.nanoTime();
            while (System.nanoTime() < deadline) {
                int got = 0;
                for (ConsumerRecord<byte[], byte[]> r : s.poll(Duration.ofMillis(200))) {
                    FrameScore f = de.deserialize(scoresTopic, r.value());
                    scores.computeIfAbsent(f.getFrameId(), k -> new ArrayList<>(1)).add(f);
                    counts[0]++;
                    got++;
                }
                for (ConsumerRecord<byte[], byte[]> r : d.poll(Duration.ofMillis(10))) {
                    dead.merge(String.valueOf(DeadLetter.header(r.headers(), DeadLetter.REASON_CODE)), 1, Integer::sum);
                    counts[1]++;
                    got++;
                }
                if (got > 0) {
                    lastNew = System.nanoTime();
                }
                boolean complete = scores.size() >= w.scoredIds().size() && counts[1] >= w.deadLetterCount();
                if (complete && System.nanoTime() - lastNew > quiet.toNanos()) {
                    return new Output(scores, counts[0], dead, counts[1], null);
                }
            }
        }
        return new Output(scores, counts[0], dead, counts[1], whyStalled(client, List.of(scoresTopic, dlqTopic)));
    }

    /**
     * Why committed output stopped short: per partition, how far committed reading can go (the last
     * stable offset) against what was written (the high watermark), and the open transactions that
     * hold the difference back.
     */
    static String whyStalled(Properties client, List<String> topics) {
        List<String> found = new ArrayList<>();
        try (Admin admin = Admin.create(client)) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (var e : admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).entrySet()) {
                for (var p : e.getValue().partitions()) {
                    latest.put(new TopicPartition(e.getKey(), p.partition()), OffsetSpec.latest());
                }
            }
            var written = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all()
                    .get(30, TimeUnit.SECONDS);
            var stable = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(30, TimeUnit.SECONDS);
            List<TopicPartition> held = latest.keySet().stream()
                    .filter(tp -> stable.get(tp).offset() < written.get(tp).offset()).sorted(
                            java.util.Comparator.comparing(TopicPartition::toString)).toList();
            if (held.isEmpty()) {
                return "every partition of " + topics + " is readable to its end: the records were never written";
            }
            var producers = admin.describeProducers(held).all().get(30, TimeUnit.SECONDS);
            for (TopicPartition tp : held) {
                String open = producers.get(tp).activeProducers().stream()
                        .filter(p -> p.currentTransactionStartOffset().isPresent())
                        .map(p -> "producer " + p.producerId() + " epoch " + p.producerEpoch() + " open since offset "
                                + p.currentTransactionStartOffset().getAsLong())
                        .collect(java.util.stream.Collectors.joining(", "));
                found.add(tp + " readable to " + stable.get(tp).offset() + " of " + written.get(tp).offset()
                        + (open.isEmpty() ? "" : " (" + open + ")"));
            }
            return "committed reading is held back by open transactions: " + String.join("; ", found);
        } catch (Exception e) {
            return "could not inspect the topics: " + e;
        }
    }

    /** Judges {@code out} against the workload and, when given, a reference run's output. */
    static Verdict judge(Workload w, Output out, Output reference) {
        List<String> problems = new ArrayList<>();
        long lost = w.scoredIds().stream().filter(id -> !out.scores().containsKey(id)).count();
        long duplicated = out.scoreRecords() - out.scores().size();
        long unexpected = out.scores().keySet().stream().filter(id -> !w.scoredIds().contains(id)).count();
        if (lost > 0) {
            problems.add(lost + " frames without a score");
        }
        if (duplicated > 0) {
            problems.add(duplicated + " duplicate scores");
        }
        if (unexpected > 0) {
            problems.add(unexpected + " scores for frames that were never sent");
        }
        if (!out.deadLetters().equals(w.deadLetters())) {
            problems.add("dead letters " + out.deadLetters() + ", expected " + w.deadLetters());
        }
        if (out.stalled() != null) {
            problems.add(out.stalled());
        }
        int mismatches = 0;
        String firstMismatch = "";
        double maxDiff = 0;
        if (reference != null && reference.stalled() != null) {
            problems.add("uncrashed run: " + reference.stalled());
        }
        if (reference != null) {
            for (var e : reference.scores().entrySet()) {
                List<FrameScore> mine = out.scores().get(e.getKey());
                if (mine == null) {
                    continue;
                }
                FrameScore a = mine.get(0);
                FrameScore b = e.getValue().get(0);
                if (a.getIsAnomaly() != b.getIsAnomaly()) {
                    if (mismatches++ == 0) {
                        firstMismatch = String.format(" (first: %s, score %.6g vs %.6g, threshold %.6g vs %.6g)",
                                e.getKey(), a.getScore(), b.getScore(), a.getThreshold(), b.getThreshold());
                    }
                }
                maxDiff = Math.max(maxDiff, Math.abs(a.getThreshold() - b.getThreshold()) / Math.max(1e-12, Math.abs(b.getThreshold())));
            }
            if (mismatches > 0) {
                problems.add(mismatches + " frames judged differently from the uncrashed run" + firstMismatch);
            }
            if (maxDiff > 1e-5) {
                problems.add(String.format("thresholds differ from the uncrashed run by up to %.2e (relative)", maxDiff));
            }
        }
        return new Verdict(lost, duplicated, out.deadLetterRecords(), maxDiff, problems);
    }
}
