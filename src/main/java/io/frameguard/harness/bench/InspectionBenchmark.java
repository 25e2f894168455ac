package io.frameguard.harness.bench;

import io.frameguard.data.Raster;
import io.frameguard.model.inspection.InspectionNetwork;
import io.frameguard.model.inspection.InspectionScorer;
import io.frameguard.training.inspection.InspectionTrainer;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
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

    /** One measured figure. */
    public record Figure(int side, int channels, int batch, double framesPerSecond, double megapixelsPerSecond) {
    }

    public List<Figure> run(int[] sides, int[] batches, int channels, int rounds, double roundSeconds) {
        InspectionTrainer.Options d = InspectionTrainer.Options.defaults();
        InspectionScorer scorer = new InspectionScorer(InspectionNetwork.build(channels, d.width(), d.tile(), d.learningRate(), 1L),
                channels, 5, Arrays.stream(batches).max().orElse(1));
        List<Figure> figures = new ArrayList<>();
        out.printf("%-9s %5s %12s %12s%n", "frame", "batch", "frames/s", "Mpixel/s");
        for (int side : sides) {
            for (int batch : batches) {
                List<Raster> frames = frames(side, channels, batch);
                timed(scorer, frames, 0.5); // warm-up: JIT and oneDNN primitives for this shape
                double[] fps = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    fps[r] = timed(scorer, frames, roundSeconds);
                }
                Arrays.sort(fps);
                double median = fps[rounds / 2];
                Figure f = new Figure(side, channels, batch, median, median * side * side / 1e6);
                figures.add(f);
                out.printf("%-9s %5d %,12.1f %12.2f%n", side + "x" + side, batch, f.framesPerSecond(), f.megapixelsPerSecond());
                out.flush();
            }
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
