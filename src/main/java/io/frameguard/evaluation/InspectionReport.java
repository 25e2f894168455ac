package io.frameguard.evaluation;

import io.frameguard.data.Raster;
import io.frameguard.data.LabelledRasters;
import io.frameguard.model.inspection.InspectionScorer.Judgement;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The report of an inspection evaluation: the usual charts, and for every label its highest- and
 * lowest-scoring images as input, heat map over the input, and ground-truth mask.
 */
public final class InspectionReport {
    private static final int SCALE = 2;

    private InspectionReport() {
    }

    public static Path write(Path dir, String title, InspectionEvaluation evaluation, LabelledRasters images) {
        LabelledScores scored = evaluation.scored();
        List<Judgement> judged = evaluation.judged();
        Map<String, List<Integer>> byLabel = new LinkedHashMap<>();
        for (int i = 0; i < scored.size(); i++) {
            byLabel.computeIfAbsent(scored.labels()[i], k -> new ArrayList<>()).add(i);
        }
        List<HtmlReport.Figure> figures = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : byLabel.entrySet()) {
            List<Integer> order = new ArrayList<>(e.getValue());
            order.sort(Comparator.comparingDouble(i -> -scored.scores()[i]));
            int n = Math.min(4, order.size());
            List<Integer> picks = new ArrayList<>(order.subList(0, n));
            picks.addAll(order.subList(Math.max(n, order.size() - n), order.size()));
            StringBuilder caption = new StringBuilder("columns: input, heat map, ground truth; highest then lowest scores: ");
            picks.forEach(i -> caption.append(String.format("%.3f ", scored.scores()[i])));
            figures.add(new HtmlReport.Figure(e.getKey(), caption.toString(), sheet(picks, images, judged)));
        }
        return HtmlReport.write(dir, title, evaluation.result(), scored, null, null, figures);
    }

    private static BufferedImage sheet(List<Integer> picks, LabelledRasters images, List<Judgement> judged) {
        Raster first = images.images().get(picks.get(0));
        int w = first.width() * SCALE;
        int h = first.height() * SCALE;
        BufferedImage out = new BufferedImage(3 * (w + 4), picks.size() * (h + 4), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        for (int row = 0; row < picks.size(); row++) {
            int i = picks.get(row);
            Raster img = images.images().get(i);
            Judgement j = judged.get(i);
            Raster mask = images.masks().get(i);
            int y = row * (h + 4);
            g.drawImage(img.toImage(), 0, y, img.width() * SCALE, img.height() * SCALE, null);
            g.drawImage(heat(img, j.map()), w + 4, y, img.width() * SCALE, img.height() * SCALE, null);
            Raster m = mask == null ? Raster.blank(img.width(), img.height(), 1) : mask;
            g.drawImage(m.toImage(), 2 * (w + 4), y, img.width() * SCALE, img.height() * SCALE, null);
        }
        g.dispose();
        return out;
    }

    /** The image in gray with the map laid over it in red, opaque where the map is 1. */
    public static BufferedImage heat(Raster img, float[] map) {
        Raster gray = img.withChannels(1);
        BufferedImage out = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_INT_RGB);
        IntStream.range(0, img.width() * img.height()).forEach(p -> {
            float v = gray.pixels()[p];
            float a = Math.max(0f, Math.min(1f, map[p]));
            int r = Math.round(255 * ((1 - a) * v + a));
            int gr = Math.round(255 * (1 - a) * v);
            out.setRGB(p % img.width(), p / img.width(), (r << 16) | (gr << 8) | gr);
        });
        return out;
    }
}
