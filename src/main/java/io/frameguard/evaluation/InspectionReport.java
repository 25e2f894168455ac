package io.frameguard.evaluation;

import io.frameguard.data.LabelledRasters;
import io.frameguard.data.Raster;
import io.frameguard.model.ErrorRegion;
import io.frameguard.model.inspection.InspectionScorer.Judgement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of an inspection evaluation: the usual charts, and for every label its highest- and
 * lowest-scoring frames, each as the heat map over the frame with its regions boxed, beside the
 * ground-truth mask where there is one.
 */
public final class InspectionReport {
    private static final int PER_END = 4;
    private static final int SCALE = 2;

    private InspectionReport() {
    }

    public static Path write(Path dir, String title, InspectionEvaluation evaluation, LabelledRasters images) {
        LabelledScores scored = evaluation.scored();
        Map<String, List<Integer>> byLabel = new LinkedHashMap<>();
        for (int i = 0; i < scored.size(); i++) {
            byLabel.computeIfAbsent(scored.labels()[i], k -> new ArrayList<>()).add(i);
        }
        List<HtmlReport.Figure> figures = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : byLabel.entrySet()) {
            List<Integer> order = new ArrayList<>(e.getValue());
            order.sort(Comparator.comparingDouble(i -> -scored.scores()[i]));
            List<Integer> picks = new ArrayList<>(order.subList(0, Math.min(PER_END, order.size())));
            picks.addAll(order.subList(Math.max(picks.size(), order.size() - PER_END), order.size()));
            List<java.awt.image.BufferedImage> tiles = new ArrayList<>();
            List<String> captions = new ArrayList<>();
            for (int i : picks) {
                Judgement j = evaluation.judged().get(i);
                Raster frame = images.images().get(i);
                tiles.add(HeatMaps.overlay(frame, j.map(), j.width(), j.height(), ErrorRegion.regions(j.map(), j.width(), j.height()), SCALE));
                captions.add(String.format(Locale.ROOT, "%s %.3f", scored.anomaly()[i] ? "defect" : "normal", scored.scores()[i]));
                Raster mask = images.masks().get(i);
                tiles.add(HeatMaps.overlay(frame, (mask == null ? Raster.blank(frame.width(), frame.height(), 1) : mask).pixels(),
                        frame.width(), frame.height(), List.of(), SCALE));
                captions.add(mask == null ? "no mask" : "ground truth");
            }
            figures.add(new HtmlReport.Figure(e.getKey() + ": highest and lowest scores",
                    "Pairs: the anomaly map over the frame with its regions boxed, then the ground-truth mask over the frame.",
                    HeatMaps.sheet(tiles, captions, 4)));
        }
        return HtmlReport.write(dir, title, evaluation.result(), scored, null, null, figures);
    }
}
