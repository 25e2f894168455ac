package io.frameguard.evaluation;

import io.frameguard.threshold.ThresholdStrategy;
import io.frameguard.data.Raster;
import io.frameguard.data.LabelledRasters;
import io.frameguard.model.inspection.InspectionBundle;
import io.frameguard.model.inspection.InspectionScorer;
import io.frameguard.model.inspection.InspectionScorer.Judgement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Evaluates an inspection bundle on labelled frames of any size (e.g. a folder with {@code good/},
 * one folder per defect kind and masks under {@code ground_truth/}): the image-level result at the bundle's
 * calibrated threshold, image AUROC of each defect kind against the good frames, and pixel AUROC of
 * the anomaly maps against the masks (localisation).
 *
 * @param result image-level metrics, thresholded on the bundle's calibration
 * @param scored the image scores with their labels
 * @param perKind AUROC of each non-good label against the good images
 * @param pixelAuroc AUROC of every pixel's map value against the masks; NaN without masks
 * @param judged each frame's score and map, in input order
 */
public record InspectionEvaluation(EvaluationResult result, LabelledScores scored, Map<String, Double> perKind,
                                   double pixelAuroc, List<Judgement> judged) {

    /** The mean of {@link #perKind}. */
    public double meanKindAuroc() {
        return perKind.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /**
     * @param normal the labels of normal frames; every other label is a defect kind
     * @param strategy how the threshold comes from the bundle's calibration scores
     */
    public static InspectionEvaluation of(InspectionBundle bundle, LabelledRasters test, List<String> normal, String dataset,
                                          ThresholdStrategy strategy, double trainSeconds) {
        long t0 = System.nanoTime();
        List<Judgement> judged = bundle.scorer(16).score(test.images());
        double perSecond = test.size() / ((System.nanoTime() - t0) / 1e9);
        double[] scores = judged.stream().mapToDouble(Judgement::score).toArray();
        LabelledScores scored = LabelledScores.of(test.labels().toArray(String[]::new), scores, normal);
        double threshold = strategy.threshold(calibrationAtTypicalSize(bundle, test.images()));
        EvaluationResult result = Evaluator.evaluate(bundle.metadata().modelId(), dataset, normal, scored, strategy.name(),
                threshold, new EvaluationResult.Timings(trainSeconds, perSecond));
        return new InspectionEvaluation(result, scored, kindAurocs(scores, test.labels(), normal), pixelAuroc(judged, test.masks()),
                judged);
    }

    /** {@link #kindAuroc} of every label that is not in {@code normal}, in the order of the labels' names. */
    public static Map<String, Double> kindAurocs(double[] scores, List<String> labels, List<String> normal) {
        Map<String, Double> perKind = new LinkedHashMap<>();
        for (String label : new TreeSet<>(labels)) {
            if (!normal.contains(label)) {
                perKind.put(label, kindAuroc(scores, labels, label, normal));
            }
        }
        return perKind;
    }

    /**
     * The calibration scaled to the test frames' size ({@link InspectionBundle.Metadata#calibrationFor}):
     * the median frame area when sizes are mixed, so one threshold judges them all.
     */
    static double[] calibrationAtTypicalSize(InspectionBundle bundle, List<Raster> frames) {
        long[] areas = frames.stream().mapToLong(r -> (long) r.width() * r.height()).sorted().toArray();
        int tile = bundle.metadata().tile();
        if (areas.length == 0) {
            return bundle.metadata().calibration().scores();
        }
        return bundle.metadata().calibration().forArea((double) areas[areas.length / 2] / ((double) tile * tile));
    }

    /** Image scores at another map smoothing {@code k} (see {@link InspectionScorer#smoothedMax}). */
    public static double[] scoresAt(List<Judgement> judged, int k) {
        return judged.stream().mapToDouble(j -> InspectionScorer.smoothedMax(j.map(), j.width(), j.height(), k)).toArray();
    }

    /** AUROC of one label against the normal images. */
    public static double kindAuroc(double[] scores, List<String> labels, String kind, List<String> normal) {
        List<Integer> picked = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            if (labels.get(i).equals(kind) || normal.contains(labels.get(i))) {
                picked.add(i);
            }
        }
        double[] s = new double[picked.size()];
        boolean[] a = new boolean[picked.size()];
        for (int j = 0; j < s.length; j++) {
            s[j] = scores[picked.get(j)];
            a[j] = labels.get(picked.get(j)).equals(kind);
        }
        return Metrics.auroc(s, a);
    }

    /** AUROC of every pixel's map value against the masks; a frame without a mask is all normal. NaN when no frame has a mask. */
    public static double pixelAuroc(List<Judgement> judged, List<Raster> masks) {
        if (masks.stream().allMatch(m -> m == null)) {
            return Double.NaN;
        }
        int total = judged.stream().mapToInt(j -> j.map().length).sum();
        double[] s = new double[total];
        boolean[] a = new boolean[total];
        int p = 0;
        for (int i = 0; i < judged.size(); i++) {
            float[] map = judged.get(i).map();
            Raster mask = masks.get(i);
            for (int q = 0; q < map.length; q++, p++) {
                s[p] = map[q];
                a[p] = mask != null && mask.pixels()[q] > 0.5f;
            }
        }
        return Metrics.auroc(s, a);
    }
}
