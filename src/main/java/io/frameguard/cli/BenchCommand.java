package io.frameguard.cli;

import io.frameguard.Json;
import io.frameguard.bench.ScoringBenchmark;
import io.frameguard.model.ModelFamily;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that measure and print.",
        subcommands = BenchCommand.ScoringBenchCommand.class)
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

        @Option(names = "--rounds", defaultValue = "5", description = "Timed rounds per figure; the median is reported (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--round-seconds", defaultValue = "1.0", description = "Length of each round (default: ${DEFAULT-VALUE}).")
        double roundSeconds;

        @Option(names = "--quick", description = "Short rounds, for smoke tests: figures are not meaningful.")
        boolean quick;

        @Option(names = "--json", paramLabel = "FILE", description = "Write the figures as JSON.")
        Path json;

        @Override
        public Integer call() {
            List<ModelFamily> fams = families == null ? List.of(ModelFamily.values())
                    : families.stream().map(ModelFamily::byName).toList();
            var options = quick ? new ScoringBenchmark.Options(fams, batches, 0.05, 3, 0.05)
                    : new ScoringBenchmark.Options(fams, batches, roundSeconds, rounds, 2.0);
            var report = new ScoringBenchmark(spec.commandLine().getOut()).run(options);
            if (json != null) {
                Json.write(report, json);
                spec.commandLine().getOut().println("wrote " + json);
            }
            return 0;
        }
    }
}
