package io.frameguard.stream;

import io.frameguard.model.ModelBundle;
import io.frameguard.model.Scorer;
import io.frameguard.model.Scorer.Scores;
import java.util.List;

/**
 * The bundle's {@link Scorer}, one per stream thread: DL4J networks are not safe to share between
 * threads, so each thread scores with its own clone of the network.
 */
public final class BundleBatchScorer implements BatchScorer {
    private final ModelBundle bundle;
    private final ThreadLocal<Scorer> scorers;

    public BundleBatchScorer(ModelBundle bundle) {
        this.bundle = bundle;
        Scorer first = new Scorer(bundle);
        Thread owner = Thread.currentThread();
        this.scorers = ThreadLocal.withInitial(() -> Thread.currentThread() == owner ? first
                : new Scorer(new ModelBundle(bundle.network().clone(), bundle.metadata())));
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

    public double[] calibrationScores() {
        return bundle.metadata().calibration().scores();
    }

    public List<String> normalLabels() {
        return bundle.metadata().training().normalLabels();
    }

    public Scores score(byte[] pixels, int count, boolean withErrorMaps) {
        Scorer s = scorers.get();
        return s.score(pixels, 0, count, withErrorMaps);
    }
}
