package io.frameguard.model;

import java.nio.FloatBuffer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns 8-bit grayscale pixels into the network's input: {@code pixel * scale} as float, one row
 * per image. Stored in the bundle so that training, evaluation and serving prepare images alike.
 *
 * @param width input width
 * @param height input height
 * @param scale multiplier applied to each 0..255 pixel value
 */
public record Preprocessing(int width, int height, double scale) {

    public static Preprocessing unitScale(int width, int height) {
        return new Preprocessing(width, height, 1.0 / 255.0);
    }

    public int pixelsPerImage() {
        return width * height;
    }

    /** Images {@code first .. first+count-1} of {@code pixels} as a {@code [count, width*height]} float matrix. */
    public INDArray toInput(byte[] pixels, int first, int count) {
        return fill(Nd4j.createUninitialized(DataType.FLOAT, count, pixelsPerImage()), pixels, first, count);
    }

    /**
     * Writes images {@code first .. first+count-1} straight into the off-heap buffer of {@code target}
     * (a {@code [count, width*height]} float matrix of its own, not a view): no Java array, no copy.
     */
    public INDArray fill(INDArray target, byte[] pixels, int first, int count) {
        int n = count * pixelsPerImage();
        if (target.length() != n || target.dataType() != DataType.FLOAT || target.isView()) {
            throw new IllegalArgumentException("target must be a float [" + count + ", " + pixelsPerImage() + "] matrix");
        }
        FloatBuffer out = target.data().asNioFloat();
        float s = (float) scale;
        int base = first * pixelsPerImage();
        // converted a block at a time on the heap, then bulk-copied: one put per float costs more
        float[] block = new float[Math.min(n, 4096)];
        for (int done = 0; done < n; done += block.length) {
            int len = Math.min(block.length, n - done);
            for (int i = 0; i < len; i++) {
                block[i] = (pixels[base + done + i] & 0xff) * s;
            }
            out.put(done, block, 0, len);
        }
        return target;
    }

    /** A {@code [0..1]}-scaled reconstruction row back to 8-bit pixels, for pictures. */
    public byte[] toPixels(float[] row) {
        byte[] out = new byte[row.length];
        for (int i = 0; i < row.length; i++) {
            out[i] = (byte) Math.round(Math.max(0, Math.min(255, row[i] / scale)));
        }
        return out;
    }
}
