package io.frameguard.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameguard.data.Raster;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeatMapsTest {
    private static Raster gray(int w, int h, float value) {
        float[] px = new float[w * h];
        Arrays.fill(px, value);
        return new Raster(w, h, 1, px);
    }

    private static Color at(BufferedImage img, int x, int y) {
        return new Color(img.getRGB(x, y));
    }

    @Test
    void shouldColourTheLargestErrorRedAndLeavePixelsWithoutErrorAsTheyAre() {
        float[] map = new float[16];
        map[1 * 4 + 2] = 0.3f;
        BufferedImage out = HeatMaps.overlay(gray(4, 4, 0.5f), map, 4, 4, List.of(), 3);
        assertThat(out.getWidth()).isEqualTo(12);
        assertThat(out.getHeight()).isEqualTo(12);
        Color hot = at(out, 2 * 3 + 1, 1 * 3 + 1);
        assertThat(hot.getRed()).as("hot pixel: red blended over gray").isGreaterThan(200);
        assertThat(hot.getGreen()).isLessThan(60);
        assertThat(hot.getBlue()).isLessThan(60);
        assertThat(at(out, 0, 0)).isEqualTo(new Color(128, 128, 128));
        assertThat(at(out, 11, 11)).isEqualTo(new Color(128, 128, 128));
    }

    @Test
    void shouldKeepTheColoursOfAnRgbImage() {
        float[] px = new float[2 * 2 * 3];
        for (int i = 0; i < 4; i++) {
            px[i * 3] = 1f;
            px[i * 3 + 2] = 0.2f;
        }
        BufferedImage out = HeatMaps.overlay(new Raster(2, 2, 3, px), null, 0, 0, List.of(), 1);
        assertThat(at(out, 1, 1)).isEqualTo(new Color(255, 0, 51));
    }

    @Test
    void shouldStretchASmallerMapOverTheWholeImage() {
        float[] map = {0, 1, 0, 0};
        BufferedImage out = HeatMaps.overlay(gray(8, 8, 0f), map, 2, 2, List.of(), 1);
        assertThat(at(out, 6, 1).getRed()).as("top-right quarter is the hot map cell").isGreaterThan(150);
        assertThat(at(out, 1, 1)).isEqualTo(Color.BLACK);
        assertThat(at(out, 6, 6)).isEqualTo(Color.BLACK);
    }

    @Test
    void shouldDrawBoxesOnTheRegionsEdgeInImageCoordinates() {
        BufferedImage out = HeatMaps.overlay(gray(8, 8, 0f), null, 0, 0, List.of(new Rectangle(2, 2, 4, 4)), 8);
        Color edge = at(out, 2 * 8, 4 * 8);
        assertThat(edge.getRed()).isEqualTo(255);
        assertThat(edge.getBlue()).isEqualTo(255);
        assertThat(at(out, 4 * 8, 4 * 8)).as("inside the box").isEqualTo(Color.BLACK);
        assertThat(at(out, 2 * 8 - 1, 4 * 8)).as("just outside the box").isEqualTo(Color.BLACK);
    }

    @Test
    void shouldLayTilesInRowsOfColumnsWithTheirCaptionsBelow() {
        BufferedImage tile = HeatMaps.overlay(gray(10, 10, 1f), null, 0, 0, List.of(), 1);
        List<BufferedImage> tiles = List.of(tile, tile, tile, tile, tile);
        BufferedImage bare = HeatMaps.sheet(tiles, null, 2);
        BufferedImage captioned = HeatMaps.sheet(tiles, List.of("a", "b", "c", "d", "label 7\n0.5 caught"), 2);
        assertThat(bare.getHeight()).as("three rows").isGreaterThanOrEqualTo(3 * 10).isLessThan(4 * 10 + 20);
        assertThat(captioned.getHeight()).as("two caption lines per row").isGreaterThan(bare.getHeight() + 3 * 2 * 10);
        assertThat(captioned.getWidth()).as("a cell is as wide as its longest caption line").isGreaterThan(bare.getWidth());
    }

    @Test
    void shouldRefuseAMapThatDoesNotMatchItsSize() {
        assertThatThrownBy(() -> HeatMaps.overlay(gray(4, 4, 0f), new float[15], 4, 4, List.of(), 1))
                .hasMessageContaining("15 values").hasMessageContaining("4x4");
    }
}
