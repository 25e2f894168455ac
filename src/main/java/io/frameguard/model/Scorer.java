package io.frameguard.model;

import io.frameguard.dl4j.BlockLayout;
import io.frameguard.dl4j.DenseForward;
import io.frameguard.dl4j.Dl4jMode;
import io.frameguard.dl4j.JavaDense;
import io.frameguard.data.ImageSet;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.layers.variational.VariationalAutoencoder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The one scoring code path: offline evaluation, replay and serving all call {@link #score}. One
 * batched forward pass per call; inputs are prepared by the bundle's {@link Preprocessing}.
 *
 * <p>Not thread-safe: a DL4J network keeps per-call state. Use one scorer per thread.
 */
public final class Scorer {
    /** Rows per distance matrix in latent-knn scoring: 128 × 50,000 floats is 25 MB. */
    private static final int KNN_BLOCK = 128;

    private final MultiLayerNetwork network;
    private final Preprocessing preprocessing;
    private final ScoreFunction function;
    private final int vaeSamples;
    private final INDArray referenceCodesT;
    private final INDArray referenceNorms;
    /** The dense families' forward pass without DL4J's per-call copies; null for the other families and in {@link Dl4jMode#plain}. */
    private final DenseForward dense;
    /** The dense families' forward pass in Java, on a copy of the weights, for batches of up to its {@link JavaDense#maxBatch()}; null otherwise. */
    private final JavaDense javaDense;
    private INDArray input;
    /** {@link #javaDense}'s input, kept for the next batch. */
    private float[] javaInput = new float[0];

    /** A scorer of a trained bundle: its weights must not change while this scorer is used. */
    public Scorer(ModelBundle bundle) {
        this(bundle, true);
    }

    /** A scorer that follows a network still being trained: every forward pass reads its current weights. */
    public static Scorer tracking(ModelBundle bundle) {
        return new Scorer(bundle, false);
    }

    private Scorer(ModelBundle bundle, boolean fixedWeights) {
        this.network = bundle.network();
        this.preprocessing = bundle.metadata().preprocessing();
        this.function = bundle.metadata().scoreFunction();
        this.vaeSamples = bundle.spec().vaeSamples();
        INDArray codes = bundle.referenceCodes();
        // [z, m] in c order, made once: each block's distances are one product with it
        this.referenceCodesT = codes == null ? null : codes.transpose().dup('c');
        this.referenceNorms = codes == null ? null : codes.mul(codes).sum(1).reshape(1, -1);
        this.dense = function.scoresVae() || Dl4jMode.plain() ? null : DenseForward.of(network);
        this.javaDense = dense != null && fixedWeights ? JavaDense.of(network) : null;
    }

    /** Up to how many images per call this scorer scores in Java ({@link JavaDense}) rather than through ND4J: 0 for none. */
    public int javaBatchLimit() {
        return javaDense == null ? 0 : javaDense.maxBatch();
    }

    /** Whether this scorer runs {@link DenseForward} rather than DL4J's {@code network.output}. */
    public boolean usesDenseForward() {
        return dense != null;
    }

    public Preprocessing preprocessing() {
        return preprocessing;
    }

    public ScoreFunction function() {
        return function;
    }

    /** Scores images {@code first .. first+count-1} of a pixel array in one forward pass. */
    public double[] score(byte[] pixels, int first, int count) {
        return score(pixels, first, count, false).scores();
    }

    /**
     * Scores images {@code first .. first+count-1} of a pixel array, the bytes written straight into
     * an input matrix this scorer keeps and reuses for batches of the same size.
     */
    public Scores score(byte[] pixels, int first, int count, boolean withErrorMaps) {
        if (javaDense != null && count <= javaDense.maxBatch()) {
            return scoreJava(pixels, first, count, withErrorMaps);
        }
        if (input == null || input.size(0) != count) {
            input = Nd4j.createUninitialized(DataType.FLOAT, count, preprocessing.pixelsPerImage());
        }
        return score(preprocessing.fill(input, pixels, first, count), withErrorMaps);
    }

    /** Scores a prepared {@code [n, pixels]} input matrix in one forward pass. */
    public double[] score(INDArray input) {
        return score(input, false).scores();
    }

    /**
     * Scores and, when {@code withErrorMaps}, the per-pixel |input − reconstruction| of each image.
     * The scores are the same numbers {@link #score(INDArray)} returns.
     */
    public Scores score(INDArray input, boolean withErrorMaps) {
        int pixels = preprocessing.pixelsPerImage();
        if (function.scoresVae()) {
            double[] scores = function == ScoreFunction.VAE_NLL
                    ? toDoubles(vae().reconstructionLogProbability(input, vaeSamples).negi())
                    : nearestCodeDistances(encode(input));
            float[] errors = withErrorMaps ? rowMajor(Transforms.abs(reconstruction(input).subi(input), false)) : null;
            return new Scores(scores, errors, pixels);
        }
        // |diff| in place: every score function below needs only the absolute (or squared) error
        INDArray error = Transforms.abs(reconstruction(input).subi(input), false);
        float[] errors = withErrorMaps ? rowMajor(error) : null;
        INDArray scores = switch (function) {
            case MSE -> error.muli(error).mean(1);
            case MAE -> error.mean(1);
            case LOG_MSE -> Transforms.log(error.muli(error).mean(1).addi(ScoreFunction.LOG_MSE_FLOOR), false);
            case MSE_PER_INK -> error.muli(error).sum(1).divi(input.sum(1).addi(1));
            default -> throw new IllegalStateException("unhandled score function " + function);
        };
        return new Scores(toDoubles(scores), errors, pixels);
    }

    /** {@link #score(byte[], int, int, boolean)} for a dense model, in Java ({@link JavaDense}). */
    private Scores scoreJava(byte[] pixels, int first, int count, boolean withErrorMaps) {
        int n = preprocessing.pixelsPerImage();
        float scale = (float) preprocessing.scale();
        // a pass at a time from pixels to error sums, so that its input and output stay in cache
        int pass = Math.min(count, javaDense.pass());
        if (javaInput.length < pass * n) {
            javaInput = new float[pass * n];
        }
        float[] x = javaInput;
        float[] errors = withErrorMaps ? new float[count * n] : null;
        double[] sums = new double[3 * count];
        for (int start = 0; start < count; start += pass) {
            int rows = Math.min(pass, count - start);
            javaDense.input(pixels, (first + start) * n, rows * n, scale, x);
            javaDense.errorSums(x, javaDense.output(x, rows), rows, n, start, sums, errors);
        }
        double[] scores = new double[count];
        for (int i = 0; i < count; i++) {
            double squares = sums[3 * i];
            scores[i] = switch (function) {
                case MSE -> squares / n;
                case MAE -> sums[3 * i + 1] / n;
                case LOG_MSE -> Math.log(squares / n + ScoreFunction.LOG_MSE_FLOOR);
                case MSE_PER_INK -> squares / (sums[3 * i + 2] + 1);
                default -> throw new IllegalStateException("unhandled score function " + function);
            };
        }
        return new Scores(scores, errors, n);
    }

    /** A matrix's elements in row-major order, in a Java array of their own. */
    private static float[] rowMajor(INDArray m) {
        INDArray c = m.ordering() == 'c' && !m.isView() ? m : m.dup('c');
        float[] out = new float[Math.toIntExact(c.length())];
        c.data().asNioFloat().get(0, out);
        return out;
    }

    private static double[] toDoubles(INDArray column) {
        return column.castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
    }

    /** The VAE encoder's mean code {@code [n, z]} of a prepared input. */
    public INDArray encode(INDArray input) {
        return vae().activate(input, false, LayerWorkspaceMgr.noWorkspaces());
    }

    /**
     * For each code, the mean Euclidean distance to its {@link ScoreFunction#KNN_NEIGHBOURS} nearest
     * reference codes. Squared distances come from one matrix product per block of rows
     * ({@code |q|² + |r|² − 2 q·r}); the k smallest of each row are kept by insertion.
     */
    private double[] nearestCodeDistances(INDArray codes) {
        int n = (int) codes.size(0);
        int m = (int) referenceCodesT.size(1);
        int k = Math.min(ScoreFunction.KNN_NEIGHBOURS, m);
        double[] out = new double[n];
        double[] nearest = new double[k];
        for (int start = 0; start < n; start += KNN_BLOCK) {
            int rows = Math.min(KNN_BLOCK, n - start);
            INDArray q = codes.get(NDArrayIndex.interval(start, start + rows), NDArrayIndex.all());
            INDArray d2 = q.mmul(referenceCodesT).muli(-2)
                    .addiRowVector(referenceNorms)
                    .addiColumnVector(q.mul(q).sum(true, 1));
            if (d2.ordering() != 'c') {
                d2 = d2.dup('c');
            }
            FloatBuffer squared = d2.data().asNioFloat();
            for (int r = 0; r < rows; r++) {
                out[start + r] = meanOfSmallest(squared, r * m, m, nearest);
            }
            // 25 MB off-heap per block: free it now, not when the garbage collector gets to its small
            // on-heap handle (a full leave-one-digit-out run grew to 22 GB waiting for that)
            if (d2.closeable()) {
                d2.close();
            }
        }
        return out;
    }

    /** The mean square root of the {@code nearest.length} smallest of {@code squared[from .. from+m-1]}. */
    private static double meanOfSmallest(FloatBuffer squared, int from, int m, double[] nearest) {
        int k = nearest.length;
        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        for (int j = 0; j < m; j++) {
            double d = squared.get(from + j);
            if (d < nearest[k - 1]) {
                int p = k - 1;
                while (p > 0 && nearest[p - 1] > d) {
                    nearest[p] = nearest[p - 1];
                    p--;
                }
                nearest[p] = d;
            }
        }
        double sum = 0;
        for (double d : nearest) {
            sum += Math.sqrt(Math.max(d, 0));
        }
        return sum / k;
    }

    /**
     * Scores of a batch and, if asked for, the per-pixel absolute errors.
     *
     * @param scores one score per image
     * @param errorMaps |input − reconstruction| of image after image, each {@code pixels} floats in
     *     row-major order; null when not asked for
     * @param pixels pixels per image
     */
    public record Scores(double[] scores, float[] errorMaps, int pixels) {
        /** Image {@code i}'s error map as a row-major float array. */
        public float[] errorMap(int i) {
            return Arrays.copyOfRange(errorMaps, i * pixels, (i + 1) * pixels);
        }
    }

    /** Scores a whole set in batches of {@code batchSize}. */
    public double[] scoreAll(ImageSet images, int batchSize) {
        double[] out = new double[images.size()];
        for (int start = 0; start < images.size(); start += batchSize) {
            int n = Math.min(batchSize, images.size() - start);
            System.arraycopy(score(images.pixels(), start, n), 0, out, start, n);
        }
        return out;
    }

    /** The VAE encoder's mean codes {@code [n, z]} of a whole set, encoded in batches of {@code batchSize}. */
    public INDArray encodeAll(ImageSet images, int batchSize) {
        List<INDArray> blocks = new ArrayList<>();
        for (int start = 0; start < images.size(); start += batchSize) {
            int n = Math.min(batchSize, images.size() - start);
            blocks.add(encode(preprocessing.toInput(images.pixels(), start, n)));
        }
        return Nd4j.vstack(blocks.toArray(INDArray[]::new));
    }

    /**
     * The reconstruction {@code [n, pixels]} of a prepared input: the network output, or for the
     * VAE the decoder mean at the encoder mean. A matrix of the caller's own.
     */
    public INDArray reconstruct(INDArray input) {
        return dense != null ? dense.output(input).dup() : reconstruction(input);
    }

    /**
     * {@link #reconstruct}, except that on the dense fast path the matrix is the scorer's own,
     * overwritten by its next forward pass: for scoring, which uses it up at once.
     */
    private INDArray reconstruction(INDArray input) {
        if (dense != null) {
            return dense.output(input);
        }
        if (function.scoresVae()) {
            return vae().generateAtMeanGivenZ(encode(input));
        }
        INDArray out = network.output(input, false);
        if (BlockLayout.isBlocks(out, preprocessing.pixelsPerImage())) {
            return BlockLayout.toImages(out);
        }
        return out.rank() == 2 ? out : out.reshape(out.size(0), preprocessing.pixelsPerImage());
    }

    private VariationalAutoencoder vae() {
        return (VariationalAutoencoder) network.getLayer(0);
    }
}
