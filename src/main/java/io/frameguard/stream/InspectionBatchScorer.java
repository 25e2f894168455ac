package io.frameguard.stream;

import io.frameguard.avro.ImageFrame;
import io.frameguard.data.Raster;
import io.frameguard.model.ScoreFunction;
import io.frameguard.model.Scorer.Scores;
import io.frameguard.model.inspection.InspectionBundle;
import io.frameguard.model.inspection.InspectionScorer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * An inspection bundle for the stream: frames of any size at least the bundle's tile, with its
 * channels, scored by their anomaly maps. One network copy per thread scoring at once
 * ({@link NetworkCopies}: DL4J graphs keep per-call state); frames of one size in a batch share
 * forward passes.
 *
 * <p>With {@code threads > 1} a batch of two frames or more is cut into up to that many parts; the
 * calling stream thread scores the first and helper threads the others, side by side, as
 * {@link BundleBatchScorer} does: one camera-sized frame is milliseconds of work, so even a part of
 * one frame is worth handing off. A frame's map does not depend on its part: every frame of a pass
 * is computed on its own.
 */
public final class InspectionBatchScorer implements BatchScorer, AutoCloseable {
    /** Frames per forward pass: a 256×256 frame's activations are ~40 MB, so passes stay small. */
    static final int MAX_PASS = 8;

    private final InspectionBundle bundle;
    private final NetworkCopies<InspectionScorer> scorers;
    private final int threads;
    private final ExecutorService helpers;

    public InspectionBatchScorer(InspectionBundle bundle) {
        this(bundle, 1);
    }

    /** @param threads threads scoring the parts of a batch, the calling thread among them */
    public InspectionBatchScorer(InspectionBundle bundle, int threads) {
        this.bundle = bundle;
        this.threads = threads;
        this.scorers = new NetworkCopies<>(bundle.scorer(MAX_PASS),
                () -> new InspectionBundle(bundle.network().clone(), bundle.metadata()).scorer(MAX_PASS));
        this.helpers = BundleBatchScorer.helpers(threads, "frameguard-inspection-scorer-");
    }

    /** Each raster's judgement, the batch cut into parts scored side by side when there are helper threads. */
    private List<InspectionScorer.Judgement> judge(List<Raster> rasters) {
        int parts = Math.min(threads, rasters.size());
        if (parts <= 1) {
            return scorers.apply(s -> s.score(rasters));
        }
        List<Future<List<InspectionScorer.Judgement>>> others = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            List<Raster> part = rasters.subList(rasters.size() * p / parts, rasters.size() * (p + 1) / parts);
            others.add(helpers.submit(() -> scorers.apply(s -> s.score(part))));
        }
        List<InspectionScorer.Judgement> out = new ArrayList<>(rasters.size());
        out.addAll(scorers.apply(s -> s.score(rasters.subList(0, rasters.size() / parts))));
        for (Future<List<InspectionScorer.Judgement>> part : others) {
            out.addAll(BundleBatchScorer.await(part));
        }
        return out;
    }

    /** Stops the helper threads. */
    @Override
    public void close() {
        if (helpers != null) {
            helpers.shutdownNow();
        }
    }

    @Override
    public String modelId() {
        return bundle.metadata().modelId();
    }

    @Override
    public String modelVersion() {
        return "frameguard " + bundle.metadata().versions().getOrDefault("frameguard", "dev") + ", inspection bundle format "
                + bundle.metadata().formatVersion();
    }

    @Override
    public int width() {
        return bundle.metadata().tile();
    }

    @Override
    public int height() {
        return bundle.metadata().tile();
    }

    @Override
    public boolean anyFrameSize() {
        return true;
    }

    @Override
    public int channels() {
        return bundle.metadata().channels();
    }

    @Override
    public ScoreFunction scoreFunction() {
        return ScoreFunction.ANOMALY_MAP;
    }

    @Override
    public double[] calibrationScores() {
        return bundle.metadata().calibration().scores();
    }

    /** The calibration (scores of tile-sized crops) scaled to frames of {@code width × height}. */
    @Override
    public double[] calibrationScores(int width, int height) {
        return bundle.metadata().calibrationFor(width, height);
    }

    /** Inspection models learn from unlabelled normal images: a frame labelled "good" is normal. */
    @Override
    public List<String> normalLabels() {
        return List.of("good");
    }

    @Override
    public Judged score(List<ImageFrame> frames, boolean withMaps) {
        List<Raster> rasters = new ArrayList<>(frames.size());
        for (ImageFrame f : frames) {
            rasters.add(Raster.ofBytes(FrameValidator.bytes(f.getPixels()), 0, f.getWidth(), f.getHeight(), f.getChannels()));
        }
        List<InspectionScorer.Judgement> judged = judge(rasters);
        double[] scores = new double[judged.size()];
        float[][] maps = withMaps ? new float[judged.size()][] : null;
        for (int i = 0; i < scores.length; i++) {
            scores[i] = judged.get(i).score();
            if (withMaps) {
                maps[i] = judged.get(i).map();
            }
        }
        return new Judged(scores, withMaps ? i -> maps[i] : null);
    }

    /** Tile-sized frames back to back. */
    @Override
    public Scores score(byte[] pixels, int count, boolean withErrorMaps) {
        int tile = width();
        int n = tile * tile * channels();
        List<Raster> rasters = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rasters.add(Raster.ofBytes(pixels, i * n, tile, tile, channels()));
        }
        List<InspectionScorer.Judgement> judged = judge(rasters);
        double[] scores = judged.stream().mapToDouble(InspectionScorer.Judgement::score).toArray();
        float[] maps = null;
        if (withErrorMaps) {
            maps = new float[count * tile * tile];
            for (int i = 0; i < count; i++) {
                System.arraycopy(judged.get(i).map(), 0, maps, i * tile * tile, tile * tile);
            }
        }
        return new Scores(scores, maps, tile * tile);
    }
}
