package io.frameguard.model.inspection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link SsimMap}: zero where frame and reconstruction agree, high where structure or brightness differ. */
class SsimMapTest {
    static final int W = 48;
    static final int H = 32;

    static float[] texture(long seed) {
        Random r = new Random(seed);
        float[] v = new float[W * H];
        for (int i = 0; i < v.length; i++) {
            v[i] = 0.2f + 0.6f * r.nextFloat();
        }
        return v;
    }

    @Test
    void shouldBeZeroForAPerfectReconstruction() {
        float[] x = texture(1);
        float[] map = SsimMap.dissimilarity(new float[][] {x}, new float[][] {x.clone()}, W, H);
        for (float v : map) {
            assertThat(v).isBetween(0f, 1e-6f);
        }
    }

    @Test
    void shouldMarkABlurredPatchAndABrightenedPatchAndNothingFarFromThem() {
        float[] x = texture(2);
        float[] y = x.clone();
        // left patch: the reconstruction is flat (the texture's structure is gone), right patch: brighter
        for (int yy = 8; yy < 24; yy++) {
            for (int xx = 4; xx < 16; xx++) {
                y[yy * W + xx] = 0.5f;
            }
            for (int xx = 32; xx < 44; xx++) {
                y[yy * W + xx] = Math.min(1f, x[yy * W + xx] + 0.3f);
            }
        }
        float[] map = SsimMap.dissimilarity(new float[][] {x}, new float[][] {y}, W, H);
        assertThat(map[16 * W + 10]).as("flat patch").isGreaterThan(0.4f);
        assertThat(map[16 * W + 38]).as("brighter patch").isGreaterThan(0.03f);
        assertThat(map[16 * W + 24]).as("between them, 8 pixels from each").isLessThan(1e-6f);
        assertThat(map[2 * W + 24]).as("far corner").isLessThan(1e-6f);
    }

    @Test
    void shouldAverageOverChannels() {
        float[] x = texture(3);
        float[] flat = new float[W * H];
        java.util.Arrays.fill(flat, 0.5f);
        float[] one = SsimMap.dissimilarity(new float[][] {x}, new float[][] {flat}, W, H);
        float[] three = SsimMap.dissimilarity(new float[][] {x, x, x}, new float[][] {flat, x.clone(), x.clone()}, W, H);
        assertThat(three[20 * W + 20]).isCloseTo(one[20 * W + 20] / 3, org.assertj.core.api.Assertions.within(1e-5f));
    }
}
