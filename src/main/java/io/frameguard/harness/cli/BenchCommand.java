package io.frameguard.harness.cli;

import io.frameguard.Json;
import io.frameguard.Machine;
import io.frameguard.cli.DataOptions;
import io.frameguard.harness.bench.InspectionBenchmark;
import io.frameguard.harness.bench.InspectionLine;
import io.frameguard.training.inspection.InspectionTrainer;
import io.frameguard.harness.bench.PipelineBenchmark;
import io.frameguard.harness.bench.ScoringBenchmark;
import io.frameguard.harness.traffic.FrameMix;
import io.frameguard.model.ModelFamily;
import io.frameguard.training.DefaultModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that measure and print.",
        subcommands = {BenchCommand.ScoringBenchCommand.class, BenchCommand.PipelineBenchCommand.class,
            BenchCommand.ProfileBenchCommand.class, BenchCommand.InspectionBenchCommand.class})
final class BenchCommand {

    @Command(name = "scoring", mixinStandardHelpOptions = true, sortOptions = false,
            description = "In-process scoring throughput per model family at batch sizes 1, 32 and 256, with images/s,"
                    + " GFLOP/s and the ratio to the same run's sgemm ceiling (1 and 2 threads).")
    static final class ScoringBenchCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--families", split = ",", paramLabel = "LIST",
                description = "Families to measure (default: all).")
        List<String> families;

        @Option(names = "--batches", split = ",", defaultValue = "1,32,256", paramLabel = "LIST",
                description = "Batch sizes (default: ${DEFAULT-VALUE}).")
        int[] batches;

        @Option(names = "--workers", split = ",", defaultValue = "1,2", paramLabel = "LIST",
                description = "Scorer threads, each with its own copy of the network and OMP_NUM_THREADS native threads"
                        + " (default: ${DEFAULT-VALUE}).")
        int[] workers;

        @Option(names = "--rounds", defaultValue = "5", description = "Timed rounds per figure; the median is reported (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--round-seconds", defaultValue = "1.0", description = "Length of each round (default: ${DEFAULT-VALUE}).")
        double roundSeconds;

        @Option(names = "--profile", description = "Also print each layer's time per forward pass at the largest batch.")
        boolean profile;

        @Option(names = "--peer", description = "Also time the dense network in PyTorch (python3-torch, one thread) on the"
                + " bundle's exported weights, beside FrameGuard's one-worker figures; skipped with a reason when"
                + " python3 cannot import torch.")
        boolean peer;

        @Option(names = "--quick", description = "Short rounds, for smoke tests: figures are not meaningful.")
        boolean quick;

        @Option(names = "--json", paramLabel = "FILE", description = "Write the figures as JSON.")
        Path json;

        @Override
        public Integer call() {
            List<ModelFamily> fams = families == null ? List.of(ModelFamily.values())
                    : families.stream().map(ModelFamily::byName).toList();
            var options = quick ? new ScoringBenchmark.Options(fams, batches, workers, 0.05, 3, 0.05, profile, peer)
                    : new ScoringBenchmark.Options(fams, batches, workers, roundSeconds, rounds, 2.0, profile, peer);
            spec.commandLine().getOut().println("machine: " + Machine.describe());
            var report = new ScoringBenchmark(spec.commandLine().getOut()).run(options);
            if (json != null) {
                Json.write(report, json);
                spec.commandLine().getOut().println("wrote " + json);
            }
            return 0;
        }
    }

    @Command(name = "inspection", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Scoring throughput of the draem network on camera-sized frames: frames/s and megapixels/s"
                    + " per frame size and frames per forward pass (median of rounds, in this process).")
    static final class InspectionBenchCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--sizes", split = ",", defaultValue = "64,256,512", paramLabel = "LIST",
                description = "Square frame sides (default: ${DEFAULT-VALUE}).")
        int[] sizes;

        @Option(names = "--batches", split = ",", defaultValue = "1,8", paramLabel = "LIST",
                description = "Frames per forward pass (default: ${DEFAULT-VALUE}).")
        int[] batches;

        @Option(names = "--widths", split = ",", paramLabel = "LIST", description = "Widths of the network (maps at its"
                + " outer level) to measure (default: the draem default, " + InspectionTrainer.DEFAULT_WIDTH + ").")
        int[] widths;

        @Option(names = "--workers", split = ",", defaultValue = "1", paramLabel = "LIST", description = "Scorer threads,"
                + " each with its own copy of the network and OMP_NUM_THREADS native threads (default: ${DEFAULT-VALUE}).")
        int[] workers;

        @Option(names = "--warm-up", defaultValue = "5", paramLabel = "SECONDS", description = "Seconds of scoring not"
                + " counted before each figure: the JIT and oneDNN's primitives for the shape (default: ${DEFAULT-VALUE}).")
        double warmUp;

        @Option(names = "--target", defaultValue = "200", paramLabel = "FPS", description = "Frames/s the line needs at the"
                + " largest size: the run prints the share of the CPU's peak FLOP/s each width would need (default:"
                + " ${DEFAULT-VALUE}).")
        double target;

        @Option(names = "--rgb", description = "Three-channel frames and network.")
        boolean rgb;

        @Option(names = "--rounds", defaultValue = "5", description = "Timed rounds per figure (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--round-seconds", defaultValue = "2.0", description = "Length of each round (default: ${DEFAULT-VALUE}).")
        double roundSeconds;

        @Option(names = "--line-rate", paramLabel = "FPS", description = "Then the inspection demo's line end to end: its"
                + " " + InspectionScene.FRAME + "x" + InspectionScene.FRAME + " gravel frames offered at FPS frames/s"
                + " through an embedded broker to a detector serving --model, capture->score latency percentiles"
                + " (default: not run).")
        Double lineRate;

        @Option(names = "--line-seconds", defaultValue = "10", paramLabel = "SECONDS", description = "Measured seconds of"
                + " the line, after as many not counted (default: ${DEFAULT-VALUE}).")
        double lineSeconds;

        @Option(names = "--line-set", paramLabel = "KEY=VALUE", description = "A detector setting for the line, e.g."
                + " --line-set num.stream.threads=2 (repeatable; default: the detector's defaults).")
        Map<String, String> lineSettings = new java.util.LinkedHashMap<>();

        @Option(names = "--model", defaultValue = "work/models/demo-draem-gravel.bundle", paramLabel = "BUNDLE",
                description = "The line's bundle; trained as `demo --scene inspection` trains it when missing (default:"
                        + " ${DEFAULT-VALUE}).")
        Path model;

        @picocli.CommandLine.Mixin
        DataOptions data;

        @Option(names = "--json", paramLabel = "FILE", description = "Write the figures as JSON.")
        Path json;

        @Override
        public Integer call() throws Exception {
            var out = spec.commandLine().getOut();
            out.println("machine: " + Machine.describe());
            if (java.util.Arrays.stream(workers).anyMatch(n -> n < 1)) {
                throw new io.frameguard.FrameGuardException("--workers takes counts of at least 1, got "
                        + java.util.Arrays.toString(workers));
            }
            int[] w = widths != null ? widths : new int[] {InspectionTrainer.DEFAULT_WIDTH};
            List<InspectionBenchmark.Figure> figures = new InspectionBenchmark(out).run(sizes, batches, w, workers, rgb ? 3 : 1,
                    rounds, roundSeconds, warmUp, target);
            InspectionLine.Report line = null;
            if (lineRate != null) {
                InspectionScene scene = new InspectionScene(data.dataDir(), model, 0, InspectionScene.DEFECT_RATE, null);
                scene.prepare(out);
                line = InspectionLine.measure(out, scene.modelId(), InspectionScene.FRAME, scene::detector, scene::frames,
                        InspectionScene.CAMERAS, lineRate, lineSeconds, lineSeconds, lineSettings);
            }
            if (json != null) {
                Json.write(java.util.Map.of("scoring", figures, "line", line == null ? java.util.Map.of() : line), json);
                out.println("wrote " + json);
            }
            return 0;
        }
    }

    @Command(name = "pipeline", mixinStandardHelpOptions = true, sortOptions = false,
            description = "End to end on an embedded broker: detector throughput on pre-produced frames, the same for a"
                    + " record-at-a-time baseline topology, and capture->score latency percentiles at fixed offered rates.")
    static final class PipelineBenchCommand implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        DataOptions data;

        @Option(names = "--model", defaultValue = "work/models/demo-dense-1.bundle", paramLabel = "BUNDLE",
                description = "Bundle to serve; trained (dense, normal = 1s) when missing (default: ${DEFAULT-VALUE}).")
        Path model;

        @Option(names = "--frames", defaultValue = "100000", description = "Pre-produced frames for throughput (default: ${DEFAULT-VALUE}).")
        long frames;

        @Option(names = "--rates", split = ",", defaultValue = "1000,5000", description = "Offered rates for latency (default: ${DEFAULT-VALUE}).")
        double[] rates;

        @Option(names = "--seconds", defaultValue = "10", description = "Length of each latency run (default: ${DEFAULT-VALUE}).")
        double seconds;

        @Option(names = "--latency-warm-up", defaultValue = "5", paramLabel = "SECONDS",
                description = "Seconds each latency run offers frames before the frames it measures, so a detector that"
                        + " has just started is not measured (default: ${DEFAULT-VALUE}).")
        double latencyWarmUp;

        @Option(names = "--max-warm-up-rounds", defaultValue = "10", paramLabel = "N",
                description = "Most warm-up rounds before the throughput runs, and again before the latency runs; each"
                        + " stops earlier once the JIT compilers take under a tenth of a core (default: ${DEFAULT-VALUE}).")
        int maxWarmUpRounds;

        @Option(names = "--serve-heap", defaultValue = "512m", paramLabel = "SIZE",
                description = "Heap limit (-Xmx) of the separate serve process whose own heap and RSS are measured"
                        + " at the highest offered rate (default: ${DEFAULT-VALUE}).")
        String serveHeap;

        @Option(names = "--serve-jvm-option", paramLabel = "OPTION",
                description = "A further JVM option of the separate serve process, e.g. --serve-jvm-option=-XX:TieredStopAtLevel=1"
                        + " (repeatable; default: none, as bin/frameguard starts it).")
        List<String> serveJvmOptions = new java.util.ArrayList<>();

        @Option(names = "--peer", description = "Also run serve processes (--serve-heap), one exactly-once and one"
                + " at_least_once, and a Python + PyTorch consumer"
                + " (bench/peer/pipeline_peer.py: confluent_kafka, python3-avro, the same dense network) on the same"
                + " broker and frames, at-least-once and with transactions, each run also on glibc's default malloc"
                + " thresholds, and print the ratios to its best; skipped with a reason when python3 lacks a module.")
        boolean peer;

        @Option(names = "--instances", defaultValue = "0", paramLabel = "N",
                description = "Also run 1 to N serve processes in one consumer group, each --serve-heap: latency at the"
                        + " highest offered rate after --instances-warm-up, then throughput, per count (default: ${DEFAULT-VALUE}, not run).")
        int instances;

        @Option(names = "--instances-warm-up", defaultValue = "30", paramLabel = "SECONDS",
                description = "Seconds the --instances processes are offered frames before their latency is measured;"
                        + " a fresh process's JIT takes about 20 s (default: ${DEFAULT-VALUE}).")
        double instancesWarmUp;

        @Option(names = "--fresh-serve-only", description = "Only, after the latency warm-up of this JVM's broker and clients:"
                + " a detector started in this JVM, then the fresh serve process, each offered the highest rate from its start"
                + " (about 4 minutes).")
        boolean freshServeOnly;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Detector configuration for all runs, e.g. --set batch.size=512.")
        java.util.Map<String, String> set = new java.util.HashMap<>();

        @Option(names = "--json", paramLabel = "FILE", description = "Write the figures as JSON.")
        Path json;

        @Override
        public Integer call() throws Exception {
            var out = spec.commandLine().getOut();
            var bench = onDigits(out, data, model, maxWarmUpRounds);
            var options = new PipelineBenchmark.Options(frames, rates, seconds, latencyWarmUp, maxWarmUpRounds, set, model,
                    serveHeap, serveJvmOptions, peer, instances, instancesWarmUp);
            var report = freshServeOnly ? bench.runFreshServe(options) : bench.run(options);
            return written(report, json, out);
        }
    }

    /** {@code bench pipeline} and {@code bench profile}: the machine line, then the digits detector and its traffic. */
    private static PipelineBenchmark onDigits(java.io.PrintWriter out, DataOptions data, Path model, int maxWarmUpRounds) {
        if (maxWarmUpRounds < 0) {
            throw new io.frameguard.FrameGuardException("--max-warm-up-rounds must be 0 or more, not " + maxWarmUpRounds);
        }
        out.println("machine: " + Machine.describe());
        var bundle = DefaultModel.ensure(model, data.datasets(), out);
        var mix = FrameMix.fromTestSplit(data.datasets(), "mnist", DefaultModel.NORMAL, List.of("digits"), 0.02, 7);
        return new PipelineBenchmark(out, bundle, mix);
    }

    /** Writes {@code report} as JSON when {@code json} is set; the exit code. */
    private static int written(Object report, Path json, java.io.PrintWriter out) {
        if (json != null) {
            Json.write(report, json);
            out.println("wrote " + json);
        }
        return 0;
    }

    @Command(name = "profile", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Where the serving path's CPU goes: the detector on pre-produced frames of an embedded broker,"
                    + " warmed up, then once more under a JDK Flight Recorder recording; the stream thread's samples are"
                    + " charged to stages (decode, batch store, changelog, scoring, thresholds, encoding, outputs,"
                    + " commits, poll) in us of CPU per frame.")
    static final class ProfileBenchCommand implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        DataOptions data;

        @Option(names = "--model", defaultValue = "work/models/demo-dense-1.bundle", paramLabel = "BUNDLE",
                description = "Bundle to serve; trained (dense, normal = 1s) when missing (default: ${DEFAULT-VALUE}).")
        Path model;

        @Option(names = "--frames", defaultValue = "200000", description = "Pre-produced frames per run (default: ${DEFAULT-VALUE}).")
        long frames;

        @Option(names = "--max-warm-up-rounds", defaultValue = "10", paramLabel = "N",
                description = "Most warm-up runs before the profiled one; they stop earlier once the JIT compilers take"
                        + " under a tenth of a core (default: ${DEFAULT-VALUE}).")
        int maxWarmUpRounds;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Detector configuration, e.g. --set batch.size=512.")
        java.util.Map<String, String> set = new java.util.HashMap<>();

        @Option(names = "--json", paramLabel = "FILE", description = "Write the figures as JSON.")
        Path json;

        @Override
        public Integer call() throws Exception {
            var out = spec.commandLine().getOut();
            return written(onDigits(out, data, model, maxWarmUpRounds).profile(frames, maxWarmUpRounds, set), json, out);
        }
    }
}
