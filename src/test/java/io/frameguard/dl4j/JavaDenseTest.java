package io.frameguard.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.frameguard.TestData;
import io.frameguard.data.ImageSet;
import io.frameguard.data.KnownDataset.Split;
import io.frameguard.model.BundleMetadata;
import io.frameguard.model.ModelBundle;
import io.frameguard.model.ModelFamily;
import io.frameguard.model.ModelSpec;
import io.frameguard.model.Preprocessing;
import io.frameguard.model.ScoreFunction;
import io.frameguard.model.Scorer;
import io.frameguard.training.Versions;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The dense families' Java forward passes ({@link VectorDense}, {@link SmallBatchDense}) give the
 * scores, error maps and outputs of the ND4J path ({@link DenseForward}), for every score function,
 * batch sizes that are and are not multiples of the 4-image blocks, and layer widths that are not
 * multiples of the vector length.
 */
class JavaDenseTest {
    private final ImageSet test = TestData.mnist(Split.TEST).head(72);
    private final Preprocessing preprocessing = ModelBundle.load(TestData.FIXTURE_BUNDLE).metadata().preprocessing();

    @Test
    void shouldRunOnTheVectorApiWhereTheJvmHasTheModule() {
        // the build's test JVMs run with --add-modules=jdk.incubator.vector, as bin/frameguard does
        assertThat(JavaDense.vectorApi()).isTrue();
        Scorer scorer = new Scorer(ModelBundle.load(TestData.FIXTURE_BUNDLE));
        assertThat(scorer.javaBatchLimit()).isEqualTo(Integer.MAX_VALUE);
    }

    @ParameterizedTest
    @EnumSource(value = ScoreFunction.class, names = {"MSE", "MAE", "LOG_MSE", "MSE_PER_INK"})
    void shouldScoreEveryBatchSizeAsTheNd4jPathDoes(ScoreFunction function) {
        ModelBundle trained = ModelBundle.load(TestData.FIXTURE_BUNDLE);
        BundleMetadata m = trained.metadata();
        ModelBundle bundle = new ModelBundle(trained.network(), new BundleMetadata(m.formatVersion(), m.modelId(), m.spec(),
                m.preprocessing(), function, m.calibration(), m.training(), m.versions(), m.createdAt()));
        assertSameScores(bundle);
    }

    @Test
    void shouldScoreAnUntrainedShallowNetworkAsTheNd4jPathDoes() {
        assertSameScores(ModelBundle.untrained(ModelSpec.defaults(ModelFamily.SHALLOW), Versions.current()));
    }

    @ParameterizedTest
    @EnumSource(value = ModelFamily.class, names = {"CONV", "DENOISING", "SUPERRES", "VAE"})
    void shouldLeaveOtherFamiliesToDl4j(ModelFamily family) {
        MultiLayerNetwork network = ModelBundle.untrained(ModelSpec.defaults(family), Versions.current()).network();
        assertThat(JavaDense.of(network)).isNull();
        assertThat(DenseWeights.of(network)).isNull();
    }

    /** Widths of 37 and 5 (not multiples of any vector length) and sigmoid, tanh and identity layers. */
    @Test
    void shouldComputeOddWidthsAndEveryActivationAsNd4jDoes() {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(7).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(37).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(37).nOut(70).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nIn(70).nOut(5).activation(Activation.IDENTITY).build())
                .layer(new DenseLayer.Builder().nIn(5).nOut(784).activation(Activation.SIGMOID).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build())
                .build());
        network.init();
        DenseWeights weights = DenseWeights.of(network);
        assertThat(weights).isNotNull();
        assertSameOutputs(network, JavaDense.of(network));
        assertSameOutputs(network, new SmallBatchDense(weights));
    }

    @Test
    void shouldComputeTheTrainedFixtureAsNd4jDoesOnBothPaths() {
        MultiLayerNetwork network = ModelBundle.load(TestData.FIXTURE_BUNDLE).network();
        assertSameOutputs(network, JavaDense.of(network));
        assertSameOutputs(network, new SmallBatchDense(DenseWeights.of(network)));
    }

    @Test
    void shouldRefuseMoreImagesThanThePlainJavaPathTakes() {
        MultiLayerNetwork network = ModelBundle.load(TestData.FIXTURE_BUNDLE).network();
        SmallBatchDense small = new SmallBatchDense(DenseWeights.of(network));
        assertThatThrownBy(() -> small.output(new float[784 * 9], 9)).hasMessageContaining("at most 8");
    }

    /** The Vector API's error sums against the plain loop's, with and without a tail past the last whole vector. */
    @Test
    void shouldSumErrorsAsThePlainLoopDoes() {
        MultiLayerNetwork network = ModelBundle.load(TestData.FIXTURE_BUNDLE).network();
        JavaDense vector = JavaDense.of(network);
        JavaDense plain = new SmallBatchDense(DenseWeights.of(network));
        java.util.Random random = new java.util.Random(3);
        for (int n : new int[] {784, 37}) {
            int count = 3;
            float[] x = new float[count * n];
            float[] y = new float[count * n];
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextFloat();
                y[i] = random.nextFloat();
            }
            // written from the second image's place on, as for the second pass of a batch
            double[] want = new double[3 * (count + 1)];
            double[] got = new double[3 * (count + 1)];
            float[] wantErrors = new float[(count + 1) * n];
            float[] gotErrors = new float[(count + 1) * n];
            plain.errorSums(x, y, count, n, 1, want, wantErrors);
            vector.errorSums(x, y, count, n, 1, got, gotErrors);
            assertThat(want[3 * count + 2]).as("the last image's ink, in its place").isPositive();
            for (int i = 0; i < want.length; i++) {
                assertThat(got[i]).as("n %d, sum %d", n, i).isCloseTo(want[i], within(1e-6 * want[i]));
            }
            assertThat(gotErrors).as("n %d", n).containsExactly(wantErrors);
        }
    }

    /** Every byte value, from an offset and with a tail past the last whole vector, as the plain loop converts it. */
    @Test
    void shouldConvertPixelsAsThePlainLoopDoes() {
        MultiLayerNetwork network = ModelBundle.load(TestData.FIXTURE_BUNDLE).network();
        byte[] pixels = new byte[3 + 256 + 7];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 37);
        }
        float[] want = new float[pixels.length - 3];
        float[] got = new float[want.length];
        new SmallBatchDense(DenseWeights.of(network)).input(pixels, 3, want.length, 1f / 255, want);
        JavaDense.of(network).input(pixels, 3, got.length, 1f / 255, got);
        assertThat(got).containsExactly(want);
        assertThat(got[0]).isEqualTo((3 * 37 & 0xff) / 255f, within(1e-7f));
    }

    /** Every window of each size through the Java path (36 and 72: passes of {@link VectorDense#CHUNK} and the rest), against all 72 images in one ND4J call. */
    private void assertSameScores(ModelBundle bundle) {
        Scorer scorer = new Scorer(bundle);
        assertThat(scorer.javaBatchLimit()).isPositive();
        assertThat(Scorer.tracking(bundle).javaBatchLimit()).as("a network in training is never copied").isZero();
        Scorer.Scores nd4j = scorer.score(bundle.metadata().preprocessing().toInput(test.pixels(), 0, test.size()), true);
        for (int size : new int[] {1, 2, 3, 4, 5, 8, 24, 36, 72}) {
            for (int first = 0; first + size <= test.size(); first += size) {
                Scorer.Scores java = scorer.score(test.pixels(), first, size, true);
                for (int i = 0; i < size; i++) {
                    double expected = nd4j.scores()[first + i];
                    assertThat(java.scores()[i]).as("image %d in batches of %d", first + i, size)
                            .isCloseTo(expected, within(1e-5 * Math.max(1, Math.abs(expected))));
                    float[] map = java.errorMap(i);
                    float[] want = nd4j.errorMap(first + i);
                    float worst = 0;
                    for (int p = 0; p < map.length; p++) {
                        worst = Math.max(worst, Math.abs(map[p] - want[p]));
                    }
                    assertThat(worst).as("error map of image %d in batches of %d", first + i, size).isLessThan(1e-5f);
                }
            }
        }
    }

    /** Outputs for 1 to 45 images (VectorDense: every block shape, two passes); SmallBatchDense up to its 8. */
    private void assertSameOutputs(MultiLayerNetwork network, JavaDense java) {
        for (int n : new int[] {1, 3, 4, 7, 8, 13, 45}) {
            if (n > java.maxBatch()) {
                continue;
            }
            INDArray input = preprocessing.toInput(test.pixels(), 0, n);
            float[][] expected = DenseForward.of(network).output(input).toFloatMatrix();
            float[] actual = java.output(input.dup('c').data().asFloat(), n);
            int outputs = expected[0].length;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < outputs; p++) {
                    assertThat(actual[i * outputs + p]).as("%s, %d images: image %d output %d", java.getClass().getSimpleName(), n, i, p)
                            .isCloseTo(expected[i][p], within(1e-5f));
                }
            }
        }
    }
}
