package io.frameguard.evaluation;

import io.frameguard.data.ImageSet;
import io.frameguard.data.Raster;
import io.frameguard.model.ErrorRegion;
import io.frameguard.model.Scorer;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The frames a person checks first, each with its |input − reconstruction| heat map and the box the
 * stream would put in its anomaly event ({@link ErrorRegion}): the flagged frames, and the normal
 * frames that scored highest (false alarms and near misses).
 */
final class FrameSheets {
    static final int TILES = 24;
    private static final int COLUMNS = 8;
    private static final int SCALE = 4;

    private FrameSheets() {
    }

    /** A sheet and what it shows, in words for its caption. */
    record Sheet(BufferedImage image, String caption) {
    }

    /** Up to {@link #TILES} frames over the threshold, evenly spread from the highest score to the lowest flagged one. */
    static Sheet flagged(LabelledScores s, double threshold, ImageSet images, Scorer scorer) {
        int[] flagged = byDescendingScore(s, i -> s.scores()[i] > threshold);
        if (flagged.length == 0) {
            return null;
        }
        int n = Math.min(TILES, flagged.length);
        int[] picks = IntStream.range(0, n)
                .map(k -> flagged[n == 1 ? 0 : (int) Math.round(k * (flagged.length - 1.0) / (n - 1))]).toArray();
        String caption = String.format(Locale.ROOT, "%,d of %,d frames scored over the threshold %.4f; %d of them,"
                + " evenly spread from the highest score to the lowest flagged one.", flagged.length, s.size(), threshold, n);
        return new Sheet(render(s, threshold, images, scorer, picks), caption);
    }

    /** The {@link #TILES} highest-scoring normal frames: false alarms (over the threshold) first, then near misses. */
    static Sheet worstNormal(LabelledScores s, double threshold, ImageSet images, Scorer scorer) {
        int[] normal = byDescendingScore(s, i -> !s.anomaly()[i]);
        if (normal.length == 0) {
            return null;
        }
        int[] picks = java.util.Arrays.copyOf(normal, Math.min(TILES, normal.length));
        long falseAlarms = IntStream.of(normal).filter(i -> s.scores()[i] > threshold).count();
        String caption = String.format(Locale.ROOT, "The %d highest-scoring of %,d normal frames; %,d normal frames in all"
                + " scored over the threshold %.4f (false alarms).", picks.length, normal.length, falseAlarms, threshold);
        return new Sheet(render(s, threshold, images, scorer, picks), caption);
    }

    private static int[] byDescendingScore(LabelledScores s, java.util.function.IntPredicate keep) {
        return IntStream.range(0, s.size()).filter(keep).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> s.scores()[i]).reversed())
                .mapToInt(Integer::intValue).toArray();
    }

    private static BufferedImage render(LabelledScores s, double threshold, ImageSet images, Scorer scorer, int[] picks) {
        ImageSet picked = images.subset(picks);
        Scorer.Scores scores = scorer.score(scorer.preprocessing().toInput(picked.pixels(), 0, picked.size()), true);
        int w = images.width();
        int h = images.height();
        List<BufferedImage> tiles = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int k = 0; k < picks.length; k++) {
            float[] map = scores.errorMap(k);
            Rectangle box = ErrorRegion.of(map, w, h);
            Raster frame = Raster.ofBytes(picked.pixels(), k * w * h, w, h, 1);
            tiles.add(HeatMaps.overlay(frame, map, w, h, box == null ? List.of() : List.of(box), SCALE));
            int i = picks[k];
            String verdict = s.scores()[i] > threshold ? (s.anomaly()[i] ? "caught" : "false alarm")
                    : (s.anomaly()[i] ? "missed" : "near miss");
            captions.add(String.format(Locale.ROOT, "label %s\n%.4f %s", s.labels()[i], s.scores()[i], verdict));
        }
        return HeatMaps.sheet(tiles, captions, COLUMNS);
    }
}
