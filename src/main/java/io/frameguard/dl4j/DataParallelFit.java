package io.frameguard.dl4j;

import io.frameguard.FrameGuardException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.solvers.BaseOptimizer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * One minibatch step of a network, with the gradient computed by several threads: the rows are
 * split into contiguous parts, each part's gradient is computed on a replica that shares the
 * network's parameter array, the parts' gradients are summed into the network's, and the
 * network's own updater takes one step. The step is the one {@code net.fit} takes on the whole
 * minibatch (with the {@link SubnormalGuard} the trainer gives it), up to the order of float
 * additions, so convergence per epoch does not change with the number of workers; only the time does.
 *
 * <p>The update is split too. When the whole network has one Adam updater and nothing else acts on
 * the gradient (no regularization, no gradient normalization: the dense families), each thread
 * sums, floors, scales and applies Adam to its own contiguous slice of the parameters, on the
 * network's own updater state. Adam works value by value, so this is the step DL4J's updater
 * takes; done on one thread it held the other core idle for about a sixth of every step. Any
 * other configuration takes the step through the network's updater on the calling thread. With
 * that update, a network of plain dense layers (the dense families again) also has its parts'
 * gradients computed by a {@link DenseGradient} per thread rather than by DL4J's backward pass,
 * which computes every forward product twice and copies each one.
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
public final class DataParallelFit implements AutoCloseable {
    private final MultiLayerNetwork net;
    private final List<MultiLayerNetwork> replicas = new ArrayList<>();
    private final List<ExecutorService> threads = new ArrayList<>();
    private final SubnormalGuard guard = new SubnormalGuard();
    /** One per thread, the calling thread's first; empty when the update goes through the network's updater. */
    private final List<Slice> slices;
    /** The network's Adam settings, when {@link #slices} are in use; else null. */
    private final Adam adam;
    /** One per network, the network's first; empty when DL4J computes the gradients. */
    private final List<DenseGradient> denseGradients;

    public DataParallelFit(MultiLayerNetwork net, int workers) {
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
        this.slices = slicedAdam(net) ? slices(workers) : List.of();
        this.adam = slices.isEmpty() ? null
                : (Adam) ((BaseLayer) net.getLayerWiseConfigurations().getConf(0).getLayer()).getIUpdater();
        this.denseGradients = slices.isEmpty() ? List.of() : denseGradientsOrNone();
    }

    /** A {@link DenseGradient} for the network and each replica, or none when the network is not plain dense layers. */
    private List<DenseGradient> denseGradientsOrNone() {
        List<DenseGradient> result = new ArrayList<>();
        result.add(DenseGradient.of(net));
        replicas.forEach(r -> result.add(DenseGradient.of(r)));
        return result.contains(null) ? List.of() : result;
    }

    /** Whether the network's update is plain Adam over all parameters, so that it can be taken slice by slice. */
    public static boolean slicedAdam(MultiLayerNetwork net) {
        if (!net.conf().isMiniBatch()) {
            return false;
        }
        for (NeuralNetConfiguration layer : net.getLayerWiseConfigurations().getConfs()) {
            if (!(layer.getLayer() instanceof BaseLayer conf) || !(conf.getIUpdater() instanceof Adam)
                    || !conf.getRegularization().isEmpty() || !conf.getRegularizationBias().isEmpty()
                    || conf.getGradientNormalization() != GradientNormalization.None) {
                return false;
            }
        }
        // DL4J merges layers with equal updater settings into blocks; one block means one Adam over everything
        Updater updater = net.getUpdater(true);
        if (!(updater instanceof BaseMultiLayerUpdater<?> multi) || multi.getUpdaterBlocks().size() != 1) {
            return false;
        }
        UpdaterBlock block = multi.getUpdaterBlocks().get(0);
        return block.getGradientUpdater() instanceof AdamUpdater && block.getParamOffsetStart() == 0
                && block.getParamOffsetEnd() == net.numParams() && block.getUpdaterView().length() == 2 * net.numParams();
    }

    private List<Slice> slices(int parts) {
        long p = net.numParams();
        INDArray params = vector(net.params());
        INDArray gradient = vector(gradientsView(net));
        INDArray state = vector(net.getUpdater().getStateViewArray()); // Adam's m, then v
        List<INDArray> replicaGradients = replicas.stream().map(r -> vector(gradientsView(r))).toList();
        List<Slice> result = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            long from = p * i / parts;
            long to = p * (i + 1) / parts;
            result.add(new Slice(interval(params, from, to), interval(gradient, from, to),
                    replicaGradients.stream().map(g -> interval(g, from, to)).toList(),
                    interval(state, from, to), interval(state, p + from, p + to)));
        }
        return result;
    }

    /**
     * The network's flattened gradient array, allocated if it is not yet. DL4J allocates it at the
     * first step, and {@code initGradientsView} allocates a new one each time it is called, so views
     * kept from it are only valid when it is called once.
     */
    static INDArray gradientsView(MultiLayerNetwork net) {
        if (net.getFlattenedGradients() == null) {
            net.initGradientsView();
        }
        return net.getFlattenedGradients();
    }

    /** A whole contiguous array as a vector; ND4J reshapes such an array without copying, so this is a view. */
    private static INDArray vector(INDArray a) {
        if (a.offset() != 0 || a.elementWiseStride() != 1) {
            throw new IllegalStateException("not a whole contiguous array: " + a.shapeInfoToString());
        }
        return a.reshape(a.length());
    }

    private static INDArray interval(INDArray vector, long from, long to) {
        return vector.get(NDArrayIndex.interval(from, to));
    }

    /** One step on {@code features}/{@code labels}; returns the minibatch's mean loss, as {@code net.score()} would. */
    public double fit(INDArray features, INDArray labels) {
        long n = features.size(0);
        int parts = (int) Math.min(n, replicas.size() + 1L);
        long[] bounds = new long[parts + 1];
        for (int i = 0; i <= parts; i++) {
            bounds[i] = n * i / parts;
        }
        List<Future<Double>> pending = new ArrayList<>();
        for (int i = 1; i < parts; i++) {
            int network = i;
            long from = bounds[i];
            long to = bounds[i + 1];
            pending.add(threads.get(i - 1).submit(() -> gradient(network, features, labels, from, to)));
        }
        double loss = gradient(0, features, labels, 0, bounds[1]) * bounds[1];
        for (int i = 1; i < parts; i++) {
            loss += await(pending.get(i - 1)) * (bounds[i + 1] - bounds[i]);
        }
        int iteration = BaseOptimizer.getIterationCount(net);
        int epoch = BaseOptimizer.getEpochCount(net);
        if (slices.isEmpty()) {
            updateOnThisThread(parts, n, iteration, epoch);
        } else {
            updateSliced(parts, n, iteration, epoch);
        }
        BaseOptimizer.incrementIterationCount(net, 1);
        return loss / n;
    }

    private void updateOnThisThread(int parts, long n, int iteration, int epoch) {
        INDArray sum = net.getFlattenedGradients();
        for (int i = 1; i < parts; i++) {
            sum.addi(replicas.get(i - 1).getFlattenedGradients());
        }
        // The updater turns the summed gradient into the step in place (and divides by the minibatch
        // size, as for a single-threaded fit); the parameters then move by it, as in DL4J's SGD.
        guard.beforeUpdate(net);
        net.getUpdater().update(net, net.gradient(), iteration, epoch, (int) n, LayerWorkspaceMgr.noWorkspaces());
        net.params().subi(sum.reshape(net.params().shape()));
        guard.afterUpdate(net);
    }

    private void updateSliced(int parts, long n, int iteration, int epoch) {
        // a minibatch of fewer rows than threads leaves some replicas' gradients from an earlier step
        int replicasUsed = parts - 1;
        boolean floorState = (iteration + 1) % SubnormalGuard.STATE_EVERY == 0; // as the guard's own count
        List<Future<?>> pending = new ArrayList<>();
        for (int i = 1; i < slices.size(); i++) {
            Slice slice = slices.get(i);
            pending.add(threads.get(i - 1).submit(() -> slice.update(replicasUsed, n, adam, iteration, epoch, floorState)));
        }
        slices.get(0).update(replicasUsed, n, adam, iteration, epoch, floorState);
        pending.forEach(DataParallelFit::await);
    }

    /**
     * A contiguous slice of the parameters, with the same slice of the network's gradient, of each
     * replica's gradient, and of Adam's first and second moments.
     */
    private record Slice(INDArray params, INDArray gradient, List<INDArray> replicaGradients, INDArray m, INDArray v) {
        /** What the single-threaded step does, on this slice: sum, floor, divide by the minibatch, Adam, move. */
        void update(int replicasUsed, long minibatch, Adam adam, int iteration, int epoch, boolean floorState) {
            for (int r = 0; r < replicasUsed; r++) {
                gradient.addi(replicaGradients.get(r));
            }
            SubnormalGuard.floor(gradient, SubnormalGuard.GRADIENT_FLOOR);
            gradient.divi(minibatch);
            Nd4j.exec(new org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater(gradient, v, m,
                    adam.getLearningRate(iteration, epoch), adam.getBeta1(), adam.getBeta2(), adam.getEpsilon(), iteration));
            params.subi(gradient);
            if (floorState) {
                SubnormalGuard.floor(m, SubnormalGuard.STATE_FLOOR);
                SubnormalGuard.floor(v, SubnormalGuard.STATE_FLOOR);
            }
        }
    }

    /** Network {@code i}'s (0: the network, then the replicas) gradient on rows {@code [from, to)}; returns its mean loss. */
    private double gradient(int i, INDArray features, INDArray labels, long from, long to) {
        INDArray x = rows(features, from, to);
        INDArray y = labels == features ? x : rows(labels, from, to);
        if (!denseGradients.isEmpty()) {
            return denseGradients.get(i).compute(x, y);
        }
        MultiLayerNetwork m = i == 0 ? net : replicas.get(i - 1);
        m.setInput(x);
        m.setLabels(y);
        m.computeGradientAndScore();
        return m.score();
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FrameGuardException("interrupted while training", e);
        } catch (ExecutionException e) {
            throw new FrameGuardException("training worker failed: " + e.getCause(), e.getCause());
        }
    }

    private static INDArray rows(INDArray a, long from, long to) {
        return a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).dup('c');
    }

    @Override
    public void close() {
        threads.forEach(ExecutorService::shutdownNow);
    }
}
