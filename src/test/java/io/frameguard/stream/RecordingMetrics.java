package io.frameguard.stream;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Metrics that remember the sources they were told about, for topology tests. */
final class RecordingMetrics implements DetectorMetrics {
    final List<String> scored = new CopyOnWriteArrayList<>();
    final List<String> thresholds = new CopyOnWriteArrayList<>();
    final List<String> expired = new CopyOnWriteArrayList<>();

    public void frameScored(String source) {
        scored.add(source);
    }

    public void batchScored(int size, double seconds) {
    }

    public void anomaly(String source) {
    }

    public void deadLetter(DeadLetter.Reason reason) {
    }

    public void threshold(String source, double value) {
        thresholds.add(source);
    }

    @Override
    public void sourceExpired(String source) {
        expired.add(source);
    }
}
