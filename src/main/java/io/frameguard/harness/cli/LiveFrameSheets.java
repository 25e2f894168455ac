package io.frameguard.harness.cli;

import io.frameguard.avro.AnomalyEvent;
import io.frameguard.avro.FrameScore;
import io.frameguard.data.synth.DefectFolder;
import io.frameguard.evaluation.HeatMaps;
import io.frameguard.evaluation.HtmlReport;
import io.frameguard.harness.traffic.CameraSimulator;
import io.frameguard.harness.traffic.SurfaceLine;
import io.frameguard.model.ErrorRegion;
import io.frameguard.model.inspection.InspectionBundle;
import io.frameguard.model.inspection.InspectionScorer.Judgement;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The frames of an inspection run a person checks first: the flagged ones and the highest-scoring
 * normal ones, each as a pair: the model's anomaly map over the frame with the regions the live
 * detector's event reported (or, for a frame it did not flag, the regions an event would have), and
 * beside it the frame with its ground-truth defect mask and box. Frames are drawn again from a
 * fresh {@link SurfaceLine} built like the cameras', maps by the bundle's scorer (the one the
 * detector runs).
 */
final class LiveFrameSheets {
    static final int FLAGGED = 12;
    static final int WORST_NORMAL = 6;
    private static final int COLUMNS = 4;

    private final List<FrameScore> scores;
    private final Map<String, AnomalyEvent> events;
    private final Map<Integer, SurfaceLine.Shot> shots;
    private final InspectionBundle bundle;

    LiveFrameSheets(List<FrameScore> scores, List<AnomalyEvent> events, SurfaceLine fresh, long sent, InspectionBundle bundle) {
        this.scores = scores;
        this.events = events.stream().collect(Collectors.toMap(AnomalyEvent::getFrameId, e -> e, (a, b) -> a));
        this.bundle = bundle;
        Set<Integer> wanted = new HashSet<>();
        for (FrameScore s : picks(FrameScore::getIsAnomaly, FLAGGED)) {
            wanted.add(CameraSimulator.frameNumber(s.getFrameId()));
        }
        for (FrameScore s : picks(this::normal, WORST_NORMAL)) {
            wanted.add(CameraSimulator.frameNumber(s.getFrameId()));
        }
        this.shots = fresh.shots(sent, wanted);
    }

    List<HtmlReport.Figure> figures() {
        List<HtmlReport.Figure> out = new ArrayList<>();
        List<FrameScore> flagged = picks(FrameScore::getIsAnomaly, FLAGGED);
        long allFlagged = scores.stream().filter(FrameScore::getIsAnomaly).count();
        if (!flagged.isEmpty()) {
            out.add(new HtmlReport.Figure("Flagged frames", String.format(Locale.ROOT, "The %d highest-scoring of the"
                    + " %d frames the live detector flagged. Pairs: the anomaly map over the frame, boxed where the"
                    + " event says; the frame with its ground-truth defect mask and box.", flagged.size(), allFlagged),
                    sheet(flagged)));
        }
        List<FrameScore> worst = picks(this::normal, WORST_NORMAL);
        if (!worst.isEmpty()) {
            out.add(new HtmlReport.Figure("Worst normal frames", String.format(Locale.ROOT, "The %d highest-scoring clean"
                    + " frames: false alarms (over the threshold) first, then near misses. Boxes on a frame the detector"
                    + " did not flag are the regions its event would have carried.", worst.size()), sheet(worst)));
        }
        return out;
    }

    private boolean normal(FrameScore s) {
        return DefectFolder.GOOD.equals(s.getLabel());
    }

    /** Up to {@code most} scores passing {@code keep}, the highest first. */
    private List<FrameScore> picks(Predicate<FrameScore> keep, int most) {
        return scores.stream().filter(keep).sorted(Comparator.comparingDouble(FrameScore::getScore).reversed())
                .limit(most).toList();
    }

    private BufferedImage sheet(List<FrameScore> picked) {
        List<SurfaceLine.Shot> frames = picked.stream().map(s -> shots.get(CameraSimulator.frameNumber(s.getFrameId()))).toList();
        List<Judgement> maps = bundle.scorer(8).score(frames.stream().map(SurfaceLine.Shot::image).toList());
        List<BufferedImage> tiles = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int k = 0; k < picked.size(); k++) {
            FrameScore s = picked.get(k);
            SurfaceLine.Shot shot = frames.get(k);
            Judgement j = maps.get(k);
            tiles.add(HeatMaps.overlay(shot.image(), j.map(), j.width(), j.height(), regions(s, j), 1));
            captions.add(String.format(Locale.ROOT, "%s  %s\n%.3f %s %.3f  %s", s.getFrameId(), s.getLabel(), s.getScore(),
                    s.getIsAnomaly() ? ">" : "<=", s.getThreshold(), verdict(s)));
            tiles.add(HeatMaps.overlay(shot.image(), shot.mask() == null ? null : shot.mask().pixels(), shot.image().width(),
                    shot.image().height(), shot.truth(), 1));
            captions.add(shot.mask() == null ? "clean frame\n(no defect drawn)" : "ground truth\n" + shot.label());
        }
        return HeatMaps.sheet(tiles, captions, COLUMNS);
    }

    /** The regions of the frame's event, or of its map where the detector sent none. */
    private List<Rectangle> regions(FrameScore s, Judgement j) {
        AnomalyEvent e = events.get(s.getFrameId());
        if (e == null) {
            return ErrorRegion.regions(j.map(), j.width(), j.height());
        }
        return e.getRegions().stream().map(b -> new Rectangle(b.getX(), b.getY(), b.getWidth(), b.getHeight())).toList();
    }

    private String verdict(FrameScore s) {
        boolean defect = !normal(s);
        return s.getIsAnomaly() ? (defect ? "caught" : "false alarm") : (defect ? "missed" : "near miss");
    }
}
