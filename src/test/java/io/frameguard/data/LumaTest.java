package io.frameguard.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** BT.601 luma, the same for 8-bit frames and float rasters. */
class LumaTest {
    @Test
    void shouldWeighRedGreenAndBlueByBt601() {
        byte[] gray = Luma.of(new byte[] {(byte) 255, 0, 0, 0, (byte) 255, 0, 0, 0, (byte) 255, (byte) 255, (byte) 255, (byte) 255});
        assertThat(gray).containsExactly((byte) 76, (byte) 150, (byte) 29, (byte) 255);
        assertThat(Luma.of(1f, 0f, 0f)).isEqualTo(0.299f);
    }

    @Test
    void shouldGiveRastersTheLumaOfFramesUpToRounding() {
        Raster rgb = Raster.ofBytes(new byte[] {(byte) 200, 100, 50, 10, 20, (byte) 240}, 0, 2, 1, 3);
        byte[] frame = Luma.of(rgb.toBytes());
        Raster gray = rgb.withChannels(1);
        for (int i = 0; i < frame.length; i++) {
            assertThat(gray.pixels()[i] * 255).isCloseTo(frame[i] & 0xff, within(0.5f));
        }
    }
}
