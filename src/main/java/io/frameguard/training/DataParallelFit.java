package io.frameguard.training;

import io.frameguard.FrameGuardException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.solvers.BaseOptimizer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One minibatch step of a network, with the gradient computed by several threads: the rows are
 * split into contiguous parts, each part's gradient is computed on a replica that shares the
 * network's parameter array, the parts' gradients are summed into the network's, and the
 * network's own updater takes one step. The step is the one {@code net.fit} takes on the whole
 * minibatch (with the {@link SubnormalGuard} the trainer gives it), up to the order of float
 * additions, so convergence per epoch does not change with the number of workers; only the time does.
 *
 * <p>Why not DL4J's {@code ParallelWrapper}: it trains a full minibatch on every replica and
 * averages parameters (or shares threshold-compressed gradients), which is a different, lossier
 * optimisation than one exact step per minibatch. With one OpenMP thread per process (what
 * {@code bin/frameguard} sets; two threads in one gemm were ~3× slower on 2 cores), this is how
 * training uses the second core.
 *
 * <p>Only for networks whose layers keep no state across a minibatch beyond their parameters
 * (dense layers: the {@code dense} and {@code shallow} families). Batch normalization computes its
 * statistics per part and keeps running averages per replica, so the conv families do not use it.
 */
final class DataParallelFit implements AutoCloseable {
    private final MultiLayerNetwork net;
    private final List<MultiLayerNetwork> replicas = new ArrayList<>();
    private final List<ExecutorService> threads = new ArrayList<>();
    private final SubnormalGuard guard = new SubnormalGuard();

    DataParallelFit(MultiLayerNetwork net, int workers) {
        if (workers < 2) {
            throw new IllegalArgumentException("data-parallel fitting needs at least 2 workers, got " + workers);
        }
        this.net = net;
        for (int i = 1; i < workers; i++) {
            MultiLayerNetwork replica = new MultiLayerNetwork(net.getLayerWiseConfigurations().clone());
            replica.init(net.params(), false);
            if (replica.params().data() != net.params().data()) {
                throw new IllegalStateException("replica does not share the network's parameters");
            }
            replicas.add(replica);
            int n = i;
            threads.add(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "frameguard-train-" + n);
                t.setDaemon(true);
                return t;
            }));
        }
    }

    /** One step on {@code features}/{@code labels}; returns the minibatch's mean loss, as {@code net.score()} would. */
    double fit(INDArray features, INDArray labels) {
        long n = features.size(0);
        int parts = (int) Math.min(n, replicas.size() + 1L);
        long[] bounds = new long[parts + 1];
        for (int i = 0; i <= parts; i++) {
            bounds[i] = n * i / parts;
        }
        List<Future<Double>> pending = new ArrayList<>();
        for (int i = 1; i < parts; i++) {
            MultiLayerNetwork replica = replicas.get(i - 1);
            INDArray x = rows(features, bounds[i], bounds[i + 1]);
            INDArray y = rows(labels, bounds[i], bounds[i + 1]);
            pending.add(threads.get(i - 1).submit(() -> gradient(replica, x, y)));
        }
        double loss = gradient(net, rows(features, 0, bounds[1]), rows(labels, 0, bounds[1])) * bounds[1];
        INDArray sum = net.getFlattenedGradients();
        for (int i = 1; i < parts; i++) {
            try {
                loss += pending.get(i - 1).get() * (bounds[i + 1] - bounds[i]);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FrameGuardException("interrupted while training", e);
            } catch (ExecutionException e) {
                throw new FrameGuardException("training worker failed: " + e.getCause(), e.getCause());
            }
            sum.addi(replicas.get(i - 1).getFlattenedGradients());
        }
        // The updater turns the summed gradient into the step in place (and divides by the minibatch
        // size, as for a single-threaded fit); the parameters then move by it, as in DL4J's SGD.
        guard.beforeUpdate(net);
        net.getUpdater().update(net, net.gradient(), BaseOptimizer.getIterationCount(net),
                BaseOptimizer.getEpochCount(net), (int) n, LayerWorkspaceMgr.noWorkspaces());
        net.params().subi(sum.reshape(net.params().shape()));
        guard.afterUpdate(net);
        BaseOptimizer.incrementIterationCount(net, 1);
        return loss / n;
    }

    private static double gradient(MultiLayerNetwork m, INDArray x, INDArray y) {
        m.setInput(x);
        m.setLabels(y);
        m.computeGradientAndScore();
        return m.score();
    }

    private static INDArray rows(INDArray a, long from, long to) {
        return a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup('c');
    }

    @Override
    public void close() {
        threads.forEach(ExecutorService::shutdownNow);
    }
}
