package io.frameguard.model.inspection;

import io.frameguard.data.Raster;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Scores frames of any size with an {@link InspectionNetwork}: the whole frame in one fully
 * convolutional pass (edges replicated up to a multiple of {@link InspectionNetwork#ALIGN}), the
 * segmentation output or the SSIM dissimilarity of the reconstruction as the anomaly map
 * ({@link AnomalyMapKind}), and the image score the maximum of the map smoothed by a
 * {@code smoothing × smoothing} mean, so that one stray pixel does not make an anomaly but a small
 * defect does. Frames of one size in a call share forward passes.
 *
 * <p>Not thread-safe: a DL4J network keeps per-call state. Use one scorer per thread.
 */
public final class InspectionScorer {
    private final ComputationGraph network;
    private final int channels;
    private final AnomalyMapKind mapKind;
    private final int smoothing;
    private final int maxBatch;

    public InspectionScorer(ComputationGraph network, int channels, AnomalyMapKind mapKind, int smoothing, int maxBatch) {
        this.network = InspectionNetwork.forScoring(network, channels);
        this.channels = channels;
        this.mapKind = mapKind;
        this.smoothing = smoothing;
        this.maxBatch = maxBatch;
    }

    /**
     * A frame's score and anomaly map.
     *
     * @param map per-pixel anomaly probability, {@code width × height}, row-major
     */
    public record Judgement(double score, float[] map, int width, int height) {
    }

    public List<Judgement> score(List<Raster> frames) {
        Judgement[] out = new Judgement[frames.size()];
        Map<Long, List<Integer>> bySize = new LinkedHashMap<>();
        for (int i = 0; i < frames.size(); i++) {
            Raster f = frames.get(i);
            bySize.computeIfAbsent(((long) f.width() << 32) | f.height(), k -> new ArrayList<>()).add(i);
        }
        for (List<Integer> same : bySize.values()) {
            for (int start = 0; start < same.size(); start += maxBatch) {
                List<Integer> part = same.subList(start, Math.min(same.size(), start + maxBatch));
                List<Raster> inputs = new ArrayList<>(part.size());
                for (int i : part) {
                    inputs.add(aligned(frames.get(i).withChannels(channels)));
                }
                INDArray input = RasterTensors.batch(inputs);
                INDArray[] outputs = network.output(false, input);
                for (int j = 0; j < part.size(); j++) {
                    Raster f = frames.get(part.get(j));
                    float[] map = cropped(map(input, outputs, j, inputs.get(j)), inputs.get(j).width(), f.width(), f.height());
                    out[part.get(j)] = new Judgement(smoothedMax(map, f.width(), f.height(), smoothing), map, f.width(), f.height());
                }
            }
        }
        return List.of(out);
    }

    /** Frame {@code j}'s anomaly map at its aligned size. */
    private float[] map(INDArray input, INDArray[] outputs, int j, Raster aligned) {
        if (mapKind == AnomalyMapKind.SEGMENTATION) {
            float[] map = RasterTensors.plane(outputs[1], j, InspectionNetwork.ANOMALY_CHANNEL);
            int mapWidth = (int) outputs[1].size(3);
            return mapWidth == aligned.width() ? map : upsampled(map, mapWidth, (int) outputs[1].size(2), aligned.width() / mapWidth);
        }
        float[][] x = new float[channels][];
        float[][] y = new float[channels][];
        for (int c = 0; c < channels; c++) {
            x[c] = RasterTensors.plane(input, j, c);
            y[c] = RasterTensors.plane(outputs[0], j, c);
        }
        return SsimMap.dissimilarity(x, y, aligned.width(), aligned.height());
    }

    /** A {@code w × h} map made {@code factor} times larger by repeating each value (nearest neighbour). */
    static float[] upsampled(float[] map, int w, int h, int factor) {
        int wide = w * factor;
        float[] out = new float[wide * h * factor];
        for (int y = 0; y < h; y++) {
            int row = y * factor * wide;
            for (int x = 0; x < w; x++) {
                java.util.Arrays.fill(out, row + x * factor, row + (x + 1) * factor, map[y * w + x]);
            }
            for (int k = 1; k < factor; k++) {
                System.arraycopy(out, row, out, row + k * wide, wide);
            }
        }
        return out;
    }

    /** The frame with its right and bottom edges repeated up to a multiple of the network's alignment. */
    static Raster aligned(Raster r) {
        int a = InspectionNetwork.ALIGN;
        int w = (r.width() + a - 1) / a * a;
        int h = (r.height() + a - 1) / a * a;
        if (w == r.width() && h == r.height()) {
            return r;
        }
        Raster out = Raster.blank(w, h, r.channels());
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int k = 0; k < r.channels(); k++) {
                    out.set(x, y, k, r.get(Math.min(x, r.width() - 1), Math.min(y, r.height() - 1), k));
                }
            }
        }
        return out;
    }

    private static float[] cropped(float[] map, int mapWidth, int w, int h) {
        if (mapWidth == w && map.length == w * h) {
            return map;
        }
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(map, y * mapWidth, out, y * w, w);
        }
        return out;
    }

    /** The largest mean of a {@code k × k} window (clipped at the borders). */
    public static double smoothedMax(float[] map, int w, int h, int k) {
        return smoothedMax(map, w, h, k, 0, 0, w, h);
    }

    /**
     * The largest mean of a {@code k × k} window (clipped at the map's borders) centred in the
     * {@code rw × rh} region at {@code (rx, ry)}: the image score of that region as part of the larger
     * map, its windows reaching the map around it.
     */
    public static double smoothedMax(float[] map, int w, int h, int k, int rx, int ry, int rw, int rh) {
        if (rx < 0 || ry < 0 || rw < 1 || rh < 1 || rx + rw > w || ry + rh > h) {
            throw new IllegalArgumentException("region " + rw + "x" + rh + " at " + rx + "," + ry + " outside the " + w + "x" + h + " map");
        }
        double best = Double.NEGATIVE_INFINITY;
        if (k <= 1) {
            for (int y = ry; y < ry + rh; y++) {
                for (int x = rx; x < rx + rw; x++) {
                    best = Math.max(best, map[y * w + x]);
                }
            }
            return best;
        }
        double[] v = new double[map.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = map[i];
        }
        double[] sat = summedArea(v, w, h);
        int r = k / 2;
        for (int y = ry; y < ry + rh; y++) {
            for (int x = rx; x < rx + rw; x++) {
                best = Math.max(best, windowMean(sat, w, h, x, y, r));
            }
        }
        return best;
    }

    /**
     * Each pixel's {@code k × k} neighbourhood mean, the window clipped at the borders, from a
     * summed-area table: the smoothing of {@link #smoothedMax} and the local statistics of {@link SsimMap}.
     */
    static double[] boxMeans(double[] v, int w, int h, int k) {
        double[] sat = summedArea(v, w, h);
        int r = k / 2;
        double[] out = new double[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = windowMean(sat, w, h, x, y, r);
            }
        }
        return out;
    }

    /** The summed-area table of a {@code w × h} map: {@code (w + 1) × (h + 1)}, first row and column zero. */
    private static double[] summedArea(double[] v, int w, int h) {
        double[] sat = new double[(w + 1) * (h + 1)];
        for (int y = 0; y < h; y++) {
            double row = 0;
            for (int x = 0; x < w; x++) {
                row += v[y * w + x];
                sat[(y + 1) * (w + 1) + x + 1] = sat[y * (w + 1) + x + 1] + row;
            }
        }
        return sat;
    }

    /** The mean of the window of radius {@code r} around {@code (x, y)}, clipped at the borders. */
    private static double windowMean(double[] sat, int w, int h, int x, int y, int r) {
        int y0 = Math.max(0, y - r);
        int y1 = Math.min(h, y + r + 1);
        int x0 = Math.max(0, x - r);
        int x1 = Math.min(w, x + r + 1);
        double sum = sat[y1 * (w + 1) + x1] - sat[y0 * (w + 1) + x1] - sat[y1 * (w + 1) + x0] + sat[y0 * (w + 1) + x0];
        return sum / ((y1 - y0) * (x1 - x0));
    }
}
