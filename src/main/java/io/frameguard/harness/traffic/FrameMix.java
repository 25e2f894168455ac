package io.frameguard.harness.traffic;

import io.frameguard.FrameGuardException;
import io.frameguard.data.Datasets;
import io.frameguard.data.ImageSet;
import io.frameguard.data.KnownDataset.Split;
import java.util.List;
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

    /**
     * The mix of {@code dataset}'s test split: frames labelled {@code normal}, with anomalies at
     * {@code rate} drawn from {@code kinds}: {@code digits} (the split's other labels) and
     * {@code fashion} (Fashion-MNIST's test split).
     */
    public static FrameMix fromTestSplit(Datasets datasets, String dataset, List<String> normal, List<String> kinds,
                                         double rate, long seed) {
        ImageSet test = datasets.load(dataset, Split.TEST);
        ImageSet normalImages = test.filter(normal::contains);
        if (normalImages.size() == 0) {
            throw new FrameGuardException("no images labelled " + normal + " in " + dataset);
        }
        ImageSet anomalies = null;
        for (String kind : kinds) {
            ImageSet part = switch (kind) {
                case "digits" -> test.filter(l -> !normal.contains(l));
                case "fashion" -> datasets.load("fashion-mnist", Split.TEST).relabel("fashion");
                default -> throw new FrameGuardException("unknown anomaly kind '" + kind + "'; known: digits, fashion");
            };
            anomalies = anomalies == null ? part : anomalies.concat(part);
        }
        return new FrameMix(normalImages, anomalies, rate, seed);
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

    /**
     * The images of the next {@code count} frames, in the order {@link #next} draws them: a mix built
     * with the same arguments and seed gives the images a simulator sent, frame {@code i} at {@code i}.
     */
    public ImageSet take(int count) {
        ImageSet first = normal;
        byte[] px = new byte[count * first.pixelsPerImage()];
        String[] labels = new String[count];
        for (int i = 0; i < count; i++) {
            Pick p = next();
            System.arraycopy(p.set().pixels(), p.index() * first.pixelsPerImage(), px, i * first.pixelsPerImage(),
                    first.pixelsPerImage());
            labels[i] = p.set().label(p.index());
        }
        return new ImageSet("frames", first.width(), first.height(), px, labels);
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
