package io.frameguard.model.inspection;

import io.frameguard.data.Raster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A Gaussian of the segmentation network's own features at normal pixels, after PaDiM (Defard et
 * al. 2020) but with features the model learned on the line's surface rather than a pretrained
 * backbone: the activations of {@link #LAYERS} (1/2, 1/4 and 1/8 resolution, brought to 1/2) form
 * one vector per position, their mean and covariance are fitted over normal training crops (one
 * Gaussian for every position: a surface's statistics do not depend on where in the frame they
 * are), and a pixel's anomaly value is its Mahalanobis distance.
 *
 * @param mean {@code [1, d]}
 * @param precision {@code [d, d]}, the inverse of the regularised covariance
 */
public record FeatureGaussian(INDArray mean, INDArray precision) {
    static final String[] LAYERS = {"s2n", "s4", "s6"};
    /** Added to the covariance's diagonal, as PaDiM does, so that it inverts. */
    static final double RIDGE = 0.01;
    /** Rows of the feature matrix used for the fit at most; positions are sampled evenly beyond that. */
    static final int MAX_ROWS = 200_000;

    /** Fits the Gaussian on normal crops (same size, NCHW batch {@code input}). */
    public static FeatureGaussian fit(ComputationGraph net, INDArray input) {
        INDArray rows = rows(features(net, input));
        if (rows.rows() > MAX_ROWS) {
            int step = (int) Math.ceil(rows.rows() / (double) MAX_ROWS);
            rows = rows.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, step, rows.rows()), org.nd4j.linalg.indexing.NDArrayIndex.all());
        }
        INDArray mean = rows.mean(true, 0);
        INDArray centred = rows.subRowVector(mean);
        double[][] cov = centred.transpose().mmul(centred).divi(Math.max(1, rows.rows() - 1)).castTo(DataType.DOUBLE).toDoubleMatrix();
        for (int i = 0; i < cov.length; i++) {
            for (int j = 0; j < i; j++) {
                double m = (cov[i][j] + cov[j][i]) / 2; // float products leave it a hair off symmetric
                cov[i][j] = m;
                cov[j][i] = m;
            }
            cov[i][i] += RIDGE;
        }
        // in double precision: a 200-dimensional covariance of ReLU features is badly conditioned in float
        double[][] inverse = new CholeskyDecomposition(new Array2DRowRealMatrix(cov, false)).getSolver().getInverse().getData();
        return new FeatureGaussian(mean, Nd4j.create(inverse).castTo(DataType.FLOAT));
    }

    /** Each image's map of Mahalanobis distances at full resolution, {@code [n][h * w]}. */
    public float[][] maps(ComputationGraph net, INDArray input) {
        INDArray f = features(net, input);
        long n = f.size(0);
        long h = f.size(2);
        long w = f.size(3);
        INDArray z = rows(f).subiRowVector(mean);
        INDArray d2 = z.mmul(precision).muli(z).sum(1);
        float[] half = d2.castTo(DataType.FLOAT).data().asFloat();
        int fullW = (int) w * 2;
        int fullH = (int) h * 2;
        float[][] out = new float[(int) n][fullW * fullH];
        for (int i = 0; i < n; i++) {
            float[] m = out[i];
            int base = (int) (i * h * w);
            for (int y = 0; y < fullH; y++) {
                for (int x = 0; x < fullW; x++) {
                    m[y * fullW + x] = (float) Math.sqrt(Math.max(0, half[base + (y / 2) * (int) w + x / 2]));
                }
            }
        }
        return out;
    }

    /** The activations of {@link #LAYERS}, each brought to 1/2 resolution by repetition, side by side: {@code [n, d, h/2, w/2]}. */
    static INDArray features(ComputationGraph net, INDArray input) {
        Map<String, INDArray> acts = net.feedForward(new INDArray[] {input}, false, false);
        List<INDArray> parts = new ArrayList<>();
        long h = acts.get(LAYERS[0]).size(2);
        for (String layer : LAYERS) {
            parts.add(upsampled(acts.get(layer), (int) (h / acts.get(layer).size(2))));
        }
        return Nd4j.concat(1, parts.toArray(INDArray[]::new));
    }

    private static INDArray upsampled(INDArray x, int factor) {
        if (factor == 1) {
            return x;
        }
        long n = x.size(0);
        long c = x.size(1);
        long h = x.size(2);
        long w = x.size(3);
        return x.dup('c').reshape(n, c, h, 1, w, 1).broadcast(n, c, h, factor, w, factor).dup('c')
                .reshape(n, c, h * factor, w * factor);
    }

    /** {@code [n, d, h, w]} as {@code [n * h * w, d]}, image by image, row by row. */
    private static INDArray rows(INDArray f) {
        long d = f.size(1);
        return f.permute(0, 2, 3, 1).dup('c').reshape(-1, d);
    }

    /** The maps of frames of one size, for probes and the scorer. */
    public float[][] maps(ComputationGraph net, List<Raster> frames) {
        return maps(net, RasterTensors.batch(frames));
    }
}
