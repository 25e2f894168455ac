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
    /** Frames waiting for their batch. */
    public static final String BATCH_STORE = "frameguard-batch";
    /** Rolling normal-score windows and thresholds per source. */
    public static final String THRESHOLD_STORE = "frameguard-thresholds";

    private Names() {
    }
}
