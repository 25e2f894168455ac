package io.frameguard.harness.chaos;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.frameguard.FrameGuardException;
import io.frameguard.avro.FrameScore;
import io.frameguard.avro.ImageFrame;
import io.frameguard.data.ImageSet;
import io.frameguard.stream.serde.SingleObjectWireFormat;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Fault injection against real processes: Kafka nodes and detectors each run in their own JVM and
 * are killed with SIGKILL. Every scenario produces a seeded workload (valid MNIST frames with every
 * poison kind interleaved), injects its faults while the detector works, then reads what was
 * committed (read_committed) and compares it with the workload and with an uncrashed reference run
 * of the same frames: 0 lost, 0 duplicated, every bad record dead-lettered with its reason, the
 * same verdicts and thresholds.
 */
public final class ChaosSuite {
    /** How soon the frame behind a length bomb must be scored on an idle detector. */
    static final long NEXT_FRAME_MS = 1_000;

    /** Scenario names, in the order they run. */
    public static final List<String> SCENARIOS = List.of("crash", "broker-restart", "broker-loss", "poison", "scale-out",
            "startup-faults", "security", "sources", "registry", "model-rollout");

    /**
     * @param crashFrames valid frames of the crash scenario
     * @param frames valid frames of every other scenario
     * @param kills SIGKILLs of the detector in the crash scenario
     * @param poisonEvery one bad record after this many valid frames
     */
    public record Options(List<String> scenarios, int crashFrames, int frames, int kills, int poisonEvery, long seed) {
    }

    /** One row of the results table. */
    public record Result(String name, long frames, int faults, long lost, long duplicated,
                         @JsonProperty("dead_lettered") long deadLettered, boolean passed,
                         @JsonProperty("wall_s") double wallSeconds, String notes) {
    }

    private final PrintWriter out;
    private final Path work;
    private final Path model;
    private final ImageSet normal;
    private final ImageSet anomalous;
    private final Serializer<ImageFrame> serializer = new SingleObjectWireFormat().serde(ImageFrame.class).serializer();
    final Deserializer<FrameScore> scores = new SingleObjectWireFormat().serde(FrameScore.class).deserializer();

    public ChaosSuite(PrintWriter out, Path work, Path model, ImageSet normal, ImageSet anomalous) {
        this.out = out;
        this.work = work;
        this.model = model.toAbsolutePath();
        this.normal = normal;
        this.anomalous = anomalous;
    }

    public List<Result> run(Options o) {
        List<Result> results = new ArrayList<>();
        for (String name : o.scenarios()) {
            if (!SCENARIOS.contains(name)) {
                throw new FrameGuardException("unknown scenario '" + name + "'; known: " + SCENARIOS);
            }
            say("== " + name);
            long t0 = System.nanoTime();
            Result r;
            try {
                r = switch (name) {
                    case "crash" -> crash(o);
                    case "broker-restart" -> brokerRestart(o);
                    case "broker-loss" -> brokerLoss(o);
                    case "poison" -> poison(o);
                    case "scale-out" -> scaleOut(o);
                    case "startup-faults" -> new StartupFaults(work.resolve("startup-faults"), model, this::say).run();
                    case "security" -> new SecurityScenario(this, work.resolve("security")).run(o);
                    case "sources" -> new SourcesScenario(this).run(o);
                    case "registry" -> new RegistryScenario(this).run(o, work.resolve("registry-server"));
                    case "model-rollout" -> new ModelRolloutScenario(this, model).run(o);
                    default -> throw new IllegalStateException(name);
                };
            } catch (RuntimeException e) {
                String why = String.valueOf(e.getMessage());
                r = new Result(name, 0, 0, -1, -1, -1, false, 0, "failed: " + why.lines().findFirst().orElse(""));
                say("   " + why);
            }
            r = new Result(r.name(), r.frames(), r.faults(), r.lost(), r.duplicated(), r.deadLettered(), r.passed(),
                    Math.round((System.nanoTime() - t0) / 1e8) / 10.0, r.notes());
            say(String.format("   %s: %s", r.passed() ? "PASSED" : "FAILED", r.notes()));
            results.add(r);
        }
        return results;
    }

    // ---- scenarios -------------------------------------------------------------------------

    /** SIGKILL the detector process at random moments and restart it each time. */
    private Result crash(Options o) {
        return withCluster("crash", 1, null, o.crashFrames(), o.poisonEvery(), o.seed(), (run) -> {
            Random random = new Random(o.seed());
            DetectorProcess d = run.detector("detector", "chaos-crash", "").start(Duration.ofSeconds(120));
            CompletableFuture<Void> producing = run.produceInBackground();
            double[] points = new double[o.kills()];
            for (int i = 0; i < points.length; i++) {
                points[i] = 0.05 + 0.8 * random.nextDouble();
            }
            java.util.Arrays.sort(points);
            for (double p : points) {
                run.awaitProgress("scores", p);
                KafkaNodes.sleep(random.nextInt(400));
                d.kill();
                say(String.format("   SIGKILL detector at ~%.0f%% of the frames scored; restarting", 100 * p));
                d.start(Duration.ofSeconds(180));
            }
            producing.join();
            return run.finish(List.of(d), o.kills(), o.kills() + " SIGKILLs of the detector process");
        });
    }

    /**
     * SIGKILL the only Kafka node mid-stream and start it again; the detector must recover by itself.
     *
     * <p>The kill waits for a moment when no transaction is between its prepare and complete states,
     * with the detector frozen meanwhile ({@link #killBetweenCommits}). Kafka 4.3.1 cannot survive
     * the other moment: a node restarted while it was writing a transaction's markers resends them
     * while its partitions still have no leader (it is fenced until it registers again), takes each
     * leaderless partition for a deleted one ({@code TransactionMarkerChannelManager}: "Couldn't find
     * leader endpoint ... likely deleted already and hence can be skipped") and completes the
     * transaction with no marker written, so read_committed stops behind it for good and the group's
     * offsets may never commit. Nothing a client does can repair that; with three nodes a partition
     * keeps a leader and {@link #brokerLoss} kills a node at any moment.
     */
    private Result brokerRestart(Options o) {
        return brokerFault("broker-restart", 1, o, true, "SIGKILL of the Kafka node at ~30% of the frames scored, between "
                + "two commits; down for 5 s", run -> {
                    KafkaNodes.sleep(5000);
                    run.nodes.restart(0, 1);
                    say("   Kafka node restarted");
                }, "broker killed and restarted; detector never restarted");
    }

    /** A 3-node cluster loses one node for good mid-stream, at whatever moment of a transaction. */
    private Result brokerLoss(Options o) {
        return brokerFault("broker-loss", 3, o, false, "SIGKILL of Kafka node 2 of 3 at ~30% of the frames scored; it stays down",
                run -> { }, "1 of 3 nodes lost for good; detector never restarted");
    }

    /**
     * The last node is SIGKILLed at ~30 % of the frames scored (when {@code betweenCommits}, at a moment
     * when no transaction is committing or aborting); {@code after} runs next; the detector is left alone.
     */
    private Result brokerFault(String name, int nodes, Options o, boolean betweenCommits, String told,
                               java.util.function.Consumer<ScenarioRun> after, String notes) {
        return withCluster(name, nodes, null, o.frames(), o.poisonEvery(), o.seed(), run -> {
            DetectorProcess d = run.detector("detector", "chaos-" + name, "").start(Duration.ofSeconds(120));
            CompletableFuture<Void> producing = run.produceInBackground();
            run.awaitProgress("scores", 0.3);
            if (!betweenCommits) {
                run.nodes.kill(nodes - 1);
            } else if (!killBetweenCommits(run.nodes.internalClientConfig(), Duration.ofSeconds(10), d,
                    () -> run.nodes.kill(nodes - 1))) {
                say("   every look in 10 s found a transaction completing; killed anyway");
            }
            say("   " + told);
            after.accept(run);
            producing.join();
            return run.finish(List.of(d), 1, notes);
        });
    }

    /**
     * Freezes {@code detector} (SIGSTOP), asks the cluster for its transactions until none is in a
     * prepare state, runs {@code kill} and lets the detector go on (SIGCONT); after {@code timeout}
     * runs it anyway and returns false. Frozen, the detector cannot begin a commit between the
     * answer and the kill. Without the freeze a run of the long form lost that race (the node took
     * a commit's partitions for deleted, as above, and the scenario waited out its ten minutes).
     * The detector's open transaction, if any, is left open, as a kill at any other moment would
     * leave it; the freeze lasts milliseconds, well within its session timeout.
     */
    static boolean killBetweenCommits(java.util.Properties client, Duration timeout, DetectorProcess detector, Runnable kill) {
        java.util.Set<org.apache.kafka.clients.admin.TransactionState> completing = java.util.EnumSet.of(
                org.apache.kafka.clients.admin.TransactionState.PREPARE_COMMIT,
                org.apache.kafka.clients.admin.TransactionState.PREPARE_ABORT,
                org.apache.kafka.clients.admin.TransactionState.PREPARE_EPOCH_FENCE);
        long deadline = System.nanoTime() + timeout.toNanos();
        detector.freeze();
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(client)) {
            while (System.nanoTime() < deadline) {
                var listed = admin.listTransactions().all().get(5, java.util.concurrent.TimeUnit.SECONDS);
                if (listed.stream().noneMatch(t -> completing.contains(t.state()))) {
                    kill.run();
                    return true;
                }
            }
            kill.run();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FrameGuardException("interrupted while listing the cluster's transactions", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new FrameGuardException("cannot list the cluster's transactions: " + e.getMessage(), e);
        } finally {
            detector.resume();
        }
    }

    /**
     * Every poison kind, densely interleaved, against a detector with a 256 MB heap: the length bombs
     * declare gigabytes, so a decoder that allocated what they declare would stop the line here.
     * Then, on the idle detector, each length bomb followed by a valid frame of the same source: that
     * frame must be scored within {@link #NEXT_FRAME_MS} of being sent.
     */
    private Result poison(Options o) {
        List<Poison> bombs = List.of(Poison.BYTES_LENGTH_BOMB, Poison.STRING_LENGTH_BOMB, Poison.MAP_ENTRIES_BOMB,
                Poison.MAP_BLOCK_BOMB);
        Workload w = workload(o.frames(), 3, o.seed(), Workload.SOURCES)
                .withProbes(bombs, normal, serializer, ScenarioRun.MAX_FRAME_BYTES, o.seed());
        return withCluster("poison", 1, null, w, (run) -> {
            DetectorProcess d = run.detector("detector", "chaos-poison", "").start(Duration.ofSeconds(120), "256m");
            w.produce(run.nodes.internalClientConfig(), "frames", 0, w.probeStart());
            run.awaitProgress("scores", (double) (w.scoredIds().size() - bombs.size()) / w.scoredIds().size());
            java.util.Map<String, Long> sent = new java.util.LinkedHashMap<>();
            for (int k = 0; k < bombs.size(); k++) {
                KafkaNodes.sleep(1_000);
                sent.put(Workload.probeId(bombs.get(k)), System.currentTimeMillis());
                w.produce(run.nodes.internalClientConfig(), "frames", w.probeStart() + 2 * k, w.probeStart() + 2 * k + 2);
            }
            java.util.Map<String, Long> waited = probeLatencies(run, w, sent);
            Result r = run.finish(List.of(d), w.deadLetterCount(), Poison.values().length + " kinds ("
                    + (Poison.values().length - 1) + " dead-lettered, RGB converted); the frame behind each length bomb on an"
                    + " idle detector scored after " + waited.values() + " ms");
            long worst = waited.values().stream().mapToLong(Long::longValue).max().orElse(Long.MAX_VALUE);
            return worst <= NEXT_FRAME_MS ? r : new Result(r.name(), r.frames(), r.faults(), r.lost(), r.duplicated(),
                    r.deadLettered(), false, 0, "a frame behind a length bomb waited " + worst + " ms, over " + NEXT_FRAME_MS
                    + "; " + r.notes());
        });
    }

    /** How long after it was sent each probe frame was scored (its FrameScore's scored_time). */
    private java.util.Map<String, Long> probeLatencies(ScenarioRun run, Workload w, java.util.Map<String, Long> sent) {
        Audit.Output out = Audit.read(run.nodes.internalClientConfig(), "scores", "dlq", scores, w, Duration.ofSeconds(2),
                Duration.ofMinutes(2));
        java.util.Map<String, Long> waited = new java.util.LinkedHashMap<>();
        sent.forEach((id, t) -> {
            List<FrameScore> s = out.scores().get(id);
            waited.put(id, s == null ? Long.MAX_VALUE : s.get(0).getScoredTime().toEpochMilli() - t);
        });
        return waited;
    }

    /** Two instances share 4 partitions; one is killed, the other takes over, the first comes back. */
    private Result scaleOut(Options o) {
        return withCluster("scale-out", 1, null, o.frames(), o.poisonEvery(), o.seed(), (run) -> {
            DetectorProcess a = run.detector("detector-a", "chaos-scale", "");
            DetectorProcess b = run.detector("detector-b", "chaos-scale", "");
            a.start(Duration.ofSeconds(120));
            b.start(Duration.ofSeconds(120));
            CompletableFuture<Void> producing = run.produceInBackground();
            run.awaitProgress("scores", 0.25);
            b.kill();
            say("   SIGKILL of instance b at ~25%; a takes over its partitions and threshold state");
            run.awaitProgress("scores", 0.6);
            b.start(Duration.ofSeconds(180));
            say("   instance b back at ~60%; rebalanced");
            producing.join();
            return run.finish(List.of(a, b), 1, "2 instances, 4 partitions; one killed and brought back");
        });
    }

    // ---- shared run machinery ---------------------------------------------------------------

    interface Body {
        Result run(ScenarioRun run);
    }

    Result withCluster(String name, int nodeCount, KafkaNodes.Security security, int frames, int poisonEvery, long seed,
                       Body body) {
        return withCluster(name, nodeCount, security, workload(frames, poisonEvery, seed, Workload.SOURCES), body);
    }

    Workload workload(int frames, int poisonEvery, long seed, int sources) {
        return workload(frames, poisonEvery, seed, sources, serializer);
    }

    /** As above, with the frames encoded by {@code frameSerializer}. */
    Workload workload(int frames, int poisonEvery, long seed, int sources, Serializer<ImageFrame> frameSerializer) {
        return Workload.build(normal, anomalous, frames, poisonEvery, ScenarioRun.MAX_FRAME_BYTES, frameSerializer, seed, sources);
    }

    Result withCluster(String name, int nodeCount, KafkaNodes.Security security, Workload w, Body body) {
        return withCluster(name, nodeCount, security, w, scores, body);
    }

    /** As above, reading the detectors' scores with {@code scoreDeserializer}. */
    Result withCluster(String name, int nodeCount, KafkaNodes.Security security, Workload w,
                       Deserializer<FrameScore> scoreDeserializer, Body body) {
        Path dir = work.resolve(name);
        deleteQuietly(dir);
        try (KafkaNodes nodes = KafkaNodes.start(dir.resolve("kafka"), nodeCount, security)) {
            ScenarioRun run = new ScenarioRun(name, dir, nodes, w, security, model, scoreDeserializer);
            run.createTopics();
            try {
                return body.run(run);
            } finally {
                run.stopAll();
            }
        }
    }

    /** The normal frames the workloads draw from. */
    ImageSet normal() {
        return normal;
    }

    void say(String line) {
        out.println(line);
        out.flush();
    }

    static void deleteQuietly(Path dir) {
        try {
            io.frameguard.FileTrees.delete(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
