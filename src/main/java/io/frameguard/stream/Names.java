package io.frameguard.stream;

/** Node and store names of the topology; stable, since store names name changelog topics. */
public final class Names {
    public static final String SOURCE = "frames-source";
    public static final String DECODE = "decode";
    public static final String BATCHER = "batcher";
    public static final String THRESHOLDS = "thresholds";
    public static final String SCORES_SINK = "frame-scores-sink";
    public static final String ANOMALIES_SINK = "anomalies-sink";
    public static final String DLQ_SINK = "dead-letter-sink";
    /** The shadow model's judge and its output (only with shadow.model.path). */
    public static final String SHADOW = "shadow-thresholds";
    public static final String SHADOW_SCORES_SINK = "shadow-scores-sink";
    /** Frames waiting for their batch. */
    public static final String BATCH_STORE = "frameguard-batch";
    /**
     * Rolling normal-score windows and thresholds per model and source. Renamed when states became
     * per model: the states of the old store (per source only) are not carried over, and each source
     * starts again from its model's calibration once.
     */
    public static final String THRESHOLD_STORE = "frameguard-thresholds-by-model";
    /** The shadow model's threshold states, kept apart so they never take a live source's place. */
    public static final String SHADOW_THRESHOLD_STORE = "frameguard-shadow-thresholds";

    /** The threshold store's key of {@code source} judged by {@code modelId}. */
    public static String thresholdKey(String modelId, String source) {
        return modelId + "|" + source;
    }

    private Names() {
    }
}
