package io.frameguard.training;

import io.frameguard.data.Datasets;
import io.frameguard.data.ImageSet;
import io.frameguard.data.KnownDataset.Split;
import io.frameguard.model.ModelBundle;
import io.frameguard.model.ModelFamily;
import io.frameguard.model.ModelSpec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The model demo, benchmarks and chaos use: dense, normal = MNIST 1s, trained on first use. */
public final class DefaultModel {
    /** The labels of normal frames for the default model. */
    public static final List<String> NORMAL = List.of("1");

    private DefaultModel() {
    }

    /** Loads {@code file}, or trains the default model on MNIST from {@code datasets} and saves it there. */
    public static ModelBundle ensure(Path file, Datasets datasets, PrintWriter out) {
        if (Files.exists(file)) {
            out.println("using " + file);
            return ModelBundle.load(file);
        }
        out.println("training the default model (dense, normal = 1s) into " + file);
        out.flush();
        ImageSet ones = datasets.load("mnist", Split.TRAIN).filter(NORMAL::contains);
        ModelBundle b = new Trainer(out).train(ModelSpec.defaults(ModelFamily.DENSE),
                new TrainingOptions(40, 128, 0.1, 4, false), ones, "mnist", NORMAL);
        b.save(file);
        return b;
    }
}
