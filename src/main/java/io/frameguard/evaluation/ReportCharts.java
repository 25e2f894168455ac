package io.frameguard.evaluation;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The report's charts, drawn so that both classes and the low false-positive end stay visible. */
final class ReportCharts {
    static final Color NORMAL = new Color(0x1f77b4);
    static final Color ANOMALOUS = new Color(0xff7f0e);
    private static final Color THRESHOLD = new Color(0xd62728);
    private static final int BINS = 60;

    private ReportCharts() {
    }

    /**
     * Score densities of normal and anomalous images, each normalised to area 1, so a class of a few
     * hundred images is as visible as one of tens of thousands. Positive scores spread over more than
     * two decades (MSE, MAE) are binned on a log axis.
     */
    static JFreeChart distributions(LabelledScores s, double threshold) {
        double[] scores = s.scores();
        double min = Math.min(threshold, Arrays.stream(scores).min().orElse(0));
        double max = Math.max(threshold, Arrays.stream(scores).max().orElse(1));
        boolean log = min > 0 && max / min > 100;
        double lo = log ? Math.log10(min) : min;
        double hi = log ? Math.log10(max) : max;
        double pad = hi > lo ? (hi - lo) * 0.02 : 1;
        lo -= pad;
        hi += pad;
        double width = (hi - lo) / BINS;
        XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
        for (boolean anomaly : new boolean[] {false, true}) {
            double[] x = IntStream.range(0, s.size()).filter(i -> s.anomaly()[i] == anomaly)
                    .mapToDouble(i -> log ? Math.log10(scores[i]) : scores[i]).toArray();
            if (x.length == 0) {
                continue;
            }
            int[] counts = new int[BINS];
            for (double v : x) {
                counts[Math.min(BINS - 1, Math.max(0, (int) ((v - lo) / width)))]++;
            }
            XYIntervalSeries series = new XYIntervalSeries(String.format(Locale.ROOT, "%s (%,d)",
                    anomaly ? "anomalous" : "normal", x.length));
            for (int b = 0; b < BINS; b++) {
                double a = lo + b * width;
                double density = counts[b] / (x.length * width);
                double x0 = log ? Math.pow(10, a) : a;
                double x1 = log ? Math.pow(10, a + width) : a + width;
                series.add((x0 + x1) / 2, x0, x1, density, density, density);
            }
            data.addSeries(series);
        }
        ValueAxis domain = log ? new LogAxis("score (log scale)") : new NumberAxis("score");
        if (domain instanceof LogAxis logAxis) {
            decades(logAxis);
        }
        NumberAxis range = new NumberAxis(log ? "density per decade (each class: area 1)" : "density (each class: area 1)");
        XYBarRenderer bars = new XYBarRenderer();
        bars.setBarPainter(new StandardXYBarPainter());
        bars.setShadowVisible(false);
        bars.setDrawBarOutline(false);
        XYPlot plot = new XYPlot(data, domain, range, bars);
        plot.setForegroundAlpha(0.55f);
        for (int k = 0; k < data.getSeriesCount(); k++) {
            bars.setSeriesPaint(k, data.getSeriesKey(k).toString().startsWith("normal") ? NORMAL : ANOMALOUS);
        }
        plot.addDomainMarker(thresholdMarker(threshold));
        if (log) {
            domain.setRange(Math.pow(10, lo), Math.pow(10, hi));
        }
        return styled(new JFreeChart("Score distribution per class", JFreeChart.DEFAULT_TITLE_FONT, plot, true));
    }

    /**
     * ROC curve with a logarithmic false-positive axis, from one false alarm in the normal images
     * (rounded down to a power of ten) to 1: the end where an alarm system works. Points with no
     * false positive are drawn on the left edge. The threshold's operating point is marked.
     */
    static JFreeChart roc(LabelledScores s, EvaluationResult r) {
        long normals = IntStream.range(0, s.size()).filter(i -> !s.anomaly()[i]).count();
        double floor = Math.pow(10, Math.floor(Math.log10(1.0 / Math.max(1, normals))));
        floor = Math.max(1e-6, Math.min(1e-2, floor));
        XYSeries roc = new XYSeries(String.format(Locale.ROOT, "ROC (AUROC %.4f)", r.auroc()), false);
        for (double[] p : Metrics.rocCurve(s.scores(), s.anomaly())) {
            roc.add(Math.max(floor, p[0]), p[1]);
        }
        var c = r.confusion();
        double fpr = (double) c.falsePositive() / Math.max(1, c.falsePositive() + c.trueNegative());
        double tpr = (double) c.truePositive() / Math.max(1, c.truePositive() + c.falseNegative());
        XYSeries point = new XYSeries(String.format(Locale.ROOT, "threshold: false positive rate %.4f, true positive rate %.4f",
                fpr, tpr));
        point.add(Math.max(floor, fpr), tpr);
        XYSeries chance = new XYSeries("chance");
        for (double e = Math.log10(floor); e <= 0.0001; e += 0.05) {
            chance.add(Math.pow(10, e), Math.pow(10, e));
        }
        XYSeriesCollection data = new XYSeriesCollection(roc);
        data.addSeries(point);
        data.addSeries(chance);
        LogAxis x = new LogAxis("false positive rate (log scale)");
        decades(x);
        x.setRange(floor, 1);
        NumberAxis y = new NumberAxis("true positive rate");
        y.setRange(0, 1.02);
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer();
        lines.setSeriesShapesVisible(0, false);
        lines.setSeriesPaint(0, NORMAL);
        lines.setSeriesStroke(0, new BasicStroke(2f));
        lines.setSeriesLinesVisible(1, false);
        lines.setSeriesShape(1, new Ellipse2D.Double(-5, -5, 10, 10));
        lines.setSeriesPaint(1, THRESHOLD);
        lines.setSeriesShapesVisible(2, false);
        lines.setSeriesPaint(2, Color.GRAY);
        lines.setSeriesStroke(2, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {4f, 4f}, 0f));
        XYPlot plot = new XYPlot(data, x, y, lines);
        return styled(new JFreeChart("ROC curve", JFreeChart.DEFAULT_TITLE_FONT, plot, true));
    }

    /** Each image's score in dataset order, coloured by label, with the threshold. */
    static JFreeChart scoresByLabel(LabelledScores s, double threshold) {
        Map<String, XYSeries> series = new TreeMap<>(Evaluator::labelOrder);
        for (int i = 0; i < s.size(); i++) {
            String label = s.labels()[i] + (s.anomaly()[i] ? "" : " (normal)");
            series.computeIfAbsent(label, k -> new XYSeries(k, false)).add(i, s.scores()[i]);
        }
        XYSeriesCollection data = new XYSeriesCollection();
        series.values().forEach(data::addSeries);
        JFreeChart chart = ChartFactory.createScatterPlot("Score per sample", "sample", "score", data,
                PlotOrientation.VERTICAL, true, false, false);
        chart.getXYPlot().addRangeMarker(thresholdMarker(threshold));
        ((NumberAxis) chart.getXYPlot().getRangeAxis()).setAutoRangeIncludesZero(false);
        return styled(chart);
    }

    /** One tick per power of ten, not JFreeChart's default fractional exponents. */
    private static void decades(LogAxis axis) {
        axis.setAutoTickUnitSelection(false);
        axis.setTickUnit(new NumberTickUnit(1), false, false);
    }

    private static ValueMarker thresholdMarker(double threshold) {
        ValueMarker m = new ValueMarker(threshold, THRESHOLD, new BasicStroke(2f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
        m.setLabel(String.format(Locale.ROOT, "threshold %.4f", threshold));
        m.setLabelPaint(THRESHOLD);
        m.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        m.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        return m;
    }

    private static JFreeChart styled(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        plot.setOutlineVisible(false);
        return chart;
    }
}
