package io.frameguard.model;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where in an image the anomaly is, from its anomaly map (a digit model's per-pixel error, an
 * inspection model's defect probability): the one definition the stream's anomaly events, the
 * reports' boxes and {@code score} share.
 */
public final class ErrorRegion {
    /** Pixels with at least this share of the largest error make up the region. */
    public static final double REGION_SHARE = 0.5;

    private ErrorRegion() {
    }

    /** At most this many regions per image, the highest first. */
    public static final int MAX_REGIONS = 16;

    /** The first of {@link #regions}: the region holding the largest value; null if the map is all zero. */
    public static Rectangle of(float[] map, int width, int height) {
        List<Rectangle> r = regions(map, width, height);
        return r.isEmpty() ? null : r.get(0);
    }

    /**
     * The anomalous regions of a map, in map pixels: 8-connected pixels whose value is at least half
     * the largest, each as its bounding box, the region holding the highest value first, at most
     * {@value #MAX_REGIONS}; empty if the map is all zero.
     */
    public static List<Rectangle> regions(float[] map, int width, int height) {
        float max = 0;
        for (float v : map) {
            max = Math.max(max, v);
        }
        if (!(max > 0)) {
            return List.of();
        }
        float cut = (float) (max * REGION_SHARE);
        boolean[] seen = new boolean[map.length];
        int[] queue = new int[map.length];
        List<float[]> found = new ArrayList<>(); // x0, y0, x1, y1, peak
        for (int start = 0; start < map.length; start++) {
            if (seen[start] || map[start] < cut) {
                continue;
            }
            seen[start] = true;
            float[] box = {width, height, -1, -1, 0};
            int head = 0;
            int tail = 0;
            queue[tail++] = start;
            while (head < tail) {
                int p = queue[head++];
                int x = p % width;
                int y = p / width;
                box[0] = Math.min(box[0], x);
                box[1] = Math.min(box[1], y);
                box[2] = Math.max(box[2], x);
                box[3] = Math.max(box[3], y);
                box[4] = Math.max(box[4], map[p]);
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = x + dx;
                        int ny = y + dy;
                        int q = ny * width + nx;
                        if (nx >= 0 && ny >= 0 && nx < width && ny < height && !seen[q] && map[q] >= cut) {
                            seen[q] = true;
                            queue[tail++] = q;
                        }
                    }
                }
            }
            found.add(box);
        }
        found.sort(Comparator.comparingDouble((float[] b) -> -b[4]));
        List<Rectangle> out = new ArrayList<>(Math.min(MAX_REGIONS, found.size()));
        for (float[] b : found.subList(0, Math.min(MAX_REGIONS, found.size()))) {
            out.add(new Rectangle((int) b[0], (int) b[1], (int) (b[2] - b[0]) + 1, (int) (b[3] - b[1]) + 1));
        }
        return out;
    }
}
