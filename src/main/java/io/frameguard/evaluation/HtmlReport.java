package io.frameguard.evaluation;

import io.frameguard.FrameGuardException;
import io.frameguard.data.ImageFiles;
import io.frameguard.data.ImageSet;
import io.frameguard.model.Scorer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.jfree.chart.JFreeChart;

/**
 * An evaluation as an HTML page with PNG charts: score densities per class with the threshold, a
 * ROC curve on a logarithmic false-positive axis, scores per sample; with images, the flagged frames
 * and the highest-scoring normal ones under their heat maps and boxes, and a strip of typical
 * reconstructions; then any figures the caller adds.
 */
public final class HtmlReport {
    private static final int GRID_IMAGES = 8;

    private HtmlReport() {
    }

    /** A picture the caller adds to the report, after the standard sections. */
    public record Figure(String title, String caption, BufferedImage image) {
    }

    /** {@link #write(Path, String, EvaluationResult, LabelledScores, ImageSet, Scorer, List)} with no extra figures. */
    public static Path write(Path dir, String title, EvaluationResult result, LabelledScores scored,
                             ImageSet images, Scorer scorer) {
        return write(dir, title, result, scored, images, scorer, List.of());
    }

    /**
     * Writes {@code index.html} and its PNGs into {@code dir}. {@code images} (one per score, in the
     * same order) and {@code scorer} may be null (replay of scores only); then the image sections are
     * left out.
     */
    public static Path write(Path dir, String title, EvaluationResult result, LabelledScores scored,
                             ImageSet images, Scorer scorer, List<Figure> figures) {
        double threshold = result.threshold().value();
        try {
            Files.createDirectories(dir);
            save(ReportCharts.distributions(scored, threshold), dir.resolve("distributions.png"), 900, 420);
            save(ReportCharts.roc(scored, result), dir.resolve("roc.png"), 900, 480);
            save(ReportCharts.scoresByLabel(scored, threshold), dir.resolve("scores.png"), 900, 420);
            List<String> sections = new ArrayList<>();
            if (images != null && scorer != null) {
                if (images.size() != scored.size()) {
                    throw new FrameGuardException("report: " + images.size() + " images for " + scored.size() + " scores");
                }
                sheet(dir, "Flagged frames", "flagged.png", FrameSheets.flagged(scored, threshold, images, scorer), sections);
                sheet(dir, "Worst normal frames", "worst-normal.png",
                        FrameSheets.worstNormal(scored, threshold, images, scorer), sections);
                int[] typical = typical(scored);
                ImageFiles.writePng(ReconstructionStrip.grid(scorer, images, typical, 3), dir.resolve("grid-median.png"));
                sections.add(gridSection(typical, scored));
            }
            for (int k = 0; k < figures.size(); k++) {
                Figure f = figures.get(k);
                String file = "figure-" + (k + 1) + ".png";
                ImageFiles.writePng(f.image(), dir.resolve(file));
                sections.add(imageSection(f.title(), f.caption(), file));
            }
            Path index = dir.resolve("index.html");
            Files.writeString(index, html(title, result, sections));
            return index;
        } catch (IOException e) {
            throw new FrameGuardException("cannot write report into " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void sheet(Path dir, String title, String file, FrameSheets.Sheet sheet, List<String> sections) {
        if (sheet != null) {
            ImageFiles.writePng(sheet.image(), dir.resolve(file));
            sections.add(imageSection(title, sheet.caption() + " Heat map: |input − reconstruction|, relative to each"
                    + " frame's largest error; box: the region an anomaly event reports.", file));
        }
    }

    /** The {@link #GRID_IMAGES} images around the median score. */
    private static int[] typical(LabelledScores scored) {
        Integer[] order = IntStream.range(0, scored.size()).boxed()
                .sorted(Comparator.comparingDouble(i -> scored.scores()[i])).toArray(Integer[]::new);
        int n = Math.min(GRID_IMAGES, order.length);
        int mid = Math.max(0, order.length / 2 - n / 2);
        return IntStream.range(mid, Math.min(order.length, mid + n)).map(i -> order[i]).toArray();
    }

    private static String html(String title, EvaluationResult r, List<String> sections) {
        StringBuilder rows = new StringBuilder();
        r.perLabel().forEach((label, s) -> rows.append(String.format(Locale.ROOT,
                "<tr><td>%s</td><td>%d</td><td>%d</td><td>%.4f</td></tr>%n", escape(label), s.n(), s.flagged(),
                s.meanScore())));
        return """
                <!doctype html><html><head><meta charset="utf-8"><title>%1$s</title>
                <style>body{font-family:sans-serif;margin:2em;max-width:1000px}table{border-collapse:collapse}
                td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}img{max-width:100%%}</style></head><body>
                <h1>%1$s</h1>
                <p>model <code>%2$s</code>, dataset <code>%3$s</code>, normal labels %4$s</p>
                <table><tr><th>AUROC</th><th>AUPRC</th><th>F1-max</th><th>threshold</th><th>normal accuracy</th>
                <th>anomaly accuracy</th><th>precision</th><th>recall</th><th>TP</th><th>FP</th><th>TN</th><th>FN</th></tr>
                <tr><td>%5$.4f</td><td>%6$.4f</td><td>%7$.4f</td><td>%8$s = %9$.5f</td><td>%10$.4f</td><td>%11$.4f</td>
                <td>%18$.4f</td><td>%19$.4f</td><td>%12$d</td><td>%13$d</td><td>%14$d</td><td>%15$d</td></tr></table>
                <h2>Scores: normal vs anomalous</h2><img src="distributions.png" alt="score distribution per class">
                <h2>ROC curve</h2><img src="roc.png" alt="ROC curve">
                <h2>Scores per sample</h2><img src="scores.png" alt="scores per sample">
                <h2>Per label</h2><table><tr><th>label</th><th>n</th><th>flagged</th><th>mean score</th></tr>
                %16$s</table>
                %17$s
                </body></html>
                """.formatted(escape(title), escape(r.model()), escape(r.dataset()), escape(String.valueOf(r.normal())),
                r.auroc(), r.auprc(), r.f1Max(), escape(r.threshold().strategy()), r.threshold().value(),
                r.normalAccuracy(), r.anomalyAccuracy(), r.confusion().truePositive(), r.confusion().falsePositive(),
                r.confusion().trueNegative(), r.confusion().falseNegative(), rows, String.join("\n", sections),
                r.confusion().precision(), r.confusion().recall());
    }

    private static String gridSection(int[] picks, LabelledScores scored) {
        StringBuilder caption = new StringBuilder();
        for (int i : picks) {
            caption.append(String.format(Locale.ROOT, "%s: %.4f; ", scored.labels()[i], scored.scores()[i]));
        }
        return imageSection("Typical frames", "The frames around the median score. Rows: input, reconstruction,"
                + " |difference|. label: score = " + caption, "grid-median.png");
    }

    private static String imageSection(String title, String caption, String file) {
        return "<h2>" + escape(title) + "</h2><p>" + escape(caption) + "</p><img src=\"" + file + "\" alt=\""
                + escape(title) + "\">";
    }

    private static void save(JFreeChart chart, Path file, int w, int h) throws IOException {
        BufferedImage img = chart.createBufferedImage(w, h);
        javax.imageio.ImageIO.write(img, "png", file.toFile());
    }

    static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
