package io.frameguard.harness.bench;

import java.util.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Checks that ND4J's matrix product, on whatever BLAS kernels this process loaded, agrees with a
 * plain Java product. {@code bin/frameguard} may name the OpenBLAS kernel family for CPUs the bundled
 * OpenBLAS does not recognise ({@code OPENBLAS_CORETYPE}); a ceiling measured on kernels that compute
 * wrong results would be worth nothing, so the scoring benchmark checks before it measures.
 */
public final class SgemmCheck {
    /**
     * Worse than this and the kernels are wrong, not merely rounding differently: float sums of a
     * few hundred terms in [0, 1) are good to about 1e-6 per term.
     */
    public static final double TOLERANCE = 1e-4;

    private SgemmCheck() {
    }

    /**
     * The largest absolute difference between ND4J's float product of two seeded random
     * {@code n×n} matrices (entries in [0, 1)) and the same product accumulated in doubles in Java,
     * divided by {@code n} (each entry is a sum of {@code n} products in [0, 1)).
     */
    public static double maxScaledError(int n, long seed) {
        Random random = new Random(seed);
        float[][] a = new float[n][n];
        float[][] b = new float[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = random.nextFloat();
                b[i][j] = random.nextFloat();
            }
        }
        float[][] c = Nd4j.create(a).mmul(Nd4j.create(b)).toFloatMatrix();
        double worst = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int k = 0; k < n; k++) {
                    sum += (double) a[i][k] * b[k][j];
                }
                worst = Math.max(worst, Math.abs(sum - c[i][j]));
            }
        }
        return worst / n;
    }
}
