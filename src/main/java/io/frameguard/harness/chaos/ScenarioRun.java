package io.frameguard.harness.chaos;

import io.frameguard.FrameGuardException;
import io.frameguard.avro.FrameScore;
import io.frameguard.runtime.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/** One scenario's cluster, workload and detectors. */
final class ScenarioRun {
    static final int MAX_FRAME_BYTES = 16 * 1024;
    static final int PARTITIONS = 4;
    final String name;
    final Path dir;
    final KafkaNodes nodes;
    final Workload workload;
    final KafkaNodes.Security security;
    final List<DetectorProcess> started = new ArrayList<>();
    /** Settings every detector of this run gets on top of {@link #settings}' own (e.g. a wire format). */
    final Map<String, String> extra = new HashMap<>();
    private final Path model;
    private final Deserializer<FrameScore> scores;

    ScenarioRun(String name, Path dir, KafkaNodes nodes, Workload workload, KafkaNodes.Security security, Path model,
                Deserializer<FrameScore> scores) {
        this.name = name;
        this.dir = dir;
        this.nodes = nodes;
        this.workload = workload;
        this.security = security;
        this.model = model;
        this.scores = scores;
    }

    void createTopics() {
        EmbeddedKafka.createTopics(nodes.internalBootstrap(), Map.of(), List.of("frames", "scores", "anomalies", "dlq",
                "ref-scores", "ref-anomalies", "ref-dlq"), PARTITIONS, (short) Math.min(3, nodes.size()));
    }

    /** A detector process reading {@code frames}; {@code prefix} names its output topics. */
    DetectorProcess detector(String instance, String app, String prefix) {
        Map<String, String> s = new HashMap<>(settings(app, prefix));
        DetectorProcess d = new DetectorProcess(instance, dir, s);
        started.add(d);
        return d;
    }

    Map<String, String> settings(String app, String prefix) {
        Map<String, String> s = new HashMap<>();
        s.put("bootstrap.servers", nodes.clientBootstrap());
        s.put("application.id", app);
        s.put("model.path", model.toString());
        s.put("topic.frames", "frames");
        s.put("topic.scores", prefix + "scores");
        s.put("topic.anomalies", prefix + "anomalies");
        s.put("topic.dlq", prefix + "dlq");
        s.put("batch.size", "64");
        s.put("linger.ms", "20");
        s.put("max.frame.bytes", Integer.toString(MAX_FRAME_BYTES));
        s.put("kafka.session.timeout.ms", "6000");
        s.put("kafka.heartbeat.interval.ms", "1500");
        // the scenarios count what is lost and duplicated over restarts, not how fast a restart is; a warm-up on
        // the broker (BrokerWarmUpIT) would add up to warm.up.ms to each of their many starts
        s.put("warm.up.on.broker", "false");
        if (security != null) {
            s.putAll(SecurityScenario.clientSettings(security));
        }
        s.putAll(extra);
        return s;
    }

    CompletableFuture<Void> produceInBackground() {
        return CompletableFuture.runAsync(() -> workload.produce(nodes.internalClientConfig(), "frames", 0, workload.size()));
    }

    /** Waits until the committed scores on {@code topic} reach {@code fraction} of the frames to score. */
    void awaitProgress(String topic, double fraction) {
        long target = (long) (fraction * workload.scoredIds().size());
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        try (Admin admin = Admin.create(nodes.internalClientConfig())) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            while (System.nanoTime() < deadline) {
                try {
                    long committed = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                            .all().get(10, TimeUnit.SECONDS).values().stream().mapToLong(i -> i.offset()).sum();
                    if (committed >= target) {
                        return;
                    }
                } catch (Exception e) {
                    // the cluster may be between faults; keep asking
                }
                KafkaNodes.sleep(100);
            }
        }
        throw new FrameGuardException(name + ": the detector did not reach " + target + " scored frames within 10 minutes");
    }

    /**
     * Reads the faulted run's output, runs the uncrashed reference over the same frames, and
     * judges. The detectors must still be alive (they recover by themselves).
     */
    ChaosSuite.Result finish(List<DetectorProcess> detectors, int faults, String notes) {
        Properties client = nodes.internalClientConfig();
        Audit.Output faulted = Audit.read(client, "scores", "dlq", scores, workload, Duration.ofSeconds(5),
                Duration.ofMinutes(10));
        List<String> extra = new ArrayList<>();
        for (DetectorProcess d : detectors) {
            if (!d.isAlive()) {
                extra.add(d.log().getFileName() + ": process died");
            }
        }
        stopAll();
        DetectorProcess ref = detector("reference", "chaos-reference", "ref-").start(Duration.ofSeconds(120));
        Audit.Output reference = Audit.read(client, "ref-scores", "ref-dlq", scores, workload, Duration.ofSeconds(3),
                Duration.ofMinutes(10));
        ref.stop();
        Audit.Verdict v = Audit.judge(workload, faulted, reference);
        List<String> problems = new ArrayList<>(v.problems());
        problems.addAll(extra);
        String text = problems.isEmpty()
                ? notes + "; verdicts and thresholds equal the uncrashed run's (max threshold diff "
                + String.format("%.1e", v.maxThresholdDiff()) + ")"
                : String.join("; ", problems);
        return new ChaosSuite.Result(name, workload.scoredIds().size(), faults, v.lost(), v.duplicated(), v.deadLettered(),
                problems.isEmpty(), 0, text);
    }

    void stopAll() {
        for (DetectorProcess d : started) {
            d.stop();
        }
    }
}
