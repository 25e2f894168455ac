package io.frameguard.harness.bench;

import io.frameguard.data.Raster;
import io.frameguard.model.inspection.InspectionNetwork;
import io.frameguard.model.inspection.AnomalyMapKind;
import io.frameguard.model.inspection.InspectionScorer;
import io.frameguard.training.inspection.InspectionTrainer;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import org.deeplearning4j.nn.graph.ComputationGraph;
import java.util.List;
import java.util.Random;

/**
 * Scoring throughput of the inspection network on camera-sized frames: frames/s and megapixels/s
 * per frame size and frames per forward pass, median of timed rounds after a warm-up. An untrained
 * network of the default width: the cost of a forward pass does not depend on the weights.
 */
public final class InspectionBenchmark {
    private final PrintWriter out;

    public InspectionBenchmark(PrintWriter out) {
        this.out = out;
    }

    /** One measured figure; {@code peakRatio} is the share of the CPU's peak FLOP/s it reaches. */
    public record Figure(int side, int channels, int width, int batch, double framesPerSecond, double megapixelsPerSecond,
                         double gflops, double peakRatio) {
    }

    /**
     * @param widths the network's widths (maps at its outer level) to measure; the default is
     *               {@link InspectionTrainer.Options#defaults()}'s
     * @param target frames/s the line needs at the largest size: the run says what share of the
     *               CPU's peak that would take with each width
     */
    public List<Figure> run(int[] sides, int[] batches, int[] widths, int channels, int rounds, double roundSeconds,
                            double target) {
        InspectionTrainer.Options d = InspectionTrainer.Options.defaults();
        CpuPeak peak = CpuPeak.measure();
        out.println(peak.describe());
        List<Figure> figures = new ArrayList<>();
        out.printf("%-9s %5s %5s %12s %12s %12s %9s %9s%n", "frame", "width", "batch", "frames/s", "Mpixel/s", "GFLOP/frame",
                "GFLOP/s", "of peak");
        int maxBatch = Arrays.stream(batches).max().orElse(1);
        for (int width : widths) {
            ComputationGraph network = InspectionNetwork.build(channels, width, d.tile(), d.learningRate(), 1L);
            InspectionScorer scorer = new InspectionScorer(network, channels, AnomalyMapKind.SEGMENTATION, 5, maxBatch);
            for (int side : sides) {
                double flops = Flops.perFrame(network.getConfiguration(), side, channels);
                for (int batch : batches) {
                    List<Raster> frames = frames(side, channels, batch);
                    timed(scorer, frames, 0.5); // warm-up: JIT and oneDNN primitives for this shape
                    double[] fps = new double[rounds];
                    for (int r = 0; r < rounds; r++) {
                        fps[r] = timed(scorer, frames, roundSeconds);
                    }
                    Arrays.sort(fps);
                    double median = fps[rounds / 2];
                    double gflops = median * flops / 1e9;
                    Figure f = new Figure(side, channels, width, batch, median, median * side * side / 1e6, gflops,
                            gflops / peak.gflops());
                    figures.add(f);
                    out.printf("%-9s %5d %5d %,12.1f %12.2f %12.3f %9.1f %8.1f%%%n", side + "x" + side, width, batch,
                            f.framesPerSecond(), f.megapixelsPerSecond(), flops / 1e9, gflops, 100 * f.peakRatio());
                    out.flush();
                }
            }
            int side = Arrays.stream(sides).max().orElseThrow();
            double need = target * Flops.perFrame(network.getConfiguration(), side, channels) / 1e9;
            out.printf("width %d: %.0f frames/s of %dx%d need %.0f GFLOP/s, %.0f%% of the CPU's peak%s%n", width, target, side,
                    side, need, 100 * need / peak.gflops(), need > peak.gflops() ? ": beyond what this CPU can do" : "");
            out.flush();
        }
        return figures;
    }

    private static double timed(InspectionScorer scorer, List<Raster> frames, double seconds) {
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        int n = 0;
        do {
            scorer.score(frames);
            n += frames.size();
        } while (System.nanoTime() < end);
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static List<Raster> frames(int side, int channels, int count) {
        Random random = new Random(side);
        List<Raster> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Raster r = Raster.blank(side, side, channels);
            for (int p = 0; p < r.pixels().length; p++) {
                r.pixels()[p] = random.nextFloat();
            }
            out.add(r);
        }
        return out;
    }
}
