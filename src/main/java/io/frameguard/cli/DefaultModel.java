package io.frameguard.cli;

import io.frameguard.data.ImageSet;
import io.frameguard.data.KnownDataset.Split;
import io.frameguard.model.ModelBundle;
import io.frameguard.model.ModelFamily;
import io.frameguard.model.ModelSpec;
import io.frameguard.training.Trainer;
import io.frameguard.training.TrainingOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The model demo and benchmarks use: dense, normal = MNIST 1s, trained on first use. */
final class DefaultModel {
    static final List<String> NORMAL = List.of("1");

    private DefaultModel() {
    }

    static ModelBundle ensure(Path file, DataOptions data, PrintWriter out) {
        if (Files.exists(file)) {
            out.println("using " + file);
            return ModelBundle.load(file);
        }
        out.println("training the default model (dense, normal = 1s) into " + file);
        out.flush();
        ImageSet ones = data.datasets().load("mnist", Split.TRAIN).filter(NORMAL::contains);
        ModelBundle b = new Trainer(out).train(ModelSpec.defaults(ModelFamily.DENSE),
                new TrainingOptions(40, 128, 0.1, 4, false), ones, "mnist", NORMAL);
        b.save(file);
        return b;
    }
}
