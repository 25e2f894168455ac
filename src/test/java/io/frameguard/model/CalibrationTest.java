package io.frameguard.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Calibration#forArea}: the scores of tile-sized normal images turned into those of frames
 * many tiles large, whose score is the maximum over their tiles.
 */
class CalibrationTest {

    @Test
    void shouldPredictTheScoresOfFramesThatAreTheMaximumOfSixteenTiles() {
        Random random = new Random(3);
        double[] tiles = new double[4000];
        for (int i = 0; i < tiles.length; i++) {
            tiles[i] = random.nextGaussian();
        }
        double[] predicted = Calibration.of(tiles).forArea(16);
        // frames of 16 fresh tiles each, scored as their largest tile
        double[] frames = new double[4000];
        for (int i = 0; i < frames.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int t = 0; t < 16; t++) {
                max = Math.max(max, random.nextGaussian());
            }
            frames[i] = max;
        }
        Arrays.sort(frames);
        for (double q : new double[] {0.1, 0.5, 0.9}) { // 0.9 needs the tiles' 0.9934-quantile: 26 of 4,000 above it
            assertThat(quantile(predicted, q)).as("quantile %s", q).isCloseTo(quantile(frames, q), within(0.08));
        }
        // the tile calibration itself would put the frames' median near the tiles' median, 0
        assertThat(quantile(tiles.clone(), 0.5)).isLessThan(quantile(frames, 0.5) - 1.5);
    }

    @Test
    void shouldLeaveTheScoresAsTheyAreForFramesNoLargerThanATile() {
        Calibration c = Calibration.of(new double[] {0.3, 0.1, 0.2});
        assertThat(c.forArea(1)).containsExactly(0.1, 0.2, 0.3);
        assertThat(c.forArea(0.5)).containsExactly(0.1, 0.2, 0.3);
        double[] four = c.forArea(4);
        assertThat(four).isSorted();
        assertThat(four[0]).isGreaterThan(0.1); // (1/6)^(1/4) = 0.64: the largest of 4 is rarely the smallest
        assertThat(four[2]).isEqualTo(0.3);
    }

    private static double quantile(double[] values, double q) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) (q * s.length))];
    }
}
