package io.frameguard.cli;

import io.frameguard.data.Raster;
import io.frameguard.data.RasterFolder;
import io.frameguard.data.LabelledRasters;
import io.frameguard.model.inspection.InspectionBundle;
import io.frameguard.training.inspection.InspectionTrainer;
import io.frameguard.training.inspection.InspectionTraining;

import io.frameguard.data.ImageSet;
import io.frameguard.data.KnownDataset.Split;
import io.frameguard.model.ModelBundle;
import io.frameguard.model.ModelFamily;
import io.frameguard.model.ModelSpec;
import io.frameguard.model.ScoreFunction;
import io.frameguard.training.Trainer;
import io.frameguard.training.TrainingOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train an autoencoder on the normal images of a dataset and write a model bundle.")
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--model", required = true, paramLabel = "FAMILY",
            description = "dense, shallow, conv, denoising, superres, vae (digit-sized images), or draem (inspection "
                    + "frames of any size: reconstruction + segmentation trained on random crops with synthetic anomalies).")
    String family;

    @Option(names = "--dataset", defaultValue = "mnist", paramLabel = "NAME|DIR",
            description = "mnist, fashion-mnist or an image folder (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Mixin
    LabelOptions labels;

    @Option(names = "--score", paramLabel = "FUNCTION",
            description = "How reconstructions become scores: mse (dense, shallow), mae (conv, denoising, superres), "
                    + "log-mse (ln of mse: suits a mean-std threshold; non-VAE), mse-per-ink (squared error per unit "
                    + "of ink; non-VAE), vae-nll (vae), latent-knn (vae: distance to the nearest training codes). "
                    + "Default: the family's, in parentheses.")
    String score;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the bundle.")
    Path out;

    @Option(names = "--epochs", paramLabel = "N", description = "Maximum epochs (default: 40; conv, denoising 60; superres 20).")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N", description = "Minibatch size (default: 128, shallow 64).")
    Integer batchSize;

    @Option(names = "--workers", paramLabel = "N",
            description = "Threads that share each minibatch's gradient, dense and shallow only; the step is the same "
                    + "as on one thread (default: dense and shallow one per core, at least 64 rows each; else 1).")
    Integer workers;

    @Option(names = "--learning-rate", paramLabel = "LR", description = "Adam learning rate (default: family's).")
    Double learningRate;

    @Option(names = "--latent", paramLabel = "Z", description = "Bottleneck size of dense and vae (default: 32, vae 16).")
    Integer latent;

    @Option(names = "--dropout", paramLabel = "P",
            description = "Share of inputs each hidden layer of dense and shallow drops while training (default: 0).")
    Double dropout;

    @Option(names = "--channels", split = ",", paramLabel = "OUTER,INNER",
            description = "Feature maps of the conv families (default: 32,16).")
    int[] channels;

    @Option(names = "--steps", paramLabel = "N", description = "draem: gradient steps (default: 3000).")
    Integer steps;

    @Option(names = "--validate-every", paramLabel = "N", defaultValue = "0",
            description = "draem: every N steps, print the validation image AUROC (over all defects and per kind) and "
                    + "pixel AUROC of the network so far, to see whether more steps help (default: 0, only once trained).")
    int validateEvery;

    @Option(names = "--tile", paramLabel = "PIXELS",
            description = "draem: side of the square training crops; frames must be at least this large (default: 64).")
    Integer tile;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--validation-fraction", defaultValue = "0.1",
            description = "Share of normal images held out for early stopping and calibration (default: ${DEFAULT-VALUE}).")
    double validationFraction;

    @Option(names = "--patience", defaultValue = "4",
            description = "Epochs without improvement before stopping (default: ${DEFAULT-VALUE}).")
    int patience;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        if (family.equals("draem")) {
            return trainInspection(w);
        }
        ModelFamily f = ModelFamily.byName(family);
        ModelSpec ms = ModelSpec.defaults(f).withSeed(seed);
        ScoreFunction sf = score == null ? f.defaultScore() : ScoreFunction.byName(score);
        if (latent != null) {
            ms = ms.withLatentSize(latent);
        }
        if (learningRate != null) {
            ms = ms.withLearningRate(learningRate);
        }
        if (dropout != null) {
            ms = ms.withDropout(dropout);
        }
        if (channels != null) {
            if (channels.length != 2) {
                throw new io.frameguard.FrameGuardException("--channels takes two numbers, OUTER,INNER");
            }
            ms = ms.withChannels(channels[0], channels[1]);
        }
        ImageSet all = data.datasets().load(dataset, Split.TRAIN);
        List<String> normal = labels.normalLabels(all);
        ImageSet normalImages = all.filter(normal::contains);
        int batch = batchSize != null ? batchSize : TrainingOptions.defaultBatchSize(f);
        int threads = workers != null ? workers : TrainingOptions.defaultWorkers(f, batch);
        TrainingOptions options = new TrainingOptions(epochs != null ? epochs : TrainingOptions.defaultEpochs(f), batch,
                validationFraction, patience, true, threads);
        w.printf("training %s on %,d normal images (labels %s) of %s, batch size %d, %d worker%s%n", f,
                normalImages.size(), normal, dataset, options.batchSize(), options.workers(),
                options.workers() == 1 ? "" : "s");
        w.flush();
        ModelBundle bundle = new Trainer(w).train(ms, sf, options, normalImages, dataset, normal);
        bundle.save(out);
        w.printf("wrote %s (model id %s)%n", out, bundle.modelId());
        return 0;
    }

    private int trainInspection(PrintWriter w) {
        InspectionTrainer.Options d = InspectionTrainer.Options.defaults();
        InspectionTrainer.Options o = new InspectionTrainer.Options(tile != null ? tile : d.tile(),
                channels != null ? channels[0] : d.width(), steps != null ? steps : d.steps(),
                batchSize != null ? batchSize : d.batch(), learningRate != null ? learningRate : d.learningRate(), seed);
        if (validateEvery < 0) {
            throw new io.frameguard.FrameGuardException("--validate-every must be 0 or more, got " + validateEvery);
        }
        o = o.withValidateEvery(validateEvery);
        java.nio.file.Path dir = RasterFolder.split(dataset, "train");
        LabelledRasters all = RasterFolder.read(dir);
        List<String> normal = labels.normalLabels(new java.util.TreeSet<>(all.labels()), dir.toString());
        List<Raster> normals = all.filter(normal::contains).images();
        int c = normals.stream().anyMatch(r -> r.channels() == 3) ? 3 : 1;
        InspectionBundle bundle = InspectionTraining.fromNormals(normals, c, o, validationFraction, dataset, w);
        bundle.save(out);
        w.printf("wrote %s (model id %s, %s, tile %dx%d, %s map smoothed %dx%d)%n", out, bundle.metadata().modelId(),
                c == 3 ? "RGB" : "gray", o.tile(), o.tile(), bundle.metadata().mapKind().cliName(), bundle.metadata().smoothing(),
                bundle.metadata().smoothing());
        return 0;
    }
}
