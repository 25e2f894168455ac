package io.frameguard.data;

/**
 * ITU-R BT.601 luma, the one conversion of colour to gray: for colour image files read as gray,
 * {@link Raster#withChannels}, and RGB frames sent to a gray model.
 */
public final class Luma {
    public static final double RED = 0.299;
    public static final double GREEN = 0.587;
    public static final double BLUE = 0.114;

    private Luma() {
    }

    /** The luma of one pixel, channels in [0, 1], in float arithmetic as rasters keep their pixels. */
    public static float of(float red, float green, float blue) {
        return (float) RED * red + (float) GREEN * green + (float) BLUE * blue;
    }

    /** The luma of interleaved 8-bit RGB pixels, rounded to 8 bits: one byte per pixel. */
    public static byte[] of(byte[] rgb) {
        byte[] gray = new byte[rgb.length / 3];
        for (int i = 0; i < gray.length; i++) {
            int r = rgb[3 * i] & 0xff;
            int g = rgb[3 * i + 1] & 0xff;
            int b = rgb[3 * i + 2] & 0xff;
            gray[i] = (byte) Math.round(RED * r + GREEN * g + BLUE * b);
        }
        return gray;
    }
}
