package io.frameguard.harness.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.frameguard.avro.Encoding;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.harness.traffic.CameraSimulator;
import io.frameguard.harness.traffic.FrameMix;
import io.frameguard.model.ModelBundle;
import io.frameguard.runtime.Detector;
import io.frameguard.runtime.EmbeddedKafka;
import io.frameguard.stream.BundleBatchScorer;
import io.frameguard.stream.Topics;
import io.frameguard.topics.CommittedConsumer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * End to end on an embedded broker: the detector's throughput on pre-produced frames (first to last
 * FrameScore), the same for the record-at-a-time baseline, and capture→score latency percentiles at
 * fixed offered rates. Everything in one run, so the ratio holds on a noisy machine.
 */
public final class PipelineBenchmark {
    /**
     * @param latencyWarmUp seconds each latency run offers frames before the frames it measures
     * @param maxWarmUpRounds most warm-up rounds, of the throughput runs and of the latency runs each
     * @param modelFile the bundle's file, for the {@code serve} process
     * @param serveHeap heap limit of the {@code serve} process, e.g. {@code 512m}
     * @param serveJvmOptions further JVM options of the {@code serve} process, e.g. {@code -XX:TieredStopAtLevel=1}
     * @param peer also run FrameGuard at-least-once and the Python + PyTorch peer ({@link PipelinePeer})
     * @param instances also run 1 to this many {@code serve} processes in one group ({@link ScaleOut}); 0: not
     * @param instancesWarmUp seconds those processes are offered frames before their latency is measured
     */
    public record Options(long frames, double[] rates, double seconds, double latencyWarmUp, int maxWarmUpRounds,
                          Map<String, String> detectorConfig,
                          Path modelFile, String serveHeap, List<String> serveJvmOptions, boolean peer, int instances,
                          double instancesWarmUp) {
        /** A {@code serve} process's heap limit and further JVM options, as on its command line. */
        List<String> serveFlags() {
            return flags(serveHeap, serveJvmOptions);
        }
    }

    private static List<String> flags(String xmx, List<String> jvmOptions) {
        List<String> flags = new ArrayList<>(List.of("-Xmx" + xmx));
        flags.addAll(jvmOptions);
        return flags;
    }

    /**
     * {@code serve} as its own fresh process under a heap limit, at the highest offered rate from the
     * moment it is up: its capture→score latency in its first {@link #FRESH_SECONDS} seconds and in
     * the measured seconds after them, and, from its {@code /metrics}, the peak heap in use, the
     * heap after the last GC and RSS.
     */
    public record ServeProcess(String xmx, @JsonProperty("jvm_options") List<String> jvmOptions,
                               @JsonProperty("offered_fps") double offered,
                               @JsonProperty("latency_first_10s") Latency first, Latency latency,
                               @JsonProperty("p99_by_second_ms") double[] p99BySecond,
                               @JsonProperty("p99_to_scored_by_second_ms") double[] p99ToScoredBySecond,
                               @JsonProperty("first_second_max_to_scored_by_tenth_ms") double[] firstSecondMaxToScored,
                               @JsonProperty("heap_peak_mb") double heapPeakMb,
                               @JsonProperty("heap_after_gc_mb") double heapAfterGcMb,
                               @JsonProperty("rss_mb") double rssMb,
                               @JsonProperty("warm_up_log") List<String> warmUp) {
        /** The process's heap limit and further JVM options, as on its command line. */
        List<String> jvmFlags() {
            return flags(xmx, jvmOptions);
        }
    }

    /**
     * Capture→score latency percentiles, and the p99 of its two parts: capture to the batch being
     * scored ({@code scored_time}), and scored to visible to a read_committed consumer (the wait for
     * the commit and the fetch).
     */
    public record Latency(@JsonProperty("offered_fps") double offered, double p50, double p95, double p99,
                          long frames, @JsonProperty("p99_capture_to_scored") double p99ToScored,
                          @JsonProperty("p99_scored_to_visible") double p99ScoredToVisible) {
    }

    public record Report(String model, long frames, @JsonProperty("throughput_fps") double throughput,
                         @JsonProperty("throughput_runs_fps") double[] throughputRuns,
                         @JsonProperty("baseline_fps") double baseline, double ratio,
                         @JsonProperty("cpu_us_per_frame") double cpuUsPerFrame,
                         @JsonProperty("baseline_cpu_us_per_frame") double baselineCpuUsPerFrame,
                         @JsonProperty("latency_ms") List<Latency> latency, @JsonProperty("heap_mb") double heapMb,
                         @JsonProperty("rss_mb") double rssMb, @JsonProperty("serve_process") ServeProcess serve,
                         PipelinePeer.Report peer, List<ScaleOut.Instances> instances) {
    }

    static final double MB = 1048576.0;
    /** How long a fresh serve process is watched apart: the first seconds after a restart or a scale-out. */
    static final int FRESH_SECONDS = 10;

    private final PrintWriter out;
    private final ModelBundle bundle;
    private final FrameMix mix;

    public PipelineBenchmark(PrintWriter out, ModelBundle bundle, FrameMix mix) {
        this.out = out;
        this.bundle = bundle;
        this.mix = mix;
    }

    public Report run(Options o) throws Exception {
        Path dir = Files.createTempDirectory("frameguard-bench-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            warmUp(kafka, dir, o);
            List<Run> runs = new ArrayList<>();
            for (int i = 1; i <= MEASURED_RUNS; i++) {
                Run r = detector(config(kafka, dir, "batched-" + i, o), o.frames());
                runs.add(r);
                out.printf("micro-batched detector, run %d: %,d frames in first-to-last order at %,.0f frames/s (whole JVM: "
                        + "%.2f cores busy, %.0f us CPU per frame, JIT %.2f cores)%n", i, o.frames(), r.fps(), r.coresBusy(),
                        r.cpuUsPerFrame(), r.jitCores());
                out.flush();
            }
            List<Run> byFps = runs.stream().sorted(java.util.Comparator.comparingDouble(Run::fps)).toList();
            Run detector = byFps.get(byFps.size() / 2);
            out.printf("micro-batched detector: median %,.0f frames/s of %d runs (%,.0f..%,.0f)%n", detector.fps(), runs.size(),
                    byFps.get(0).fps(), byFps.get(byFps.size() - 1).fps());
            Run single = baseline(config(kafka, dir, "record-at-a-time", o), o.frames());
            out.printf("record-at-a-time baseline: %,.0f frames/s (%.2f cores busy, %.0f us CPU per frame, JIT %.2f cores); "
                    + "ratio %.1fx%n", single.fps(), single.coresBusy(), single.cpuUsPerFrame(), single.jitCores(),
                    detector.fps() / single.fps());
            PipelinePeer.Report peer = o.peer() ? peer(kafka, dir, o) : null;
            double top = Arrays.stream(o.rates()).max().orElse(1000);
            warmUpLatency(kafka, dir, o, top);
            List<Latency> latencies = new ArrayList<>();
            for (double rate : o.rates()) {
                FrameGuardConfig live = config(kafka, dir, "latency-" + (long) rate, o);
                try (Detector d = new Detector(live, bundle).start()) {
                    d.awaitRunning(Duration.ofSeconds(60));
                    Latency l = LatencyProbe.measure(live, rate, o.seconds(), o.latencyWarmUp(), n -> produce(live, n, rate));
                    latencies.add(l);
                    out.printf("offered %,.0f frames/s: capture->score latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms (%,d frames); "
                            + "p99 capture->scored %.1f ms, scored->visible %.1f ms%n",
                            rate, l.p50(), l.p95(), l.p99(), l.frames(), l.p99ToScored(), l.p99ScoredToVisible());
                }
            }
            ServeProcess serve = freshServe(kafka, dir, o, top);
            List<ScaleOut.Instances> scaleOut = new ArrayList<>();
            for (int n = 1; n <= o.instances(); n++) {
                Map<String, String> settings = settings(kafka, dir, "instances-" + n, o);
                settings.put(FrameGuardConfig.MODEL_PATH, o.modelFile().toAbsolutePath().toString());
                settings.remove(FrameGuardConfig.STATE_DIR); // a folder of its own for each process
                FrameGuardConfig c = config(kafka, settings);
                ScaleOut.Instances r = ScaleOut.measure(n, settings, c, dir, o, top, (k, rate) -> produce(c, k, rate));
                scaleOut.add(r);
                out.printf("%d serve process(es) (%s), one group, %d partitions: %,.0f frames/s offered as fast as they go;"
                        + " at %,.0f frames/s after %.0f s: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms (%,d frames)%n", n,
                        String.join(" ", serve.jvmFlags()), r.partitions(), r.throughput(), top, o.instancesWarmUp(),
                        r.latency().p50(), r.latency().p95(), r.latency().p99(), r.latency().frames());
                out.flush();
            }
            System.gc();
            Runtime rt = Runtime.getRuntime();
            double heap = (rt.totalMemory() - rt.freeMemory()) / MB;
            double rss = JvmUsage.rssMb();
            out.printf("heap after GC %.0f MB, RSS %.0f MB (this JVM also runs the broker and the clients)%n", heap, rss);
            out.flush();
            return new Report(bundle.modelId(), o.frames(), detector.fps(), runs.stream().mapToDouble(Run::fps).toArray(),
                    single.fps(), detector.fps() / single.fps(),
                    detector.cpuUsPerFrame(), single.cpuUsPerFrame(), latencies, heap, rss, serve, peer, scaleOut);
        } finally {
            io.frameguard.FileTrees.delete(dir); // the broker's data, the detectors' state and the serve process's log
        }
    }

    /**
     * Step 4 alone ({@code bench pipeline --fresh-serve-only}): this JVM's broker and clients are
     * warmed first by the latency warm-up, as the whole run has them warmed by its earlier steps, so
     * that only the {@code serve} process is cold.
     */
    public Report runFreshServe(Options o) throws Exception {
        Path dir = Files.createTempDirectory("frameguard-bench-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            double top = Arrays.stream(o.rates()).max().orElse(1000);
            warmUpLatency(kafka, dir, o, top);
            startedInWarmJvm(kafka, dir, o, top);
            ServeProcess serve = freshServe(kafka, dir, o, top);
            return new Report(bundle.modelId(), 0, 0, new double[0], 0, 0, 0, 0, List.of(), 0, 0, serve, null, List.of());
        } finally {
            io.frameguard.FileTrees.delete(dir);
        }
    }

    /**
     * The same offer to a detector started in this JVM, whose code is compiled already: what a start
     * costs apart from the JIT (joining the group, the first fetches and transactions).
     */
    private void startedInWarmJvm(EmbeddedKafka kafka, Path dir, Options o, double rate) throws Exception {
        FrameGuardConfig c = config(kafka, dir, "started-in-warm-jvm", o);
        try (Detector d = new Detector(c, bundle).start()) {
            d.awaitRunning(Duration.ofSeconds(60));
            LatencyProbe.FromStart l = LatencyProbe.measureFromStart(c, rate, FRESH_SECONDS, (int) Math.round(o.seconds()),
                    n -> produce(c, n, rate));
            out.printf("detector started in this warmed JVM at %,.0f frames/s from its start: first %d s p50 %.1f ms, p99 %.1f ms;"
                    + " after them p50 %.1f ms, p99 %.1f ms; p99 per second: %s%n", rate, FRESH_SECONDS, l.first().p50(),
                    l.first().p99(), l.after().p50(), l.after().p99(), milliseconds(l.p99BySecond()));
            out.flush();
        }
    }

    /** Step 4: a fresh {@code serve} process offered {@code rate} from the moment it is ready ({@link FreshServe}). */
    private ServeProcess freshServe(EmbeddedKafka kafka, Path dir, Options o, double top) throws Exception {
        Map<String, String> serveSettings = settings(kafka, dir, "serve-process", o);
        serveSettings.put(FrameGuardConfig.MODEL_PATH, o.modelFile().toAbsolutePath().toString());
        FrameGuardConfig serveConfig = config(kafka, serveSettings);
        ServeProcess serve = FreshServe.measure(serveSettings, serveConfig, dir, o, top, n -> produce(serveConfig, n, top));
        out.printf("fresh serve process (%s) at %,.0f frames/s from its start: first %d s p50 %.1f ms, p99 %.1f ms"
                + " (%,d frames); after them p50 %.1f ms, p99 %.1f ms (%,d frames); heap peak %.0f MB, after GC %.0f MB,"
                + " RSS %.0f MB%n", String.join(" ", serve.jvmFlags()), top, FRESH_SECONDS, serve.first().p50(), serve.first().p99(),
                serve.first().frames(), serve.latency().p50(), serve.latency().p99(), serve.latency().frames(),
                serve.heapPeakMb(), serve.heapAfterGcMb(), serve.rssMb());
        serve.warmUp().forEach(l -> out.println("fresh serve process, before it took partitions: " + l));
        out.println("fresh serve process, p99 ms of the frames offered in each second from its start: "
                + milliseconds(serve.p99BySecond()));
        out.println("fresh serve process, of which capture->scored (p99 ms, the same seconds): "
                + milliseconds(serve.p99ToScoredBySecond()));
        out.println("fresh serve process, its first second in tenths: the longest capture->scored (ms) of the frames offered in each: "
                + milliseconds(serve.firstSecondMaxToScored()));
        return serve;
    }

    /** What {@code bench profile} prints and writes: the profiled run's throughput and its stages. */
    public record ProfileReport(String model, long frames, @JsonProperty("throughput_fps") double throughput,
                                @JsonProperty("jvm_cpu_us_per_frame") double jvmCpuUsPerFrame,
                                StageProfile.Report profile) {
    }

    /**
     * Where the serving path's CPU goes: the detector on {@code frames} pre-produced frames, after
     * warm-up rounds of the same until the JIT has little left to compile (as the throughput runs
     * have), once more under a flight recording whose samples are charged to {@link ServingStage}s.
     */
    public ProfileReport profile(long frames, int maxWarmUpRounds, Map<String, String> detectorConfig) throws Exception {
        Options o = new Options(frames, new double[0], 0, 0, maxWarmUpRounds, detectorConfig, null, null, List.of(), false, 0, 0);
        Path dir = Files.createTempDirectory("frameguard-bench-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            for (int round = 1; round <= maxWarmUpRounds; round++) {
                // under a recording too: the JIT recompiles much when a recording first starts in a JVM
                FrameGuardConfig w = config(kafka, dir, "warm-up-" + round, o);
                Run d;
                try (StageProfile ignored = StageProfile.start(w.getString(FrameGuardConfig.APPLICATION_ID))) {
                    d = detector(w, frames);
                }
                out.printf("warm-up %d (not counted): detector %,.0f frames/s on %,d frames; JIT %.2f cores%n", round, d.fps(),
                        frames, d.jitCores());
                out.flush();
                if (d.jitCores() < 0.1) {
                    break;
                }
            }
            FrameGuardConfig c = config(kafka, dir, "profile", o);
            produce(c, frames, 0);
            try (Detector d = new Detector(c, bundle).start(); StageProfile p = StageProfile.start(c.getString(FrameGuardConfig.APPLICATION_ID))) {
                Run r = throughput(c, frames);
                StageProfile.Report stages = p.stop(frames);
                var batches = d.metrics().batches();
                out.printf("profiled run: %,d frames at %,.0f frames/s (whole JVM, broker and clients included: %.0f us CPU"
                        + " per frame); %,d batches of %.1f frames on average%n", frames, r.fps(), r.cpuUsPerFrame(),
                        batches.count(), batches.meanSize());
                StageProfile.print(out, stages);
                return new ProfileReport(bundle.modelId(), frames, r.fps(), r.cpuUsPerFrame(), stages);
            }
        } finally {
            io.frameguard.FileTrees.delete(dir);
        }
    }

    /**
     * Frames/s, and what this JVM (broker, clients and streams app together) spent meanwhile: cores
     * busy, CPU per frame, and the share of a core the JIT compilers took.
     */
    private record Run(double fps, double coresBusy, double cpuUsPerFrame, double jitCores) {
    }

    /** Measured runs of the detector; the median is the reported throughput. */
    private static final int MEASURED_RUNS = 3;

    /**
     * Runs both topologies before anything is measured (the detector on the measured frame count,
     * the baseline on a tenth of at most 20,000), round after round until the JIT has little left to
     * compile, so that neither the detector (measured first) nor the baseline pays for compiling the
     * broker, the clients and DL4J. Each round uses new topics.
     */
    private void warmUp(EmbeddedKafka kafka, Path dir, Options o) throws Exception {
        // the detector on as many frames as it is measured on: in a scratch run of 20 detectors on 100,000
        // frames each, CPU per frame kept falling (67 -> 45 us) until about the fourteenth
        long frames = o.frames();
        long baselineFrames = Math.max(1, Math.min(o.frames(), 20_000) / 10);
        for (int round = 1; round <= o.maxWarmUpRounds(); round++) {
            Run d = detector(config(kafka, dir, "warm-up-" + round + "-batched", o), frames);
            Run b = baseline(config(kafka, dir, "warm-up-" + round + "-record-at-a-time", o), baselineFrames);
            out.printf("warm-up %d (not counted): detector %,.0f frames/s on %,d frames, baseline %,.0f frames/s on %,d; "
                    + "JIT %.2f cores%n", round, d.fps(), frames, b.fps(), baselineFrames, d.jitCores());
            out.flush();
            if (d.jitCores() < 0.1) {
                return;
            }
        }
    }

    /**
     * Offers frames at {@code rate} to a detector, round after round, until the JIT has little left
     * to compile. The throughput runs compile the paths of full batches; offered frames take others
     * (small batches, a commit after each, many small fetches in the broker and the clients). In a
     * scratch run the JIT still took 0.55 cores 15 s into the first detector at 5,000 frames/s, and
     * under 0.1 by the second.
     */
    private void warmUpLatency(EmbeddedKafka kafka, Path dir, Options o, double rate) throws Exception {
        for (int round = 1; round <= o.maxWarmUpRounds(); round++) {
            FrameGuardConfig c = config(kafka, dir, "latency-warm-up-" + round, o);
            try (Detector d = new Detector(c, bundle).start()) {
                d.awaitRunning(Duration.ofSeconds(60));
                long jit0 = JvmUsage.jitMillis();
                long t0 = System.nanoTime();
                Latency l = LatencyProbe.measure(c, rate, o.seconds(), o.latencyWarmUp(), n -> produce(c, n, rate));
                double jit = (JvmUsage.jitMillis() - jit0) / 1e3 / ((System.nanoTime() - t0) / 1e9);
                out.printf("latency warm-up %d (not counted): offered %,.0f frames/s, p99 %.1f ms; JIT %.2f cores%n", round, rate,
                        l.p99(), jit);
                out.flush();
                if (jit < 0.1) {
                    return;
                }
            }
        }
    }

    /**
     * FrameGuard exactly-once and at-least-once, each a {@code serve} process of its own
     * ({@link ServeBacklog}: warm-up rounds until its throughput settles, then {@link #MEASURED_RUNS}
     * runs, the median), then the Python peer at each of its batch sizes, at-least-once and with
     * transactions, each on glibc malloc thresholds that keep freed memory and then on glibc's
     * defaults ({@link TorchPeer#environment}), each run on fresh topics with the same frames; all
     * timed as the bench's detectors are: first to last score a {@code read_committed} consumer sees,
     * of a backlog. FrameGuard is compared with the peer's best run of either kind.
     */
    private PipelinePeer.Report peer(EmbeddedKafka kafka, Path dir, Options o) throws Exception {
        String why = PipelinePeer.unavailable();
        if (why != null) {
            out.println("pipeline peer skipped: " + why);
            out.flush();
            return PipelinePeer.Report.skipped(why);
        }
        // FrameGuard as it is deployed, one serve process per guarantee: in this JVM, a detector of one
        // guarantee starts from the code the JIT compiled for the other's, and at-least-once after
        // exactly-once stayed slower than in a JVM that never ran exactly-once (31-35,000 against
        // 40,500 frames/s here)
        Map<String, ServeBacklog.Result> fg = new HashMap<>();
        for (String guarantee : List.of("exactly_once_v2", "at_least_once")) {
            String name = guarantee.replace('_', '-') + "-process";
            Map<String, String> settings = settings(kafka, dir, name, o);
            settings.put(FrameGuardConfig.PROCESSING_GUARANTEE, guarantee);
            settings.put(FrameGuardConfig.MODEL_PATH, o.modelFile().toAbsolutePath().toString());
            FrameGuardConfig c = config(kafka, settings);
            fg.put(guarantee, ServeBacklog.measure(name, settings, c, dir, o, MEASURED_RUNS, n -> produce(c, n, 0), out));
        }
        ServeBacklog.Result eos = fg.get("exactly_once_v2");
        ServeBacklog.Result alo = fg.get("at_least_once");
        Path export = dir.resolve("peer-export");
        byte[] check = new byte[8 * bundle.spec().inputSize()];
        new java.util.Random(7).nextBytes(check);
        DenseExport.write(bundle, check, export);
        List<PipelinePeer.Run> runs = new ArrayList<>();
        Map<String, String> about = new HashMap<>();
        for (boolean exactlyOnce : new boolean[] {false, true}) {
            String guarantee = exactlyOnce ? "exactly-once" : "at-least-once";
            for (int batch : exactlyOnce ? PipelinePeer.EXACTLY_ONCE_BATCHES : PipelinePeer.AT_LEAST_ONCE_BATCHES) {
                double[] fps = new double[2];
                for (int m = 0; m < 2; m++) {
                    boolean tuned = m == 0;
                    String name = "peer-" + guarantee + "-" + batch + (tuned ? "" : "-glibc-default");
                    FrameGuardConfig c = config(kafka, dir, name, o);
                    produce(c, o.frames(), 0);
                    Path log = dir.resolve(name + ".log");
                    Process p = PipelinePeer.start(export, c, name, batch, exactlyOnce, tuned, o.frames(), log);
                    Run r;
                    try {
                        r = throughput(c, o.frames(), p::isAlive);
                    } catch (RuntimeException e) {
                        p.destroyForcibly();
                        throw e;
                    }
                    String output = PipelinePeer.finish(p, log);
                    if (about.isEmpty()) {
                        about.putAll(describe(output));
                        out.println("pipeline peer: " + PipelinePeer.SCRIPT + " (confluent_kafka " + about.get("confluent_kafka")
                                + ", librdkafka " + about.get("librdkafka") + ", torch " + about.get("torch") + ", 1 thread);"
                                + " outputs within " + about.get("max_abs_diff") + " of FrameGuard's on " + about.get("images")
                                + " images; GLIBC_TUNABLES=" + TorchPeer.MALLOC_TUNABLES + ", then glibc's default malloc");
                    }
                    runs.add(new PipelinePeer.Run(guarantee, batch, tuned ? "tuned" : "glibc-default", r.fps()));
                    fps[m] = r.fps();
                }
                out.printf("pipeline peer, %s, batch %d: %,.0f frames/s (glibc's default malloc: %,.0f)%n", guarantee, batch,
                        fps[0], fps[1]);
                out.flush();
            }
        }
        PipelinePeer.Run bestEos = best(runs, "exactly-once");
        PipelinePeer.Run bestAlo = best(runs, "at-least-once");
        out.printf("%-14s %15s %24s %16s%n", "guarantee", "FrameGuard fps", "peer fps (best batch)", "FrameGuard/peer");
        out.printf("%-14s %,15.0f %,17.0f (%4d) %15.2fx%n", "exactly-once", eos.median(), bestEos.fps(), bestEos.batch(),
                eos.median() / bestEos.fps());
        out.printf("%-14s %,15.0f %,17.0f (%4d) %15.2fx%n", "at-least-once", alo.median(), bestAlo.fps(), bestAlo.batch(),
                alo.median() / bestAlo.fps());
        out.flush();
        return new PipelinePeer.Report(about.get("torch"), about.get("confluent_kafka"), about.get("librdkafka"), runs,
                eos.median(), eos.measured(), alo.median(), alo.measured(), bestEos.fps(), bestAlo.fps(),
                eos.median() / bestEos.fps(), alo.median() / bestAlo.fps(), null);
    }

    private static PipelinePeer.Run best(List<PipelinePeer.Run> runs, String guarantee) {
        return runs.stream().filter(r -> r.guarantee().equals(guarantee))
                .max(java.util.Comparator.comparingDouble(PipelinePeer.Run::fps)).orElseThrow();
    }

    /** The versions and the check the peer printed, from its JSON lines. */
    private static Map<String, String> describe(String output) throws java.io.IOException {
        Map<String, String> about = new HashMap<>();
        for (String line : output.split("\n")) {
            if (!line.startsWith("{")) {
                continue;
            }
            var n = io.frameguard.Json.MAPPER.readTree(line);
            if (n.has("versions")) {
                n.get("versions").fields().forEachRemaining(e -> about.put(e.getKey(), e.getValue().asText()));
            } else if (n.has("check")) {
                about.put("images", n.get("check").get("images").asText());
                about.put("max_abs_diff", String.format(java.util.Locale.ROOT, "%.1e", n.get("check").get("max_abs_diff").asDouble()));
            }
        }
        return about;
    }

    private Run detector(FrameGuardConfig c, long frames) throws Exception {
        produce(c, frames, 0);
        try (Detector d = new Detector(c, bundle).start()) {
            return throughput(c, frames);
        }
    }

    private Run baseline(FrameGuardConfig c, long frames) {
        produce(c, frames, 0);
        try (KafkaStreams s = new KafkaStreams(RecordAtATimeTopology.build(c, new BundleBatchScorer(bundle)),
                c.streamsProperties())) {
            s.start();
            Run r = throughput(c, frames);
            s.close(Duration.ofSeconds(30));
            return r;
        }
    }

    private static FrameGuardConfig config(EmbeddedKafka kafka, Path dir, String name, Options o) {
        return config(kafka, settings(kafka, dir, name, o));
    }

    /** Milliseconds rounded to whole ones, separated by spaces. */
    private static String milliseconds(double[] ms) {
        return Arrays.stream(ms).mapToObj(v -> String.format(java.util.Locale.ROOT, "%.0f", v))
                .collect(java.util.stream.Collectors.joining(" "));
    }

    /** The configuration of {@code m}, its topics created on {@code kafka}. */
    static FrameGuardConfig config(EmbeddedKafka kafka, Map<String, String> m) {
        FrameGuardConfig c = FrameGuardConfig.load(null, Map.of(), m);
        kafka.createTopics(Topics.of(c).all(), c.getInt(FrameGuardConfig.TOPIC_PARTITIONS));
        return c;
    }

    private static Map<String, String> settings(EmbeddedKafka kafka, Path dir, String name, Options o) {
        Map<String, String> m = new HashMap<>(o.detectorConfig());
        m.put(FrameGuardConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        m.put(FrameGuardConfig.APPLICATION_ID, "bench-" + name);
        m.put(FrameGuardConfig.TOPIC_FRAMES, name + "-frames");
        m.put(FrameGuardConfig.TOPIC_SCORES, name + "-scores");
        m.put(FrameGuardConfig.TOPIC_ANOMALIES, name + "-anomalies");
        m.put(FrameGuardConfig.TOPIC_DLQ, name + "-dlq");
        m.put(FrameGuardConfig.STATE_DIR, dir.resolve(name).toString());
        m.put(FrameGuardConfig.HTTP_PORT, "-1");
        return m;
    }

    private void produce(FrameGuardConfig c, long n, double rate) {
        Topics t = Topics.of(c);
        new CameraSimulator(c.clientProperties(), t.frames(), t.frameSerde().serializer())
                .run(mix, List.of("line-1", "line-2", "line-3", "line-4"), n, rate, true, Encoding.RAW_U8, x -> { });
    }

    /** Frames/s from the first to the last committed FrameScore, and this JVM's CPU over the same span. */
    private static Run throughput(FrameGuardConfig c, long n) {
        return throughput(c, n, () -> true);
    }

    /** The same, giving up once {@code scoring} says the scorer has stopped and no more scores come. */
    private static Run throughput(FrameGuardConfig c, long n, java.util.function.BooleanSupplier scoring) {
        Topics t = Topics.of(c);
        long first = -1;
        long firstCpu = 0;
        long firstJit = 0;
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = CommittedConsumer.open(c.clientProperties(), t.scores(), true)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (count < n && System.nanoTime() < deadline) {
                int got = consumer.poll(Duration.ofMillis(20)).count();
                if (got == 0 && !scoring.getAsBoolean()) {
                    break;
                }
                if (got > 0 && first < 0) {
                    first = System.nanoTime();
                    firstCpu = JvmUsage.processCpuNanos();
                    firstJit = JvmUsage.jitMillis();
                }
                count += got;
            }
        }
        double seconds = (System.nanoTime() - first) / 1e9;
        double cpu = (JvmUsage.processCpuNanos() - firstCpu) / 1e9;
        double jit = (JvmUsage.jitMillis() - firstJit) / 1e3;
        return new Run(count / seconds, cpu / seconds, cpu * 1e6 / count, jit / seconds);
    }
}
