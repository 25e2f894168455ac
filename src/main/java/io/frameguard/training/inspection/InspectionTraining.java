package io.frameguard.training.inspection;

import io.frameguard.data.Raster;
import io.frameguard.data.synth.Defect;
import io.frameguard.data.synth.DefectFolder;
import io.frameguard.data.synth.DefectGenerator;
import io.frameguard.data.synth.DefectKind;
import io.frameguard.data.LabelledRasters;
import io.frameguard.evaluation.InspectionEvaluation;
import io.frameguard.evaluation.Metrics;
import io.frameguard.model.Calibration;
import io.frameguard.model.inspection.AnomalyMapKind;
import io.frameguard.model.inspection.InspectionBundle;
import io.frameguard.model.inspection.InspectionScorer;
import io.frameguard.model.inspection.InspectionScorer.Judgement;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * From normal images to a calibrated inspection bundle: train ({@link InspectionTrainer}), choose
 * the anomaly map ({@link AnomalyMapKind}) and the smoothing that turns it into an image score on a
 * validation set of good images and synthetic defects, and calibrate the threshold on held-out
 * normal crops (or the validation set's good images). Never on a test set.
 */
public final class InspectionTraining {
    /** Map smoothings tried on validation (sides of the mean filter). */
    public static final int[] SMOOTHING = {1, 3, 5, 9, 15};

    private InspectionTraining() {
    }

    /** Tile-sized crops of the held-out images the threshold is calibrated on, when there are held-out images. */
    public static final int CALIBRATION_CROPS = 1000;

    /** {@link #run(List, int, InspectionTrainer.Options, String, LabelledRasters, List, PrintWriter)} calibrated on the validation's good images. */
    public static InspectionBundle run(List<Raster> normals, int channels, InspectionTrainer.Options o, String dataset,
                                       LabelledRasters validation, PrintWriter out) {
        return run(normals, channels, o, dataset, validation, List.of(), out);
    }

    /**
     * Trains, chooses the anomaly map and its smoothing on {@code validation} and calibrates the threshold on
     * {@link #CALIBRATION_CROPS} random tiles of {@code heldOut} (normal images never trained on), each
     * scored in context ({@link #tilesInContext}), or on the validation's good images when {@code heldOut}
     * is empty. Many tiles matter: a frame 16 tiles large is judged by the calibration's top 1/16
     * ({@link Calibration#forArea}), and at the default 0.5 % budget by its largest score alone (about
     * 3,200 tiles would be needed to place that quantile between scores).
     */
    public static InspectionBundle run(List<Raster> normals, int channels, InspectionTrainer.Options o, String dataset,
                                       LabelledRasters validation, List<Raster> heldOut, PrintWriter out) {
        InspectionTrainer.Result trained = InspectionTrainer.train(normals, channels, o, out, (step, net) -> {
            // only scored, never saved: its training time is not needed
            InspectionBundle sofar = InspectionTrainer.bundle(new InspectionTrainer.Result(net, step * o.batch(), 0, net.score()),
                    o, channels, dataset, normals.size());
            out.println(checkpointLine(step, sofar, validation));
            out.flush();
        });
        InspectionBundle trainedBundle = InspectionTrainer.bundle(trained, o, channels, dataset, normals.size());
        // the segmentation map is the family's own; another replaces it only when it wins on
        // validation by more than twice the segmentation AUROC's standard error, not by noise
        AnomalyMapKind kind = null;
        int k = 0;
        double best = -1;
        double bar = -1;
        List<Judgement> judged = null;
        for (AnomalyMapKind m : AnomalyMapKind.values()) {
            List<Judgement> j = trainedBundle.with(trainedBundle.metadata().withScore(m, 1, trainedBundle.metadata().calibration()))
                    .scorer(16).score(validation.images());
            Choice c = chooseSmoothing(m, j, validation.labels(), out);
            if (kind == null || c.auroc() > bar) {
                best = c.auroc();
                kind = m;
                k = c.smoothing();
                judged = j;
                bar = c.auroc() + 2 * aurocStandardError(c.auroc(), validation.labels());
            }
        }
        // localization is part of what the line needs, and the map choice does not look at it: say what it is
        double pixel = InspectionEvaluation.pixelAuroc(judged, validation.masks());
        out.printf("anomaly map: %s, smoothed %dx%d (validation image AUROC %.4f; another map is chosen above %.4f)%s%n",
                kind.cliName(), k, k, best, bar, Double.isNaN(pixel) ? "" : String.format("; validation pixel AUROC %.4f", pixel));
        out.printf("validation image AUROC by defect kind (%s map, %dx%d):%s%n", kind.cliName(), k, k,
                byKind(InspectionEvaluation.scoresAt(judged, k), validation.labels()));
        InspectionBundle bundle = trainedBundle.with(trainedBundle.metadata().withScore(kind, k, trainedBundle.metadata().calibration()));
        double[] scores;
        String what;
        if (heldOut.isEmpty()) {
            List<Judgement> normal = new ArrayList<>();
            for (int i = 0; i < judged.size(); i++) {
                if (validation.labels().get(i).equals(DefectFolder.GOOD)) {
                    normal.add(judged.get(i));
                }
            }
            scores = InspectionEvaluation.scoresAt(normal, k);
            what = "crops";
        } else {
            scores = tilesInContext(bundle, heldOut, o.tile(), channels, k, new Random(o.seed() + 2));
            what = "tiles in context";
        }
        Calibration calibration = Calibration.of(scores);
        out.printf("calibration on %d held-out normal %dx%d %s: mean %.4f, std %.4f, max %.4f%n", calibration.count(),
                o.tile(), o.tile(), what, calibration.mean(), calibration.std(), calibration.max());
        out.flush();
        return bundle.with(bundle.metadata().withScore(kind, k, calibration));
    }

    /**
     * How the network after {@code step} steps does on validation: the segmentation map, unsmoothed,
     * as image AUROC over all defects and per defect kind, and pixel AUROC. It shows whether more
     * steps would help ({@code train --validate-every}); nothing is chosen from it.
     */
    static String checkpointLine(int step, InspectionBundle sofar, LabelledRasters validation) {
        List<Judgement> judged = sofar.with(sofar.metadata().withScore(AnomalyMapKind.SEGMENTATION, 1,
                sofar.metadata().calibration())).scorer(16).score(validation.images());
        double[] scores = InspectionEvaluation.scoresAt(judged, 1);
        StringBuilder line = new StringBuilder(String.format("step %,d: validation image AUROC of the segmentation map (1x1) %.4f;%s",
                step, Metrics.auroc(scores, defects(validation.labels())), byKind(scores, validation.labels())));
        double pixel = InspectionEvaluation.pixelAuroc(judged, validation.masks());
        if (!Double.isNaN(pixel)) {
            line.append(String.format("; pixel AUROC %.4f", pixel));
        }
        return line.toString();
    }

    /**
     * Image AUROC of each defect kind against the good images, in the order of the kinds' names, as
     * {@code " scratch 0.981 spot 0.733 ..."}: which defects a model finds on this surface and which it
     * mostly lets pass, before it goes on a line.
     */
    static String byKind(double[] scores, List<String> labels) {
        StringBuilder line = new StringBuilder();
        InspectionEvaluation.kindAurocs(scores, labels, List.of(DefectFolder.GOOD))
                .forEach((kind, auroc) -> line.append(String.format(" %s %.3f", kind, auroc)));
        return line.toString();
    }

    /**
     * The standard error of an AUROC of {@code a} over {@code labels}' good images against the rest
     * (Hanley and McNeil 1982).
     */
    static double aurocStandardError(double a, List<String> labels) {
        long normal = labels.stream().filter(DefectFolder.GOOD::equals).count();
        long defects = labels.size() - normal;
        double q1 = a / (2 - a);
        double q2 = 2 * a * a / (1 + a);
        return Math.sqrt((a * (1 - a) + (defects - 1) * (q1 - a * a) + (normal - 1) * (q2 - a * a)) / ((double) normal * defects));
    }

    /** A map smoothing and the validation image AUROC it gave. */
    record Choice(int smoothing, double auroc) {
    }

    /**
     * The smoothing of map {@code m} chosen on validation (good against every defect): the least one
     * whose AUROC is within one standard error of the best ({@link #leastWithin}).
     */
    static Choice chooseSmoothing(AnomalyMapKind m, List<Judgement> judged, List<String> labels, PrintWriter out) {
        boolean[] defect = defects(labels);
        double[] aurocs = new double[SMOOTHING.length];
        int best = 0;
        StringBuilder line = new StringBuilder("validation image AUROC of the " + m.cliName() + " map by smoothing:");
        for (int i = 0; i < SMOOTHING.length; i++) {
            aurocs[i] = Metrics.auroc(InspectionEvaluation.scoresAt(judged, SMOOTHING[i]), defect);
            line.append(String.format(" %dx%d %.4f", SMOOTHING[i], SMOOTHING[i], aurocs[i]));
            if (aurocs[i] > aurocs[best] + 1e-9) {
                best = i;
            }
        }
        double se = aurocStandardError(aurocs[best], labels);
        int chosen = leastWithin(aurocs, se);
        out.printf("%s; best %dx%d, chosen %dx%d (the least within one standard error, %.4f)%n", line, SMOOTHING[best],
                SMOOTHING[best], SMOOTHING[chosen], SMOOTHING[chosen], se);
        return new Choice(SMOOTHING[chosen], aurocs[chosen]);
    }

    /** Per validation image: true for a defect, false for a good image. */
    private static boolean[] defects(List<String> labels) {
        boolean[] defect = new boolean[labels.size()];
        for (int i = 0; i < defect.length; i++) {
            defect[i] = !labels.get(i).equals(DefectFolder.GOOD);
        }
        return defect;
    }

    /**
     * The first index whose AUROC is within {@code se} of the largest: the least smoothing that
     * validation cannot tell from the best. More smoothing than that follows validation noise, and
     * moves the scores of whole frames, many crops large, away from the crops' calibration: false
     * alarms on clean frames.
     */
    static int leastWithin(double[] aurocs, double se) {
        double best = Arrays.stream(aurocs).max().orElseThrow();
        for (int i = 0; i < aurocs.length; i++) {
            if (aurocs[i] >= best - se) {
                return i;
            }
        }
        throw new IllegalStateException("no AUROC within " + se + " of the best " + best);
    }

    /**
     * Trains on a folder's normal images alone: {@code validationFraction} of them (at least one)
     * are held out, and the validation set is their crops with and without synthetic defects.
     */
    public static InspectionBundle fromNormals(List<Raster> normals, int channels, InspectionTrainer.Options o,
                                               double validationFraction, String dataset, PrintWriter out) {
        if (normals.size() < 2) {
            throw new io.frameguard.FrameGuardException("draem needs at least 2 normal images (one is held out for "
                    + "validation), got " + normals.size());
        }
        List<Raster> shuffled = new ArrayList<>(normals);
        java.util.Collections.shuffle(shuffled, new Random(o.seed()));
        int held = Math.max(1, (int) Math.round(normals.size() * validationFraction));
        List<Raster> train = shuffled.subList(held, shuffled.size());
        LabelledRasters validation = syntheticValidation(shuffled.subList(0, held), o.tile(), 10, o.seed() + 1);
        out.printf("training draem on %,d patches of %dx%d drawn from %d normal images (%d held out: %d validation crops,"
                + " %d with synthetic defects)%n", o.steps() * o.batch(), o.tile(), o.tile(), train.size(), held,
                validation.size(), validation.size() / 2);
        out.flush();
        return run(train, channels, o, dataset, validation, shuffled.subList(0, held), out);
    }

    /**
     * A validation set from held-out normal images: {@code perKind} random crops per defect kind
     * with that defect, and as many clean crops as all defects together.
     */
    public static LabelledRasters syntheticValidation(List<Raster> heldOut, int tile, int perKind, long seed) {
        Random random = new Random(seed);
        DefectGenerator generator = new DefectGenerator(List.of());
        List<Raster> images = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<Raster> masks = new ArrayList<>();
        int goodCount = perKind * DefectKind.values().length;
        for (int i = 0; i < goodCount; i++) {
            images.add(crop(heldOut, tile, random));
            labels.add(DefectFolder.GOOD);
            masks.add(null);
        }
        for (DefectKind kind : DefectKind.values()) {
            for (int i = 0; i < perKind; i++) {
                Defect d = generator.apply(crop(heldOut, tile, random), kind, random);
                images.add(d.image());
                labels.add(kind.cliName());
                masks.add(d.mask());
            }
        }
        return new LabelledRasters(images, labels, masks);
    }

    /**
     * The scores of {@link #CALIBRATION_CROPS} random tile-sized regions of {@code heldOut}, each as part
     * of a frame: the tile is scored inside a crop twice its side (as far as the image goes), half a
     * tile beyond it on every side away from the image's edges, and its score is the smoothed map's
     * largest value within the tile.
     *
     * <p>The threshold judges tiles of frames ({@link Calibration#forArea}), and a tile scored alone sees
     * padding at its edges where a tile of a frame sees the surface around it. A network that looks far
     * past a tile's edge scores frames above the largest of their tiles scored alone, and a calibration
     * of lone tiles then sets the threshold too low: false alarms on clean frames.
     */
    static double[] tilesInContext(InspectionBundle bundle, List<Raster> heldOut, int tile, int channels, int k, Random random) {
        int margin = tile / 2;
        // scored a batch at a time, keeping only the scores: 1,000 crops and maps of twice a large tile would fill the heap
        int batch = 16;
        InspectionScorer scorer = bundle.scorer(batch);
        double[] scores = new double[CALIBRATION_CROPS];
        List<Raster> crops = new ArrayList<>(batch);
        int[][] at = new int[batch][];
        for (int i = 0; i < CALIBRATION_CROPS; i++) {
            Raster src = heldOut.get(random.nextInt(heldOut.size()));
            int x = random.nextInt(src.width() - tile + 1);
            int y = random.nextInt(src.height() - tile + 1);
            // one crop size per image, the tile off centre near the image's edges: batches of one shape
            int w = Math.min(src.width(), tile + 2 * margin);
            int h = Math.min(src.height(), tile + 2 * margin);
            int x0 = Math.max(0, Math.min(x - margin, src.width() - w));
            int y0 = Math.max(0, Math.min(y - margin, src.height() - h));
            at[crops.size()] = new int[] {x - x0, y - y0};
            crops.add(src.crop(x0, y0, w, h).withChannels(channels));
            if (crops.size() == batch || i == CALIBRATION_CROPS - 1) {
                List<Judgement> judged = scorer.score(crops);
                int first = i + 1 - crops.size();
                for (int j = 0; j < judged.size(); j++) {
                    Judgement m = judged.get(j);
                    scores[first + j] = InspectionScorer.smoothedMax(m.map(), m.width(), m.height(), k, at[j][0], at[j][1], tile, tile);
                }
                crops.clear();
            }
        }
        return scores;
    }

    private static Raster crop(List<Raster> images, int tile, Random random) {
        Raster src = images.get(random.nextInt(images.size()));
        return src.crop(random.nextInt(src.width() - tile + 1), random.nextInt(src.height() - tile + 1), tile, tile);
    }
}
