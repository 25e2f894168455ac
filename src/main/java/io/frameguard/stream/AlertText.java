package io.frameguard.stream;

import io.frameguard.avro.AnomalyEvent;
import io.frameguard.avro.BoundingBox;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An {@link AnomalyEvent} as one line for people: time, source, frame, score over threshold,
 * severity, label, and where: every region the event carries, in frame coordinates (or, in events
 * written before regions existed, its one box).
 */
public final class AlertText {
    /** Regions printed at most; the rest are counted. */
    static final int MAX_SHOWN = 8;

    private AlertText() {
    }

    public static String of(AnomalyEvent e) {
        return String.format("%s  %-8s %-16s score %.5f > %.5f  severity %5.2f%s%s", e.getDetectionTime(), e.getSourceId(),
                e.getFrameId(), e.getScore(), e.getThreshold(), e.getSeverity(),
                e.getLabel() == null ? "" : "  label " + e.getLabel(), where(e));
    }

    private static String where(AnomalyEvent e) {
        List<BoundingBox> regions = e.getRegions();
        if (regions != null && !regions.isEmpty()) {
            String shown = regions.stream().limit(MAX_SHOWN).map(AlertText::box).collect(Collectors.joining(", "));
            int more = regions.size() - MAX_SHOWN;
            return "  regions [" + shown + (more > 0 ? ", +" + more + " more" : "") + "]";
        }
        return e.getBbox() == null ? "" : "  region " + box(e.getBbox());
    }

    private static String box(BoundingBox b) {
        return String.format("x=%d y=%d %dx%d", b.getX(), b.getY(), b.getWidth(), b.getHeight());
    }
}
