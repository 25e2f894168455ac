package io.frameguard.cli;

import io.frameguard.Json;
import io.frameguard.evaluation.EvaluationResult;
import io.frameguard.experiment.Experiment;
import io.frameguard.experiment.ExperimentContext;
import io.frameguard.experiment.ExperimentReport;
import io.frameguard.experiment.Experiments;
import io.frameguard.model.ModelFamily;
import io.frameguard.model.ScoreFunction;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Run a named experiment end to end (train + evaluate) and print its table. Experiments:%n"
                + "  digit-1-vs-9         dense AE trained on 1s; test 1s vs 9s%n"
                + "  digit-1-vs-rest      conv, denoising, superres, dense AEs on 1s; other digits anomalous%n"
                + "  holdout-5-fashion    dense AE on all digits but 5; test digits, 5s and Fashion-MNIST%n"
                + "  leave-one-digit-out  VAE on nine digits, latent-knn score; AUROC of the tenth%n"
                + "  one-class            per digit, train on it alone, mse-per-ink score; AUROC on the full test set%n"
                + "  outlier-ranking      shallow AE on all digits; lowest/median/highest error images%n"
                + "  texture              draem on real textures (gravel, brick); synthetic defects; image and pixel AUROC")
final class ExperimentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Parameters(paramLabel = "NAME", description = "Experiment name.")
    String name;

    @Option(names = "--quick", description = "Small variant (subsets, 2 epochs) for tests and smoke runs.")
    boolean quick;

    @Option(names = "--families", split = ",", paramLabel = "LIST",
            description = "For digit-1-vs-rest and one-class: run only these families.")
    List<String> families = List.of();

    @Option(names = "--score", paramLabel = "FUNCTION",
            description = "Score every run this way instead of the experiment's choice: mse, mae, log-mse, "
                    + "mse-per-ink (non-VAE families); vae-nll, latent-knn (vae).")
    String score;

    @Option(names = "--channels", paramLabel = "N",
            description = "For texture: the draem network's width, as train --channels (default: 24).")
    Integer channels;

    @Option(names = "--steps", paramLabel = "N",
            description = "For texture: the draem network's gradient steps, as train --steps (default: 3000).")
    Integer steps;

    @Option(names = "--validate-every", paramLabel = "N", defaultValue = "0",
            description = "For texture: every N steps, the draem network so far on the validation band, as train --validate-every "
                    + "(default: 0, only once trained).")
    int validateEvery;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the results as JSON.")
    Path json;

    @Option(names = "--out", defaultValue = "work/experiments", paramLabel = "DIR",
            description = "Bundles and HTML reports go into DIR/NAME/RUN (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        Experiment experiment = Experiments.byName(name);
        if (channels != null && channels < 1) {
            throw new io.frameguard.FrameGuardException("--channels must be at least 1, got " + channels);
        }
        if (steps != null && steps < 1) {
            throw new io.frameguard.FrameGuardException("--steps must be at least 1, got " + steps);
        }
        if (validateEvery < 0) {
            throw new io.frameguard.FrameGuardException("--validate-every must be 0 or more, got " + validateEvery);
        }
        ExperimentReport report = experiment.run(new ExperimentContext(data.datasets(), outDir, quick,
                families.stream().map(ModelFamily::byName).toList(), score == null ? null : ScoreFunction.byName(score), channels, steps,
                validateEvery, w));
        w.printf("%n%s%s: %d run(s) in %.0f s%n", report.experiment(), quick ? " (quick)" : "", report.runs().size(),
                report.wallSeconds());
        w.printf("%-36s %8s %8s %8s %8s %8s %9s %10s%n", "run", "AUROC", "AUPRC", "F1-max", "normal", "anomaly",
                "train s", "score/s");
        for (EvaluationResult r : report.runs()) {
            w.printf("%-36s %8.4f %8.4f %8.4f %8.4f %8.4f %9.1f %10.0f%n", r.model(), r.auroc(), r.auprc(), r.f1Max(),
                    r.normalAccuracy(), r.anomalyAccuracy(), r.timings().trainSeconds(),
                    r.timings().scoreImagesPerSecond());
        }
        report.summary().forEach((k, v) -> w.printf("%s: %s%n", k, v));
        if (json != null) {
            Json.write(report.contract(), json);
            w.println("wrote " + json);
        }
        w.flush();
        return 0;
    }
}
