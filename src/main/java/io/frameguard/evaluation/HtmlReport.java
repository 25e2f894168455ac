package io.frameguard.evaluation;

import io.frameguard.FrameGuardException;
import io.frameguard.data.ImageFiles;
import io.frameguard.data.ImageSet;
import io.frameguard.model.Scorer;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * An evaluation as an HTML page with PNG charts: ROC curve, score histogram of normal vs anomalous
 * images with the threshold, scores per sample coloured by label, and input / reconstruction /
 * |difference| grids of the lowest, median and highest scoring images.
 */
public final class HtmlReport {
    private static final int GRID_IMAGES = 8;

    private HtmlReport() {
    }

    /**
     * Writes {@code index.html} and its PNGs into {@code dir}. {@code images} and {@code scorer} may
     * be null (replay of scores only); then the reconstruction grids are left out.
     */
    public static Path write(Path dir, String title, EvaluationResult result, LabelledScores scored,
                             ImageSet images, Scorer scorer) {
        return write(dir, title, result, scored, images, scorer, List.of());
    }

    /** A picture for the report, below the charts. */
    public record Figure(String title, String caption, BufferedImage image) {
    }

    /** {@link #write(Path, String, EvaluationResult, LabelledScores, ImageSet, Scorer)} with more figures. */
    public static Path write(Path dir, String title, EvaluationResult result, LabelledScores scored,
                             ImageSet images, Scorer scorer, List<Figure> figures) {
        try {
            Files.createDirectories(dir);
            save(rocChart(scored, result), dir.resolve("roc.png"), 520, 420);
            save(histogram(scored, result.threshold().value()), dir.resolve("histogram.png"), 720, 420);
            save(scoresByLabel(scored, result.threshold().value()), dir.resolve("scores.png"), 900, 420);
            List<String> grids = new ArrayList<>();
            if (images != null && scorer != null) {
                Integer[] order = IntStream.range(0, scored.size()).boxed()
                        .sorted(Comparator.comparingDouble(i -> scored.scores()[i])).toArray(Integer[]::new);
                int n = Math.min(GRID_IMAGES, order.length);
                int mid = Math.max(0, order.length / 2 - n / 2);
                Map<String, int[]> picks = new LinkedHashMap<>();
                picks.put("lowest", IntStream.range(0, n).map(i -> order[i]).toArray());
                picks.put("median", IntStream.range(mid, Math.min(order.length, mid + n)).map(i -> order[i]).toArray());
                picks.put("highest", IntStream.range(0, n).map(i -> order[order.length - 1 - i]).toArray());
                for (Map.Entry<String, int[]> p : picks.entrySet()) {
                    String file = "grid-" + p.getKey() + ".png";
                    ImageFiles.writePng(ReconstructionStrip.grid(scorer, images, p.getValue(), 3), dir.resolve(file));
                    grids.add(gridSection(p.getKey(), file, p.getValue(), scored));
                }
            }
            for (int f = 0; f < figures.size(); f++) {
                Figure fig = figures.get(f);
                String file = "figure-" + f + ".png";
                ImageFiles.writePng(fig.image(), dir.resolve(file));
                grids.add("<h2>" + escape(fig.title()) + "</h2><p>" + escape(fig.caption()) + "</p><img src=\"" + file
                        + "\" alt=\"" + escape(fig.title()) + "\">");
            }
            Path index = dir.resolve("index.html");
            Files.writeString(index, html(title, result, grids));
            return index;
        } catch (IOException e) {
            throw new FrameGuardException("cannot write report into " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String html(String title, EvaluationResult r, List<String> grids) {
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
                <th>anomaly accuracy</th><th>TP</th><th>FP</th><th>TN</th><th>FN</th></tr>
                <tr><td>%5$.4f</td><td>%6$.4f</td><td>%7$.4f</td><td>%8$s = %9$.5f</td><td>%10$.4f</td><td>%11$.4f</td>
                <td>%12$d</td><td>%13$d</td><td>%14$d</td><td>%15$d</td></tr></table>
                <h2>ROC curve</h2><img src="roc.png" alt="ROC curve">
                <h2>Scores: normal vs anomalous</h2><img src="histogram.png" alt="score histogram">
                <h2>Scores per sample</h2><img src="scores.png" alt="scores per sample">
                <h2>Per label</h2><table><tr><th>label</th><th>n</th><th>flagged</th><th>mean score</th></tr>
                %16$s</table>
                %17$s
                </body></html>
                """.formatted(escape(title), escape(r.model()), escape(r.dataset()), escape(String.valueOf(r.normal())),
                r.auroc(), r.auprc(), r.f1Max(), escape(r.threshold().strategy()), r.threshold().value(),
                r.normalAccuracy(), r.anomalyAccuracy(), r.confusion().truePositive(), r.confusion().falsePositive(),
                r.confusion().trueNegative(), r.confusion().falseNegative(), rows, String.join("\n", grids));
    }

    private static String gridSection(String which, String file, int[] picks, LabelledScores scored) {
        StringBuilder caption = new StringBuilder();
        for (int i : picks) {
            caption.append(String.format(Locale.ROOT, "%s: %.4f; ", escape(scored.labels()[i]), scored.scores()[i]));
        }
        return "<h2>" + which + " scoring images</h2><p>rows: input, reconstruction, |difference|. label: score = "
                + caption + "</p><img src=\"" + file + "\" alt=\"" + which + " scoring images\">";
    }

    private static JFreeChart rocChart(LabelledScores s, EvaluationResult r) {
        XYSeries roc = new XYSeries(String.format(Locale.ROOT, "ROC (AUROC %.4f)", r.auroc()), false);
        for (double[] p : Metrics.rocCurve(s.scores(), s.anomaly())) {
            roc.add(p[0], p[1]);
        }
        XYSeries chance = new XYSeries("chance");
        chance.add(0, 0);
        chance.add(1, 1);
        XYSeriesCollection data = new XYSeriesCollection(roc);
        data.addSeries(chance);
        return ChartFactory.createXYLineChart("ROC curve", "false positive rate", "true positive rate", data,
                PlotOrientation.VERTICAL, true, false, false);
    }

    private static JFreeChart histogram(LabelledScores s, double threshold) {
        HistogramDataset data = new HistogramDataset();
        double[] normal = IntStream.range(0, s.size()).filter(i -> !s.anomaly()[i]).mapToDouble(i -> s.scores()[i]).toArray();
        double[] anomalous = IntStream.range(0, s.size()).filter(i -> s.anomaly()[i]).mapToDouble(i -> s.scores()[i]).toArray();
        // bins from 0 for the usual non-negative errors; from the lowest score for scores that go below
        // zero (log-mse)
        double lo = Math.min(0, Math.min(threshold, Arrays.stream(s.scores()).min().orElse(0)));
        double hi = Math.max(threshold, Arrays.stream(s.scores()).max().orElse(1));
        double pad = hi > lo ? (hi - lo) * 0.02 : 1;
        lo = lo < 0 ? lo - pad : 0;
        hi += pad;
        if (normal.length > 0) {
            data.addSeries("normal (" + normal.length + ")", normal, 60, lo, hi);
        }
        if (anomalous.length > 0) {
            data.addSeries("anomalous (" + anomalous.length + ")", anomalous, 60, lo, hi);
        }
        JFreeChart chart = ChartFactory.createHistogram("Score histogram", "score", "images", data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setForegroundAlpha(0.6f);
        ((XYBarRenderer) plot.getRenderer()).setShadowVisible(false);
        plot.addDomainMarker(thresholdMarker(threshold));
        return chart;
    }

    private static JFreeChart scoresByLabel(LabelledScores s, double threshold) {
        Map<String, XYSeries> series = new java.util.TreeMap<>(Evaluator::labelOrder);
        for (int i = 0; i < s.size(); i++) {
            String label = s.labels()[i] + (s.anomaly()[i] ? "" : " (normal)");
            series.computeIfAbsent(label, k -> new XYSeries(k, false)).add(i, s.scores()[i]);
        }
        XYSeriesCollection data = new XYSeriesCollection();
        series.values().forEach(data::addSeries);
        JFreeChart chart = ChartFactory.createScatterPlot("Score per sample", "sample", "score", data,
                PlotOrientation.VERTICAL, true, false, false);
        chart.getXYPlot().addRangeMarker(thresholdMarker(threshold));
        return chart;
    }

    private static ValueMarker thresholdMarker(double threshold) {
        ValueMarker m = new ValueMarker(threshold, Color.RED, new BasicStroke(2f));
        m.setLabel(String.format(Locale.ROOT, "threshold %.4f", threshold));
        return m;
    }

    private static void save(JFreeChart chart, Path file, int w, int h) throws IOException {
        BufferedImage img = chart.createBufferedImage(w, h);
        javax.imageio.ImageIO.write(img, "png", file.toFile());
    }

    static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
