package io.frameguard.stream;

import io.frameguard.avro.ImageFrame;

import io.frameguard.FrameGuardException;
import io.frameguard.model.ScoreFunction;
import io.frameguard.model.Scorer.Scores;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The model a running detector scores with, replaceable while it runs. A replacement takes effect at
 * a batch boundary: {@link #score} takes the model in force and pins it to the calling stream thread,
 * and every other question on that thread ({@link #modelId}, {@link #calibrationScores}, ...) is
 * answered by the pinned model until the thread's next batch. Kafka Streams judges a batch on the
 * thread that scored it, before that thread scores the next, so each batch is scored and judged by
 * one model, and under exactly-once committed with that model's verdicts; a batch that did not
 * commit before a crash is scored again, whole, by the model loaded at restart.
 */
public final class LiveModel implements BatchScorer, AutoCloseable {
    /** How long a replaced model stays open for a batch that began with it. */
    static final long RETIRE_AFTER_S = 60;

    private volatile BatchScorer current;
    private final ThreadLocal<BatchScorer> pinned = new ThreadLocal<>();
    private final ScheduledExecutorService retirement = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "frameguard-model-retirement");
        t.setDaemon(true);
        return t;
    });

    public LiveModel(BatchScorer first) {
        this.current = first;
    }

    /**
     * Puts {@code next} in force for the following batches. It must take frames of the same size: the
     * topology validates frames against the size it was built with.
     */
    public void replace(BatchScorer next) {
        BatchScorer old = current;
        if (next.width() != old.width() || next.height() != old.height() || next.anyFrameSize() != old.anyFrameSize()
                || next.channels() != old.channels()) {
            throw new FrameGuardException("model " + next.modelId() + " takes " + describe(next) + " frames, the running model "
                    + old.modelId() + " " + describe(old) + "; a model of another input needs a restart");
        }
        current = next;
        retirement.schedule(() -> closeQuietly(old), RETIRE_AFTER_S, TimeUnit.SECONDS);
    }

    /** The model in force for new batches. */
    public BatchScorer current() {
        return current;
    }

    private BatchScorer model() {
        BatchScorer p = pinned.get();
        return p != null ? p : current;
    }

    private static String describe(BatchScorer m) {
        return (m.anyFrameSize() ? "at least " : "") + m.width() + "x" + m.height() + (m.channels() == 3 ? " RGB" : " gray");
    }

    @Override
    public Judged score(List<ImageFrame> frames, boolean withMaps) {
        BatchScorer m = current;
        pinned.set(m);
        return m.score(frames, withMaps);
    }

    @Override
    public boolean anyFrameSize() {
        return model().anyFrameSize();
    }

    @Override
    public int channels() {
        return model().channels();
    }

    @Override
    public Scores score(byte[] pixels, int count, boolean withErrorMaps) {
        BatchScorer m = current;
        pinned.set(m);
        return m.score(pixels, count, withErrorMaps);
    }

    public String modelId() {
        return model().modelId();
    }

    public String modelVersion() {
        return model().modelVersion();
    }

    public int width() {
        return model().width();
    }

    public int height() {
        return model().height();
    }

    public ScoreFunction scoreFunction() {
        return model().scoreFunction();
    }

    public double[] calibrationScores() {
        return model().calibrationScores();
    }

    @Override
    public double[] calibrationScores(int width, int height) {
        return model().calibrationScores(width, height);
    }

    public List<String> normalLabels() {
        return model().normalLabels();
    }

    @Override
    public void close() {
        retirement.shutdownNow();
        closeQuietly(current);
    }

    private static void closeQuietly(BatchScorer s) {
        if (s instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                // a scorer's close only stops its helper threads
            }
        }
    }
}
