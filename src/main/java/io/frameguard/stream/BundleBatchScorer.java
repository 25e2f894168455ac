package io.frameguard.stream;

import io.frameguard.model.ModelBundle;
import io.frameguard.model.ScoreFunction;
import io.frameguard.model.Scorer;
import io.frameguard.model.Scorer.Scores;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bundle's {@link Scorer}, one per thread scoring at once: DL4J networks are not safe to share
 * between threads, so each call scores with a clone of the network no other thread is using
 * ({@link NetworkCopies}).
 *
 * <p>With {@code threads > 1} a batch is cut into up to that many parts of at least
 * {@value #MIN_ROWS_PER_PART} frames; the calling stream thread scores the first and helper threads
 * the others, side by side. ND4J runs each forward pass on one core (the launcher sets
 * {@code OMP_NUM_THREADS=1}, which is faster on few cores than OpenMP inside each product), so this is
 * how one stream thread's batch uses a second core. A frame's score does not depend on the part it
 * is scored in: every row of a forward pass is computed on its own.
 */
public final class BundleBatchScorer implements BatchScorer, AutoCloseable {
    /** Fewer frames than this per part and the batch is not split: the hand-off would cost more than it saves. */
    static final int MIN_ROWS_PER_PART = 32;

    private final ModelBundle bundle;
    private final NetworkCopies<Scorer> scorers;
    private final int threads;
    private final ExecutorService helpers;

    public BundleBatchScorer(ModelBundle bundle) {
        this(bundle, 1);
    }

    public BundleBatchScorer(ModelBundle bundle, int threads) {
        this.bundle = bundle;
        this.threads = threads;
        this.scorers = new NetworkCopies<>(new Scorer(bundle), () -> new Scorer(bundle.withClonedNetwork()));
        this.helpers = helpers(threads, "frameguard-scorer-");
    }

    /**
     * The {@code threads - 1} daemon helper threads, named {@code prefix} and a number, that score the
     * parts of a batch beside the calling thread; null for one thread.
     */
    static ExecutorService helpers(int threads, String prefix) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        AtomicInteger n = new AtomicInteger();
        return threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public String modelId() {
        return bundle.modelId();
    }

    public String modelVersion() {
        return "frameguard " + bundle.metadata().versions().getOrDefault("frameguard", "dev") + ", bundle format "
                + bundle.metadata().formatVersion();
    }

    public int width() {
        return bundle.metadata().preprocessing().width();
    }

    public int height() {
        return bundle.metadata().preprocessing().height();
    }

    public ScoreFunction scoreFunction() {
        return bundle.metadata().scoreFunction();
    }

    public double[] calibrationScores() {
        return bundle.metadata().calibration().scores();
    }

    public List<String> normalLabels() {
        return bundle.metadata().training().normalLabels();
    }

    public Scores score(byte[] pixels, int count, boolean withErrorMaps) {
        int parts = Math.min(threads, count / MIN_ROWS_PER_PART);
        if (parts <= 1) {
            return scorers.apply(s -> s.score(pixels, 0, count, withErrorMaps));
        }
        int[] from = new int[parts + 1];
        for (int p = 0; p <= parts; p++) {
            from[p] = (int) ((long) count * p / parts);
        }
        List<Future<Scores>> others = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            int first = from[p];
            int n = from[p + 1] - first;
            others.add(helpers.submit(() -> scorers.apply(s -> s.score(pixels, first, n, withErrorMaps))));
        }
        Scores head = scorers.apply(s -> s.score(pixels, 0, from[1], withErrorMaps));
        int perImage = head.pixels();
        double[] scores = new double[count];
        float[] maps = withErrorMaps ? new float[count * perImage] : null;
        for (int p = 0; p < parts; p++) {
            Scores part = p == 0 ? head : await(others.get(p - 1));
            System.arraycopy(part.scores(), 0, scores, from[p], part.scores().length);
            if (maps != null) {
                System.arraycopy(part.errorMaps(), 0, maps, from[p] * perImage, part.errorMaps().length);
            }
        }
        return new Scores(scores, maps, perImage);
    }

    /** A part's result; its failure rethrown as it was thrown. */
    static <T> T await(Future<T> part) {
        try {
            return part.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("scoring failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scoring", e);
        }
    }

    /** Copies of the network made so far, the first included. */
    int networkCopies() {
        return scorers.made();
    }

    /** Stops the helper threads. */
    @Override
    public void close() {
        if (helpers != null) {
            helpers.shutdownNow();
        }
    }
}
