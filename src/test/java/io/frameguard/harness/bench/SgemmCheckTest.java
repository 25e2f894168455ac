package io.frameguard.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SgemmCheckTest {
    @Test
    void shouldAgreeWithAPlainJavaProductOnTheKernelsThisProcessLoaded() {
        double error = SgemmCheck.maxScaledError(256, 7);
        assertThat(error).isLessThan(SgemmCheck.TOLERANCE);
    }

    @Test
    void shouldAgreeAtSizesSmallerAndLargerThanTheKernelsBlocks() {
        assertThat(SgemmCheck.maxScaledError(8, 1)).isLessThan(SgemmCheck.TOLERANCE);
        assertThat(SgemmCheck.maxScaledError(300, 2)).isLessThan(SgemmCheck.TOLERANCE);
    }
}
