package io.frameguard.evaluation;

import io.frameguard.data.Raster;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Pictures a person reads at a glance: an image with its anomaly map laid over it as a translucent
 * colour heat map and its anomalous regions boxed, and sheets of such pictures with captions. Any
 * image size, gray or RGB.
 */
public final class HeatMaps {
    /** Blue (no error) → cyan → green → yellow → red (the largest error in the map). */
    private static final int[][] RAMP = {{0, 0, 255}, {0, 255, 255}, {0, 255, 0}, {255, 255, 0}, {255, 0, 0}};
    /** Opacity of the heat colour at the map's largest error; it fades linearly to 0 at no error. */
    private static final double MAX_ALPHA = 0.7;
    private static final Color BOX = new Color(0xff, 0x00, 0xff);
    private static final int GAP = 6;

    private HeatMaps() {
    }

    /**
     * {@code image} enlarged {@code scale}× (nearest neighbour), with {@code map} over it and
     * {@code boxes} drawn as rectangles.
     *
     * @param map anomaly values, row-major, {@code mapWidth × mapHeight}; stretched over the whole
     *     image (nearest neighbour) and coloured relative to its own largest value; null for none
     * @param boxes regions in image pixel coordinates; may be empty
     * @param scale enlargement, at least 1
     */
    public static BufferedImage overlay(Raster image, float[] map, int mapWidth, int mapHeight, List<Rectangle> boxes,
                                        int scale) {
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be at least 1, got " + scale);
        }
        if (map != null && (mapWidth <= 0 || mapHeight <= 0 || map.length != mapWidth * mapHeight)) {
            throw new IllegalArgumentException("a map of " + (map.length) + " values is not " + mapWidth + "x" + mapHeight);
        }
        int w = image.width();
        int h = image.height();
        float max = 0;
        if (map != null) {
            for (float v : map) {
                max = Math.max(max, v);
            }
        }
        BufferedImage out = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w * scale];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double heat = max > 0 ? map[(y * mapHeight / h) * mapWidth + x * mapWidth / w] / max : 0;
                int rgb = blend(pixel(image, x, y), Math.max(0, Math.min(1, heat)));
                java.util.Arrays.fill(row, x * scale, (x + 1) * scale, rgb);
            }
            for (int k = 0; k < scale; k++) {
                out.setRGB(0, y * scale + k, row.length, 1, row, 0, row.length);
            }
        }
        drawBoxes(out, boxes, scale);
        return out;
    }

    /**
     * Tiles in a grid of {@code columns}, each above its caption ({@code \n} breaks lines), on a
     * white page; {@code captions} may be null, otherwise one per tile.
     */
    public static BufferedImage sheet(List<BufferedImage> tiles, List<String> captions, int columns) {
        if (tiles.isEmpty() || columns < 1) {
            throw new IllegalArgumentException("a sheet needs tiles and at least one column, got " + tiles.size()
                    + " tiles in " + columns + " columns");
        }
        if (captions != null && captions.size() != tiles.size()) {
            throw new IllegalArgumentException(captions.size() + " captions for " + tiles.size() + " tiles");
        }
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        FontMetrics fm = probe.createGraphics().getFontMetrics(font);
        int lines = captions == null ? 0 : captions.stream().mapToInt(c -> c.split("\n", -1).length).max().orElse(0);
        int cellW = Math.max(tiles.stream().mapToInt(BufferedImage::getWidth).max().orElseThrow(),
                captions == null ? 0 : captions.stream().flatMap(c -> java.util.Arrays.stream(c.split("\n")))
                        .mapToInt(fm::stringWidth).max().orElse(0));
        int tileH = tiles.stream().mapToInt(BufferedImage::getHeight).max().orElseThrow();
        int cellH = tileH + lines * fm.getHeight() + (lines > 0 ? 4 : 0);
        int cols = Math.min(columns, tiles.size());
        int rows = (tiles.size() + cols - 1) / cols;
        BufferedImage out = new BufferedImage(GAP + cols * (cellW + GAP), GAP + rows * (cellH + GAP), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.setFont(font);
            g.setColor(new Color(0x222222));
            for (int i = 0; i < tiles.size(); i++) {
                int x = GAP + (i % cols) * (cellW + GAP);
                int y = GAP + (i / cols) * (cellH + GAP);
                g.drawImage(tiles.get(i), x, y, null);
                if (captions != null) {
                    String[] text = captions.get(i).split("\n", -1);
                    for (int l = 0; l < text.length; l++) {
                        g.drawString(text[l], x, y + tileH + 2 + fm.getAscent() + l * fm.getHeight());
                    }
                }
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    private static int pixel(Raster image, int x, int y) {
        float[] px = image.pixels();
        int i = (y * image.width() + x) * image.channels();
        int r = to8(px[i]);
        return image.channels() == 1 ? r << 16 | r << 8 | r : r << 16 | to8(px[i + 1]) << 8 | to8(px[i + 2]);
    }

    private static int blend(int rgb, double heat) {
        double a = MAX_ALPHA * heat;
        int[] c = colour(heat);
        int r = (int) Math.round((rgb >> 16 & 0xff) * (1 - a) + c[0] * a);
        int g = (int) Math.round((rgb >> 8 & 0xff) * (1 - a) + c[1] * a);
        int b = (int) Math.round((rgb & 0xff) * (1 - a) + c[2] * a);
        return r << 16 | g << 8 | b;
    }

    /** The ramp's colour at {@code v} in [0, 1], linearly between its stops. */
    static int[] colour(double v) {
        double pos = v * (RAMP.length - 1);
        int lo = Math.min((int) pos, RAMP.length - 2);
        double t = pos - lo;
        int[] c = new int[3];
        for (int k = 0; k < 3; k++) {
            c[k] = (int) Math.round(RAMP[lo][k] + t * (RAMP[lo + 1][k] - RAMP[lo][k]));
        }
        return c;
    }

    private static void drawBoxes(BufferedImage out, List<Rectangle> boxes, int scale) {
        if (boxes == null || boxes.isEmpty()) {
            return;
        }
        int stroke = Math.max(2, Math.max(out.getWidth(), out.getHeight()) / 128);
        Graphics2D g = out.createGraphics();
        try {
            g.setStroke(new BasicStroke(stroke));
            g.setColor(BOX);
            for (Rectangle b : boxes) {
                // the stroke is centred on the path: inset by half of it so the whole line stays on the region's edge
                int half = stroke / 2;
                g.drawRect(b.x * scale + half, b.y * scale + half, Math.max(1, b.width * scale - stroke),
                        Math.max(1, b.height * scale - stroke));
            }
        } finally {
            g.dispose();
        }
    }

    private static int to8(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255)));
    }
}
