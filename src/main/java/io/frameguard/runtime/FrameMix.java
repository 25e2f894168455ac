package io.frameguard.runtime;

import io.frameguard.data.ImageSet;
import java.util.Random;

/**
 * The frames a simulated line sends: normal images, with a share of anomalies mixed in, in a
 * seeded order. Each frame is drawn without replacement until a pool runs out, then the pool restarts.
 */
public final class FrameMix {
    private final ImageSet normal;
    private final ImageSet anomalous;
    private final double anomalyRate;
    private final Random random;
    private int nextNormal;
    private int nextAnomaly;

    /** {@code anomalous} may be null or empty when {@code anomalyRate} is 0. */
    public FrameMix(ImageSet normal, ImageSet anomalous, double anomalyRate, long seed) {
        if (normal.size() == 0) {
            throw new IllegalArgumentException("no normal images to send");
        }
        if (anomalyRate > 0 && (anomalous == null || anomalous.size() == 0)) {
            throw new IllegalArgumentException("no anomalous images to mix in");
        }
        this.random = new Random(seed);
        this.normal = normal.subset(permutation(normal.size()));
        this.anomalous = anomalous == null || anomalous.size() == 0 ? null : anomalous.subset(permutation(anomalous.size()));
        this.anomalyRate = anomalyRate;
    }

    /** The next frame to send: which set it comes from and its position there. */
    public Pick next() {
        if (anomalous != null && random.nextDouble() < anomalyRate) {
            int i = nextAnomaly;
            nextAnomaly = (nextAnomaly + 1) % anomalous.size();
            return new Pick(anomalous, i);
        }
        int i = nextNormal;
        nextNormal = (nextNormal + 1) % normal.size();
        return new Pick(normal, i);
    }

    /** One drawn image: {@code set.image(index)} with {@code set.label(index)}. */
    public record Pick(ImageSet set, int index) {
    }

    private int[] permutation(int n) {
        java.util.List<Integer> order = new java.util.ArrayList<>(java.util.stream.IntStream.range(0, n).boxed().toList());
        java.util.Collections.shuffle(order, random);
        return order.stream().mapToInt(Integer::intValue).toArray();
    }
}
