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
    public record Figure(int side, int channels, int width, int batch, int workers, double framesPerSecond, double megapixelsPerSecond,
                         double gflops, double peakRatio) {
    }

    /**
     * @param widths the network's widths (maps at its outer level) to measure; the default is
     *               {@link InspectionTrainer.Options#defaults()}'s
     * @param workers scorer threads to measure, each on its own copy of the network with
     *                {@code OMP_NUM_THREADS} native threads
     * @param warmupSeconds not counted before each figure's rounds
     * @param target frames/s the line needs at the largest size: the run says what share of the
     *               CPU's peak that would take with each width
     */
    public List<Figure> run(int[] sides, int[] batches, int[] widths, int[] workers, int channels, int rounds,
                            double roundSeconds, double warmupSeconds, double target) {
        InspectionTrainer.Options d = InspectionTrainer.Options.defaults();
        CpuPeak peak = CpuPeak.measure();
        out.println(peak.describe());
        List<Figure> figures = new ArrayList<>();
        out.printf("%-9s %5s %5s %7s %12s %12s %12s %9s %9s%n", "frame", "width", "batch", "workers", "frames/s", "Mpixel/s",
                "GFLOP/frame", "GFLOP/s", "of peak");
        int maxBatch = Arrays.stream(batches).max().orElse(1);
        int maxWorkers = Arrays.stream(workers).max().orElse(1);
        for (int width : widths) {
            ComputationGraph network = InspectionNetwork.build(channels, width, d.tile(), d.learningRate(), 1L);
            // one scorer per worker, each on its own copy of the network (a DL4J graph keeps per-call state)
            List<InspectionScorer> scorers = new ArrayList<>();
            for (int w = 0; w < maxWorkers; w++) {
                scorers.add(new InspectionScorer(w == 0 ? network : network.clone(), channels, AnomalyMapKind.SEGMENTATION, 5,
                        maxBatch));
            }
            for (int side : sides) {
                double flops = Flops.perFrame(network.getConfiguration(), side, channels);
                for (int batch : batches) {
                    List<Raster> frames = frames(side, channels, batch);
                    for (int n : workers) {
                        List<Runnable> calls = new ArrayList<>();
                        for (InspectionScorer s : scorers.subList(0, n)) {
                            calls.add(() -> s.score(frames));
                        }
                        // the warm-up covers the JIT and oneDNN's primitives for this shape: a few seconds
                        double[] fps = ScoringBenchmark.measure(calls, batch, warmupSeconds, rounds, roundSeconds);
                        double median = fps[rounds / 2];
                        double gflops = median * flops / 1e9;
                        Figure f = new Figure(side, channels, width, batch, n, median, median * side * side / 1e6, gflops,
                                gflops / peak.gflops());
                        figures.add(f);
                        out.printf("%-9s %5d %5d %7d %,12.1f %12.2f %12.3f %9.1f %8.1f%%%n", side + "x" + side, width, batch, n,
                                f.framesPerSecond(), f.megapixelsPerSecond(), flops / 1e9, gflops, 100 * f.peakRatio());
                        out.flush();
                    }
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
