package io.frameguard.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The conv families are only fast when DL4J's oneDNN helpers run (see org.nd4j.nativeblas.Nd4jCpu).
 * Fails if the build, the JVM flags or a DL4J upgrade switch them off.
 */
class OneDnnHelpersTest {
    @Test
    void shouldRunConvolutionsThroughOneDnn() {
        MultiLayerNetwork net = Architectures.build(ModelSpec.defaults(ModelFamily.CONV));
        net.output(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 784));
        ConvolutionLayer conv = (ConvolutionLayer) net.getLayer(0);
        assertThat(conv.getHelper()).isInstanceOf(MKLDNNConvHelper.class);
    }
}
