package io.frameguard.training.inspection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frameguard.data.Raster;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AnomalySynthesisTest {

    /** A mid-gray crop with a fine checker, so that every filling changes the pixels it covers. */
    private static Raster checker(int side) {
        Raster r = Raster.blank(side, side, 1);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                r.set(x, y, 0, ((x + y) & 1) == 0 ? 0.4f : 0.6f);
            }
        }
        return r;
    }

    @Test
    void shouldBlendSomeAnomaliesWithSoftEdgesAndSomeWithHardOnesNeverWithAnEmptyMask() {
        Raster clean = checker(64);
        AnomalySynthesis synthesis = new AnomalySynthesis(List.of(checker(128)));
        Random random = new Random(3);
        int soft = 0;
        int hard = 0;
        int samples = 300;
        for (int i = 0; i < samples; i++) {
            AnomalySynthesis.Sample s = synthesis.apply(clean, random);
            int masked = 0;
            int changedOutside = 0;
            for (int p = 0; p < 64 * 64; p++) {
                boolean changed = Math.abs(s.image().pixels()[p] - clean.pixels()[p]) > 1e-6f;
                if (s.mask().pixels()[p] > 0) {
                    masked++;
                } else if (changed) {
                    changedOutside++;
                }
            }
            assertTrue(masked > 0, "sample " + i + " has an empty mask");
            if (changedOutside > 0) {
                soft++;
            } else {
                hard++;
            }
        }
        // four in five are drawn with a soft edge; 140 of these 300 change a pixel outside their mask
        assertTrue(soft > samples / 3, soft + " of " + samples + " samples have a soft edge");
        assertTrue(hard > samples / 10, hard + " of " + samples + " samples have a hard edge");
    }

    @Test
    void shouldSoftenARegionsEdgeAndKeepAHardRegionTooThinToSurviveSoftening() {
        int w = 16;
        float[] square = new float[w * w];
        for (int y = 4; y < 12; y++) {
            for (int x = 4; x < 12; x++) {
                square[y * w + x] = 1;
            }
        }
        float[] soft = AnomalySynthesis.feathered(square, w, w, 2);
        assertEquals(1f, soft[8 * w + 8], 1e-6f, "the middle stays fully blended");
        assertTrue(soft[8 * w + 3] > 0 && soft[8 * w + 3] < 0.5f, "just outside the edge is blended a little: " + soft[8 * w + 3]);
        assertTrue(soft[8 * w + 4] >= 0.5f && soft[8 * w + 4] < 1f, "just inside the edge is blended partly: " + soft[8 * w + 4]);

        float[] line = new float[w * w];
        for (int x = 2; x < 14; x++) {
            line[8 * w + x] = 1;
        }
        assertArrayEquals(line, AnomalySynthesis.feathered(line, w, w, 2), "a one-pixel line would fall under one half everywhere");
        assertArrayEquals(square, AnomalySynthesis.feathered(square, w, w, 0));
    }
}
