package io.frameguard.harness.cli;

import io.frameguard.avro.AnomalyEvent;
import io.frameguard.avro.FrameScore;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.data.LabelledRasters;
import io.frameguard.data.Raster;
import io.frameguard.data.SkimagePhotos;
import io.frameguard.data.synth.DefectFolder;
import io.frameguard.data.synth.DefectGenerator;
import io.frameguard.evaluation.EvaluationResult;
import io.frameguard.evaluation.HtmlReport;
import io.frameguard.harness.traffic.SurfaceLine;
import io.frameguard.model.inspection.InspectionBundle;
import io.frameguard.runtime.Detector;
import io.frameguard.topics.ScoreTopicReader;
import io.frameguard.training.inspection.InspectionTrainer;
import io.frameguard.training.inspection.InspectionTraining;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An inspection line: cameras filming a gravel surface (scikit-image's {@code gravel.png}, a real
 * 512×512 photograph). The model (draem) learns the top half, rows 0–255; the cameras send
 * {@value #FRAME}×{@value #FRAME} frames cut at random from the bottom half, rows 256–511, a share of
 * them with one synthetic defect. Validation (map smoothing, calibration) uses 64×64 crops of rows
 * 256–357, the band {@code TextureDataset} validates on: normal and synthetic images only, never the
 * frames the cameras send.
 */
final class InspectionScene implements DemoScene {
    static final int FRAME = 256;
    static final String PHOTO = "gravel";
    /** The cameras of the line, unless told otherwise. */
    static final List<String> CAMERAS = List.of("cam-1", "cam-2", "cam-3");
    /** Share of frames with a defect, unless told otherwise. */
    static final double DEFECT_RATE = 0.07;
    private static final int TRAIN_ROWS = 256;
    private static final int VALIDATION_ROWS = 102;
    private static final int VALIDATION_PER_KIND = 10;
    private static final long CAMERA_SEED = 11;
    /**
     * Training steps when the demo trains its model: {@link InspectionTrainer.Options#defaults()}'s 3,000 took
     * 396 s on a 2-core machine (2026-12-02), too long a wait for a first look; 2,000 take about 4 minutes.
     */
    static final int STEPS = 2000;

    private final Path dataDir;
    private final Path model;
    private final long frames;
    private final double defectRate;
    private final Integer steps;
    private Raster photo;
    private List<Raster> foreign;
    private InspectionBundle bundle;

    /** @param steps training steps when the model is trained; null for {@link #STEPS} */
    InspectionScene(Path dataDir, Path model, long frames, double defectRate, Integer steps) {
        this.dataDir = dataDir;
        this.model = model;
        this.frames = frames;
        this.defectRate = defectRate;
        this.steps = steps;
    }

    @Override
    public void prepare(PrintWriter out) {
        DemoScene.step(out, "1/5 data");
        SkimagePhotos.fetch(dataDir, out);
        photo = SkimagePhotos.read(dataDir, PHOTO);
        foreign = SkimagePhotos.names().stream().filter(n -> !n.equals(PHOTO)).map(n -> SkimagePhotos.read(dataDir, n)).toList();
        DemoScene.step(out, "2/5 model " + model);
        bundle = Files.exists(model) ? loaded(out) : trained(out);
    }

    private InspectionBundle loaded(PrintWriter out) {
        InspectionBundle b = InspectionBundle.load(model);
        out.printf("using %s (%s, trained on %s, %d steps)%n", model, b.metadata().modelId(), b.metadata().dataset(),
                b.metadata().steps());
        return b;
    }

    private InspectionBundle trained(PrintWriter out) {
        InspectionTrainer.Options d = InspectionTrainer.Options.defaults();
        InspectionTrainer.Options o = new InspectionTrainer.Options(d.tile(), d.width(), steps != null ? steps : STEPS,
                d.batch(), d.learningRate(), d.seed());
        Raster top = photo.crop(0, 0, photo.width(), TRAIN_ROWS);
        List<Raster> heldOut = List.of(photo.crop(0, TRAIN_ROWS, photo.width(), VALIDATION_ROWS));
        LabelledRasters validation = InspectionTraining.syntheticValidation(heldOut, o.tile(), VALIDATION_PER_KIND, o.seed() + 1);
        out.printf("training draem into %s: %,d steps of %d crops of %dx%d from %s.png rows 0-%d; validation: %d crops of"
                        + " rows %d-%d, half with synthetic defects%n", model, o.steps(), o.batch(), o.tile(), o.tile(), PHOTO,
                TRAIN_ROWS - 1, validation.size(), TRAIN_ROWS, TRAIN_ROWS + VALIDATION_ROWS - 1);
        out.flush();
        InspectionBundle b = InspectionTraining.run(List.of(top), photo.channels(), o,
                "skimage/" + PHOTO + " rows 0-" + (TRAIN_ROWS - 1), validation, heldOut, out);
        b.save(model);
        out.printf("saved %s (%.0f s of training)%n", model, b.metadata().trainSeconds());
        return b;
    }

    /** The model's id, once {@link #prepare} has loaded or trained it. */
    String modelId() {
        return bundle.metadata().modelId();
    }

    @Override
    public Detector detector(FrameGuardConfig config) {
        return new Detector(config, bundle);
    }

    @Override
    public SurfaceLine frames() {
        return new SurfaceLine(photo.crop(0, TRAIN_ROWS, photo.width(), photo.height() - TRAIN_ROWS), FRAME, defectRate,
                new DefectGenerator(foreign), CAMERA_SEED);
    }

    @Override
    public List<String> normal() {
        return List.of(DefectFolder.GOOD);
    }

    @Override
    public String traffic() {
        return FRAME + "x" + FRAME + " frames of " + PHOTO + ".png rows " + TRAIN_ROWS + "-" + (photo.height() - 1) + ", "
                + Math.round(defectRate * 100) + "% with one synthetic defect";
    }

    @Override
    public String dataset() {
        return "skimage/" + PHOTO + " rows " + TRAIN_ROWS + "-" + (photo.height() - 1) + " + synthetic defects (live)";
    }

    @Override
    public int alertsShown() {
        return 12;
    }

    @Override
    public Path report(Path dir, EvaluationResult result, List<FrameScore> scores, List<AnomalyEvent> events) {
        List<HtmlReport.Figure> figures = new LiveFrameSheets(scores, events, frames(), frames, bundle).figures();
        return HtmlReport.write(dir, "FrameGuard demo: inspection line, live detector", result,
                ScoreTopicReader.labelled(scores, normal()), null, null, figures);
    }
}
