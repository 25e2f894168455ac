package io.frameguard.model.inspection;

import io.frameguard.data.Raster;
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
            for (int p = 0; p < plane; p++) {
                for (int k = 0; k < c; k++) {
                    data[base + k * plane + p] = px[p * c + k];
                }
            }
        }
        return Nd4j.create(data, new long[] {rasters.size(), c, h, w}, DataType.FLOAT);
    }

    /** Image {@code n}'s channel {@code c} of an NCHW tensor, as a {@code w × h} row-major array. */
    public static float[] plane(INDArray nchw, int n, int c) {
        INDArray p = nchw.get(org.nd4j.linalg.indexing.NDArrayIndex.point(n), org.nd4j.linalg.indexing.NDArrayIndex.point(c));
        return p.dup('c').data().asFloat();
    }
}
