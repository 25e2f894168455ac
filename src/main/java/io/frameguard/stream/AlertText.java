package io.frameguard.stream;

import io.frameguard.avro.AnomalyEvent;

/** An {@link AnomalyEvent} as one line for people: time, source, frame, score over threshold, severity, label, region. */
public final class AlertText {
    private AlertText() {
    }

    public static String of(AnomalyEvent e) {
        String box = e.getBbox() == null ? "" : String.format("  region x=%d y=%d %dx%d", e.getBbox().getX(),
                e.getBbox().getY(), e.getBbox().getWidth(), e.getBbox().getHeight());
        return String.format("%s  %-8s %-16s score %.5f > %.5f  severity %5.2f%s%s", e.getDetectionTime(), e.getSourceId(),
                e.getFrameId(), e.getScore(), e.getThreshold(), e.getSeverity(),
                e.getLabel() == null ? "" : "  label " + e.getLabel(), box);
    }
}
