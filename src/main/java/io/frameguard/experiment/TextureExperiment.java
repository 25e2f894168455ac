package io.frameguard.experiment;

import io.frameguard.data.Raster;
import io.frameguard.data.LabelledRasters;
import io.frameguard.data.synth.DefectFolder;
import io.frameguard.data.synth.TextureDataset;
import io.frameguard.evaluation.EvaluationResult;
import io.frameguard.evaluation.InspectionEvaluation;
import io.frameguard.evaluation.InspectionReport;
import io.frameguard.threshold.ThresholdStrategy;
import io.frameguard.model.inspection.InspectionBundle;
import io.frameguard.training.inspection.InspectionTrainer;
import io.frameguard.training.inspection.InspectionTraining;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inspection imagery: real photographed textures (Debian's scikit-image photographs), a model
 * trained on crops of the top half of each, and small synthetic defects of every kind
 * ({@code data synth}) on crops of the bottom band. Reports image AUROC per defect kind and over
 * all, and pixel AUROC against the defect masks (localisation). The map smoothing that turns a map
 * into an image score, and the threshold, come from the validation band, never the test band.
 */
public final class TextureExperiment implements Experiment {
    static final List<String> SOURCES = List.of("gravel", "brick");

    @Override
    public String name() {
        return "texture";
    }

    @Override
    public String description() {
        return "draem on real textures (gravel, brick), synthetic defects; image AUROC per kind, pixel AUROC";
    }

    @Override
    public ExperimentReport run(ExperimentContext ctx) {
        long t0 = System.nanoTime();
        List<EvaluationResult> runs = new ArrayList<>();
        Map<String, Object> summary = new LinkedHashMap<>();
        List<String> sources = ctx.quick() ? SOURCES.subList(0, 1) : SOURCES;
        for (String source : sources) {
            Outcome o = runOne(ctx, source);
            InspectionEvaluation e = o.evaluation();
            runs.add(e.result().withExperiment(name()));
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("anomaly_map", o.map());
            s.put("image_auroc_mean_over_kinds", e.meanKindAuroc());
            s.put("image_auroc_per_kind", e.perKind());
            s.put("image_auroc_all", e.result().auroc());
            s.put("pixel_auroc", e.pixelAuroc());
            summary.put(source, s);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        PrintWriter out = ctx.out();
        out.printf("%ntexture: %d source(s) in %.0f s%n", sources.size(), wall);
        out.printf("%-8s %-12s %12s %12s  %s%n", "source", "map", "image AUROC", "pixel AUROC", "image AUROC per kind");
        for (int i = 0; i < sources.size(); i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> s = (Map<String, Object>) summary.get(sources.get(i));
            StringBuilder kinds = new StringBuilder();
            ((Map<?, ?>) s.get("image_auroc_per_kind")).forEach((k, v) -> kinds.append(String.format("%s %.3f  ", k, (Double) v)));
            out.printf("%-8s %-12s %12.4f %12.4f  %s%n", sources.get(i), s.get("anomaly_map"), (Double) s.get("image_auroc_mean_over_kinds"),
                    (Double) s.get("pixel_auroc"), kinds.toString().trim());
        }
        out.flush();
        return new ExperimentReport(name(), runs, summary, wall);
    }

    /** One source's evaluation and the anomaly map its model chose on validation. */
    private record Outcome(InspectionEvaluation evaluation, String map) {
    }

    private Outcome runOne(ExperimentContext ctx, String source) {
        PrintWriter out = ctx.out();
        String dataset = "texture-" + source;
        Path data = TextureDataset.ensure(ctx.datasets().dataDir(), dataset, out);
        List<Raster> train = TextureDataset.readTrain(data);
        InspectionTrainer.Options d = ctx.quick() ? InspectionTrainer.Options.quick() : InspectionTrainer.Options.defaults();
        InspectionTrainer.Options o = new InspectionTrainer.Options(d.tile(),
                ctx.inspectionWidth() == null ? d.width() : ctx.inspectionWidth(),
                ctx.inspectionSteps() == null ? d.steps() : ctx.inspectionSteps(), d.batch(), d.learningRate(), d.seed(),
                ctx.inspectionValidateEvery());
        out.printf("%n== texture / %s: train draem on %,d patches of %dx%d drawn from %d normal images (width %d) ==%n",
                source, o.steps() * o.batch(), o.tile(), o.tile(), train.size(), o.width());
        out.flush();
        LabelledRasters validation = TextureDataset.read(data.resolve(TextureDataset.VALIDATION));
        long t0 = System.nanoTime();
        InspectionBundle bundle = InspectionTraining.run(train, 1, o, dataset, validation, out);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        Path dir = ctx.outDir().resolve(name()).resolve(source);
        bundle.save(dir.resolve("model.bundle"));

        LabelledRasters test = TextureDataset.read(data.resolve(TextureDataset.TEST));
        InspectionEvaluation e = InspectionEvaluation.of(bundle, test, List.of(DefectFolder.GOOD), dataset + "/test",
                new ThresholdStrategy.MeanStd(3),
                trainSeconds);
        InspectionReport.write(dir.resolve("report"), "texture / " + source, e, test);
        out.printf("texture / %s: image AUROC mean over kinds %.4f (all %.4f), pixel AUROC %.4f; report %s%n", source,
                e.meanKindAuroc(), e.result().auroc(), e.pixelAuroc(), dir.resolve("report/index.html"));
        out.flush();
        return new Outcome(e, bundle.metadata().mapKind().cliName());
    }
}
