package io.frameguard.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.frameguard.model.inspection.InspectionNetwork;
import org.junit.jupiter.api.Test;

class FlopsTest {
    /**
     * The draem network's convolutions counted by hand from {@link InspectionNetwork#build}, for width w
     * and c channels on an S x S frame: output pixels x input maps x output maps x kernel area.
     */
    private static double byHand(int s, int w, int c) {
        double half = (s / 2.0) * (s / 2.0);
        double quarter = half / 4;
        double eighth = quarter / 4;
        double macs = half * c * w * 4 // r1 2x2 stride 2
                + quarter * w * 2 * w * 9 // r2
                + quarter * 2 * w * 2 * w * 9 // r3
                + half * 2 * w * w * 9 // r4
                + (double) s * s * w * c // r5 1x1
                + half * 2 * c * w * 4 // s1 over image and reconstruction
                + half * w * 2 * w * 9 // s2
                + quarter * 2 * w * 2 * w * 9 * 2 // s3, s4
                + eighth * 2 * w * 4 * w * 9 // s5
                + eighth * 4 * w * 4 * w * 9 // s6
                + quarter * 6 * w * 2 * w * 9 // s7 over s6 up and s4
                + half * 4 * w * w * 9 // s8 over s7 up and s2
                + half * w * 2; // s9 1x1 to two classes
        return 2 * macs;
    }

    @Test
    void shouldCountTheInspectionNetworksConvolutionsAsByHand() {
        for (int[] swc : new int[][] {{256, 24, 1}, {256, 8, 1}, {64, 8, 3}}) {
            var net = InspectionNetwork.build(swc[2], swc[1], 64, 1e-3, 1L);
            assertThat(Flops.perFrame(net.getConfiguration(), swc[0], swc[2]))
                    .isCloseTo(byHand(swc[0], swc[1], swc[2]), within(1.0));
        }
        assertThat(byHand(256, 24, 1) / 1e9).isCloseTo(2.732, within(0.001));
    }
}
