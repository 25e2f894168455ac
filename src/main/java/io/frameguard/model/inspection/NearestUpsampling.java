package io.frameguard.model.inspection;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Nearest-neighbour 2× upsampling of NCHW activations for scoring graphs: the same output as DL4J's
 * {@code Upsampling2D} of size 2, written as four strided copies of the input into an output taken
 * from the activations workspace. libnd4j's {@code upsampling2d} op took 3.7 ms for an 8×16×64×64
 * input on one Zen 5 core, these copies 1.0 ms; it was 16 % of a 256×256 {@code draem} forward pass
 * at width 8 on a live line (wall-clock profile of {@code bench inspection --line-rate 100}).
 *
 * <p>Forward only: the scoring graph is never trained, and the training graph keeps DL4J's layer.
 */
public final class NearestUpsampling extends GraphVertex {
    @Override
    public NearestUpsampling clone() {
        return new NearestUpsampling();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NearestUpsampling;
    }

    @Override
    public int hashCode() {
        return NearestUpsampling.class.hashCode();
    }

    @Override
    public long numParams(boolean backprop) {
        return 0;
    }

    @Override
    public int minVertexInputs() {
        return 1;
    }

    @Override
    public int maxVertexInputs() {
        return 1;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType networkDatatype) {
        return new Impl(graph, name, idx, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) throws InvalidInputTypeException {
        if (vertexInputs.length != 1 || !(vertexInputs[0] instanceof InputType.InputTypeConvolutional in)) {
            throw new InvalidInputTypeException("NearestUpsampling takes one convolutional input, not "
                    + java.util.Arrays.toString(vertexInputs));
        }
        return InputType.convolutional(2 * in.getHeight(), 2 * in.getWidth(), in.getChannels(), in.getFormat());
    }

    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        return new LayerMemoryReport.Builder(null, NearestUpsampling.class, inputTypes[0], getOutputType(-1, inputTypes))
                .standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }

    private static final class Impl extends BaseGraphVertex {
        Impl(ComputationGraph graph, String name, int index, DataType dataType) {
            super(graph, name, index, null, null, dataType);
        }

        @Override
        public boolean hasLayer() {
            return false;
        }

        @Override
        public Layer getLayer() {
            return null;
        }

        @Override
        public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
            INDArray in = inputs[0];
            long h = in.size(2);
            long w = in.size(3);
            INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, in.dataType(), in.size(0), in.size(1), 2 * h, 2 * w);
            for (int dy = 0; dy < 2; dy++) {
                for (int dx = 0; dx < 2; dx++) {
                    out.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(dy, 2, 2 * h),
                            NDArrayIndex.interval(dx, 2, 2 * w)).assign(in);
                }
            }
            return out;
        }

        @Override
        public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
            throw new UnsupportedOperationException("NearestUpsampling " + vertexName + " is for scoring graphs only");
        }

        @Override
        public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
            if (backpropGradientsViewArray != null) {
                throw new IllegalStateException("NearestUpsampling " + vertexName + " has no parameters");
            }
        }

        @Override
        public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState, int minibatchSize) {
            return maskArrays == null || maskArrays.length == 0 ? null : new Pair<>(maskArrays[0], currentMaskState);
        }

        @Override
        public String toString() {
            return "NearestUpsampling(" + vertexName + ")";
        }
    }
}
