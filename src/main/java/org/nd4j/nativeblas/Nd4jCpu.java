package org.nd4j.nativeblas;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Compatibility bridge for a class that moved in ND4J 1.0.0-M2.1.
 *
 * <p>DL4J 1.0.0-M2.1 decides whether its oneDNN layer helpers (convolution, pooling, batch norm)
 * may run by reflectively calling {@code org.nd4j.nativeblas.Nd4jCpu$Environment.isUseMKLDNN()}.
 * In M2.1 the JavaCPP bindings live in {@code org.nd4j.linalg.cpu.nativecpu.bindings}, so that
 * lookup always fails and every convolution falls back to DL4J's im2col path, about 13x slower on
 * our machines (see BENCHMARKS.md). This class answers the lookup with what the loaded native
 * library actually offers. {@code OneDnnHelpersTest} fails if DL4J stops using it, so an upgrade
 * that fixes the lookup tells us to delete this file.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    /** The subset of the old native environment that DL4J's helper check reads. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            return Nd4j.getEnvironment().helpersAllowed()
                    && NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().contains("HAVE_ONEDNN");
        }
    }
}
