package io.frameguard.harness.cli;

import io.frameguard.Json;
import io.frameguard.cli.DataOptions;
import io.frameguard.cli.FrameGuard;
import io.frameguard.data.ImageSet;
import io.frameguard.data.KnownDataset.Split;
import io.frameguard.harness.chaos.ChaosSuite;
import io.frameguard.harness.chaos.ReliabilityReport;
import io.frameguard.training.DefaultModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "chaos", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fault injection against real processes: Kafka nodes and detectors in their own JVMs, killed with"
                + " SIGKILL. Scenarios: crash, broker-restart, broker-loss, poison, scale-out, startup-faults, security, sources,"
                + " registry, model-rollout.",
                "Each checks with a read_committed consumer that every frame has exactly one score, every bad record is"
                        + " dead-lettered with its reason, and verdicts and thresholds equal an uncrashed run's.",
                "Prints a table, writes it to RELIABILITY.md (--report) and JSON (--json). Exit 1 if any scenario fails."})
final class ChaosCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--scenarios", split = ",", paramLabel = "LIST", description = "Scenarios to run (default: all).")
    List<String> scenarios = ChaosSuite.SCENARIOS;

    @Option(names = "--crash-frames", defaultValue = "100000", description = "Frames of the crash scenario (default: ${DEFAULT-VALUE}).")
    int crashFrames;

    @Option(names = "--frames", defaultValue = "20000", description = "Frames of every other scenario (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--kills", defaultValue = "5", description = "SIGKILLs of the detector in the crash scenario (default: ${DEFAULT-VALUE}).")
    int kills;

    @Option(names = "--poison-every", defaultValue = "50", description = "One bad record after this many frames (default: ${DEFAULT-VALUE}).")
    int poisonEvery;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the workload and of the kill moments (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--model", defaultValue = "work/models/demo-dense-1.bundle", paramLabel = "BUNDLE",
            description = "Bundle the detectors serve; trained (dense, normal = 1s) when missing (default: ${DEFAULT-VALUE}).")
    Path model;

    @Option(names = "--work", defaultValue = "work/chaos", paramLabel = "DIR", description = "Logs, broker data and state (default: ${DEFAULT-VALUE}).")
    Path work;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the results as Markdown (e.g. RELIABILITY.md).")
    Path report;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the results as JSON.")
    Path json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DefaultModel.ensure(model, data.datasets(), out);
        ImageSet test = data.datasets().load("mnist", Split.TEST);
        ImageSet normal = test.filter(DefaultModel.NORMAL::contains);
        ImageSet anomalous = test.filter(l -> !DefaultModel.NORMAL.contains(l));
        var options = new ChaosSuite.Options(scenarios, crashFrames, frames, kills, poisonEvery, seed);
        long t0 = System.nanoTime();
        List<ChaosSuite.Result> results = new ChaosSuite(out, work, model, normal, anomalous).run(options);
        double minutes = (System.nanoTime() - t0) / 6e10;
        String table = ReliabilityReport.table(results);
        out.println();
        out.print(table);
        if (report != null) {
            ReliabilityReport.write(report, results, options, commandLine(), minutes);
            out.println("wrote " + report);
        }
        if (json != null) {
            Json.write(Map.of("scenarios", results), json);
            out.println("wrote " + json);
        }
        return results.stream().allMatch(ChaosSuite.Result::passed) ? 0 : FrameGuard.EXIT_FAILURE;
    }

    private String commandLine() {
        return "bin/frameguard " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    }
}
