/**
 * The code that knows DL4J's and ND4J's internals: what an upgrade of DL4J (1.0.0-M2.1 today) meets,
 * in one place. Everything else uses DL4J through its public API (networks, {@code output},
 * {@code fit}, listeners).
 *
 * <h2>What lives here, and why</h2>
 * <ul>
 *   <li>{@link io.frameguard.dl4j.DenseForward}: the dense families' inference, one gemm per layer
 *       straight into a kept c-ordered matrix; {@code network.output} spends ~40 % of its time on
 *       copies around the same products.</li>
 *   <li>{@link io.frameguard.dl4j.JavaDense}: the same in Java on a copy of the weights
 *       ({@link io.frameguard.dl4j.DenseWeights}, which reads the layers' configuration classes and
 *       the {@code W}/{@code b} parameters): {@code VectorDense} on the JDK's Vector API for any
 *       batch, about 1.4 to 4 times PyTorch's speed on one thread where ND4J's per-operation cost
 *       left it at a third to a half, or {@link io.frameguard.dl4j.SmallBatchDense} in plain Java
 *       for up to 8 images when the JVM lacks {@code --add-modules=jdk.incubator.vector}.</li>
 *   <li>{@link io.frameguard.dl4j.DenseGradient}: the dense families' gradient computed once per
 *       product; DL4J's backward pass computes each forward product again and copies each one
 *       (twice the CPU time).</li>
 *   <li>{@link io.frameguard.dl4j.DataParallelFit}: one exact minibatch step with the gradient (and
 *       the Adam update) split across threads, which is how training uses the second core; DL4J's
 *       {@code ParallelWrapper} averages parameters instead, a different optimisation. It reaches
 *       into DL4J's updater blocks and Adam's state layout.</li>
 *   <li>{@link io.frameguard.dl4j.SubnormalGuard}: a training listener that floors gradients and
 *       Adam state before they turn subnormal, which slowed epochs from 5.5 to 9 s.</li>
 *   <li>{@link io.frameguard.dl4j.BlockLayout}: the conv hourglass's 2×2-block output layout, which
 *       spares it DL4J's slow full-resolution layers. Part of the conv families' architecture and
 *       their bundles, so not behind the switch below.</li>
 *   <li>{@code org.nd4j.nativeblas.Nd4jCpu} (it must keep that name: DL4J looks it up
 *       reflectively): answers DL4J's check for oneDNN, which M2.1 gets wrong, so the conv layers
 *       run through oneDNN (about 13× faster than im2col).</li>
 *   <li>{@link io.frameguard.dl4j.Dl4jMode}: the switch.</li>
 * </ul>
 *
 * <h2>The switch</h2>
 * {@code -Dframeguard.dl4j.plain=true} (or {@code FRAMEGUARD_DL4J_PLAIN=true}) scores the dense
 * families through {@code network.output} and trains them through {@code net.fit} on one thread,
 * without {@code DenseForward}, {@code JavaDense}, {@code DataParallelFit} and
 * {@code DenseGradient}; slower, and the
 * same results up to the order of float additions ({@code PlainDl4jAgreementTest}).
 *
 * <h2>On a DL4J/ND4J upgrade</h2>
 * <ol>
 *   <li>Run the tests that guard each piece: {@code DenseForwardTest} (outputs equal
 *       {@code network.output}), {@code JavaDenseTest} (the Java forward passes score as ND4J does),
 *       {@code DenseGradientTest} (gradient and score equal
 *       {@code computeGradientAndScore}), {@code DataParallelFitTest} (the same steps as a
 *       single-threaded {@code fit}), {@code SubnormalGuardTest}, {@code BlockLayoutTest},
 *       {@code PlainDl4jAgreementTest} (the switch agrees with the default path on real MNIST) and
 *       {@code OneDnnHelpersTest} (conv layers run through oneDNN).</li>
 *   <li>If {@code OneDnnHelpersTest} passes without {@code Nd4jCpu.java}, DL4J finds oneDNN on its
 *       own again: delete the file.</li>
 *   <li>If a piece fails and cannot be brought back cheaply, run with the switch: plain DL4J keeps
 *       the product working while the piece is fixed or deleted. Compare speed with
 *       {@code bin/frameguard bench scoring} and a {@code train} run before and after.</li>
 *   <li>{@code ModelBundleTest} (the fixtures in {@code src/test/resources/fixtures/}) tells whether
 *       old bundles still load with their recorded scores.</li>
 * </ol>
 */
package io.frameguard.dl4j;
