package io.frameguard.dl4j;

import io.frameguard.training.Trainer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameguard.TestData;
import io.frameguard.data.ImageSet;
import io.frameguard.data.KnownDataset.Split;
import io.frameguard.model.Architectures;
import io.frameguard.model.ModelFamily;
import io.frameguard.model.ModelSpec;
import io.frameguard.model.Preprocessing;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class SubnormalGuardTest {
    private static final float SUBNORMAL = 1e-40f;

    @Test
    void shouldZeroExactlyTheValuesUnderTheFloor() {
        INDArray a = Nd4j.createFromArray(SUBNORMAL, -1e-20f, 0.5e-15f, 0.3f, -2f, 1e-14f, -1e-15f, 0f);
        SubnormalGuard.floor(a, 1e-15f);
        assertThat(a.toFloatVector()).containsExactly(0f, 0f, 0f, 0.3f, -2f, 1e-14f, -1e-15f, 0f);
    }

    @Test
    void shouldFloorOnlyInsideAContiguousView() {
        INDArray whole = Nd4j.createFromArray(SUBNORMAL, SUBNORMAL, SUBNORMAL, 0.3f, SUBNORMAL, SUBNORMAL);
        SubnormalGuard.floor(whole.get(NDArrayIndex.interval(1, 3)), 1e-15f);
        assertThat(whole.toFloatVector()).containsExactly(SUBNORMAL, 0f, 0f, 0.3f, SUBNORMAL, SUBNORMAL);
        INDArray matrix = Nd4j.createFromArray(new float[][] {{SUBNORMAL, SUBNORMAL}, {SUBNORMAL, SUBNORMAL}, {SUBNORMAL, 1f}});
        SubnormalGuard.floor(matrix.getRow(2), 1e-15f);
        assertThat(matrix.reshape(6).toFloatVector()).containsExactly(SUBNORMAL, SUBNORMAL, SUBNORMAL, SUBNORMAL, 0f, 1f);
    }

    @Test
    void shouldRefuseAStridedView() {
        INDArray column = Nd4j.zeros(4, 4).getColumn(2);
        assertThatThrownBy(() -> SubnormalGuard.floor(column, 1e-15f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("contiguous float array");
    }

    /** Through {@code net.fit}, as Trainer uses it: subnormals planted in Adam's state are gone a few steps later. */
    @Test
    void shouldClearSubnormalsFromTheUpdaterStateDuringFit() {
        ImageSet digits = TestData.mnist(Split.TRAIN).head(64);
        INDArray x = Preprocessing.unitScale(28, 28).toInput(digits.pixels(), 0, 64);
        MultiLayerNetwork guarded = Architectures.build(ModelSpec.defaults(ModelFamily.DENSE));
        guarded.addListeners(new SubnormalGuard());
        MultiLayerNetwork plain = Architectures.build(ModelSpec.defaults(ModelFamily.DENSE));
        for (MultiLayerNetwork net : new MultiLayerNetwork[] {guarded, plain}) {
            net.fit(new DataSet(x, x)); // the updater's state exists from the first step
            INDArray state = net.getUpdater().getStateViewArray();
            for (long i = 0; i < state.length(); i += 1000) {
                state.putScalar(i, SUBNORMAL);
            }
            for (int step = 0; step < SubnormalGuard.STATE_EVERY; step++) {
                net.fit(new DataSet(x, x));
            }
        }
        assertThat(subnormals(plain.getUpdater().getStateViewArray())).as("without the guard the planted values decay slowly")
                .isGreaterThan(100);
        assertThat(subnormals(guarded.getUpdater().getStateViewArray())).isZero();
        assertThat(subnormals(guarded.params())).isZero();
    }

    private static long subnormals(INDArray a) {
        long n = 0;
        for (float f : a.toFloatVector()) {
            if (f != 0 && Math.abs(f) < Float.MIN_NORMAL) {
                n++;
            }
        }
        return n;
    }
}
