package io.frameguard.cli;

import io.frameguard.FrameGuardException;
import io.frameguard.data.Raster;
import io.frameguard.evaluation.HeatMaps;
import io.frameguard.model.ErrorRegion;
import io.frameguard.model.inspection.InspectionBundle;
import io.frameguard.model.inspection.InspectionScorer;
import io.frameguard.stream.AnomalyRegion;

import io.frameguard.data.ImageFiles;
import io.frameguard.data.ImageSet;
import io.frameguard.evaluation.ReconstructionStrip;
import io.frameguard.model.ModelBundle;
import io.frameguard.model.Preprocessing;
import io.frameguard.model.Scorer;
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

@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Score image files (PNG/JPEG, converted to the model's grayscale input): score, threshold and"
                + " verdict per file.")
final class ScoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "BUNDLE", description = "Model bundle file.")
    Path model;

    @Mixin
    ThresholdOptions threshold;

    @Option(names = "--diff", paramLabel = "DIR",
            description = "Save each file's input / reconstruction / |difference| strip as DIR/<name>-diff.png (inspection "
                    + "models: the heat map over the frame as DIR/<name>-heat.png).")
    Path diffDir;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Image files.")
    List<Path> files;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        if (InspectionBundle.isInspectionBundle(model)) {
            return scoreInspection(w);
        }
        ModelBundle bundle = ModelBundle.load(model);
        Preprocessing prep = bundle.metadata().preprocessing();
        int n = prep.pixelsPerImage();
        byte[] pixels = new byte[files.size() * n];
        String[] names = new String[files.size()];
        for (int i = 0; i < files.size(); i++) {
            System.arraycopy(ImageFiles.readGray(files.get(i), prep.width(), prep.height()), 0, pixels, i * n, n);
            names[i] = files.get(i).toString();
        }
        ImageSet images = new ImageSet("files", prep.width(), prep.height(), pixels, names);
        Scorer scorer = new Scorer(bundle);
        double[] scores = scorer.scoreAll(images, 256);
        double t = threshold.strategy().threshold(bundle.metadata().calibration().scores());
        w.printf("%-40s %12s %12s  %s%n", "file", "score", "threshold", "verdict");
        for (int i = 0; i < scores.length; i++) {
            w.printf("%-40s %12.6f %12.6f  %s%n", names[i], scores[i], t, scores[i] > t ? "ANOMALY" : "normal");
            if (diffDir != null) {
                Path png = diffDir.resolve(files.get(i).getFileName() + "-diff.png");
                ImageFiles.writePng(ReconstructionStrip.grid(scorer, images, new int[] {i}, 4), png);
            }
        }
        if (diffDir != null) {
            w.println("wrote difference strips into " + diffDir);
        }
        w.flush();
        return 0;
    }

    /** Frames of any size: score, verdict and the anomalous regions in frame coordinates. */
    private int scoreInspection(PrintWriter w) {
        InspectionBundle bundle = InspectionBundle.load(model);
        var meta = bundle.metadata();
        List<Raster> frames = new java.util.ArrayList<>();
        for (Path f : files) {
            Raster r = Raster.read(f, meta.channels());
            if (r.width() < meta.tile() || r.height() < meta.tile()) {
                throw new FrameGuardException(f + " is " + r.width() + "x" + r.height() + ", smaller than the model's "
                        + meta.tile() + "x" + meta.tile() + " tile");
            }
            frames.add(r);
        }
        List<InspectionScorer.Judgement> judged = bundle.scorer(8).score(frames);
        w.printf("%-40s %9s %12s %12s  %-8s %s%n", "file", "size", "score", "threshold", "verdict", "regions (x,y w×h)");
        for (int i = 0; i < judged.size(); i++) {
            InspectionScorer.Judgement j = judged.get(i);
            // the calibration is of tile-sized crops; a larger frame's maximum is larger
            double t = threshold.strategy().threshold(meta.calibrationFor(j.width(), j.height()));
            StringBuilder regions = new StringBuilder();
            if (j.score() > t) {
                for (var b : AnomalyRegion.regions(j.map(), j.width(), j.height())) {
                    regions.append(String.format("%d,%d %dx%d  ", b.getX(), b.getY(), b.getWidth(), b.getHeight()));
                }
            }
            w.printf("%-40s %9s %12.6f %12.6f  %-8s %s%n", files.get(i), j.width() + "x" + j.height(), j.score(), t,
                    j.score() > t ? "ANOMALY" : "normal", regions.toString().trim());
            if (diffDir != null) {
                ImageFiles.writePng(HeatMaps.overlay(frames.get(i), j.map(), j.width(), j.height(),
                        ErrorRegion.regions(j.map(), j.width(), j.height()), 1),
                        diffDir.resolve(files.get(i).getFileName() + "-heat.png"));
            }
        }
        if (diffDir != null) {
            w.println("wrote heat maps into " + diffDir);
        }
        w.flush();
        return 0;
    }
}
