package io.frameguard.model.inspection;

import io.frameguard.data.Raster;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Rasters to and from the {@code [n, channels, height, width]} tensors of the inspection network. */
public final class RasterTensors {
    private RasterTensors() {
    }

    /** Masks (1 channel, 0 or 1) as per-pixel two-class labels {@code [n, 2, h, w]}: normal, anomalous. */
    public static INDArray twoClass(List<Raster> masks) {
        INDArray m = batch(masks);
        return Nd4j.concat(1, m.rsub(1f), m);
    }

    /** Same-sized rasters as one NCHW batch. */
    public static INDArray batch(List<Raster> rasters) {
        Raster first = rasters.get(0);
        int w = first.width();
        int h = first.height();
        int c = first.channels();
        int plane = w * h;
        float[] data = new float[rasters.size() * c * plane];
        for (int n = 0; n < rasters.size(); n++) {
            Raster r = rasters.get(n);
            if (r.width() != w || r.height() != h || r.channels() != c) {
                throw new IllegalArgumentException("a batch needs same-sized rasters: " + r.width() + "x" + r.height()
                        + "x" + r.channels() + " after " + w + "x" + h + "x" + c);
            }
            float[] px = r.pixels();
            int base = n * c * plane;
            if (c == 1) {
                System.arraycopy(px, 0, data, base, plane);
                continue;
            }
            for (int p = 0; p < plane; p++) {
                for (int k = 0; k < c; k++) {
                    data[base + k * plane + p] = px[p * c + k];
                }
            }
        }
        // one bulk copy into native memory: Nd4j.create(float[], ...) copies element by element,
        // which was a fifth of the Java time of scoring 256x256 frames
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, new long[] {rasters.size(), c, h, w}, 'c');
        floats(out).put(data);
        return out;
    }

    /** Image {@code n}'s channel {@code c} of an NCHW tensor, as a {@code w × h} row-major array. */
    public static float[] plane(INDArray nchw, int n, int c) {
        INDArray whole = nchw.ordering() == 'c' && !nchw.isView() ? nchw : nchw.dup('c');
        int h = (int) whole.size(2);
        int w = (int) whole.size(3);
        float[] out = new float[w * h];
        FloatBuffer all = floats(whole);
        all.position((int) ((n * whole.size(1) + c) * w * h));
        all.get(out);
        return out;
    }

    /** A detached, C-ordered float array's native memory as a buffer (bulk copies in and out). */
    private static FloatBuffer floats(INDArray a) {
        return a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
