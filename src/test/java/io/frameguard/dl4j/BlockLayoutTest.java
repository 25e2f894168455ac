package io.frameguard.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BlockLayoutTest {
    @Test
    void shouldPutEachPixelOfA2x2BlockInItsOwnChannel() {
        // two 4×6 images whose pixel value encodes (image, row, column)
        INDArray images = Nd4j.create(DataType.FLOAT, 2, 24);
        for (int n = 0; n < 2; n++) {
            for (int r = 0; r < 4; r++) {
                for (int c = 0; c < 6; c++) {
                    images.putScalar(n, r * 6 + c, 100 * n + 10 * r + c);
                }
            }
        }
        INDArray blocks = BlockLayout.toBlocks(images, 4, 6);
        assertThat(blocks.shape()).containsExactly(2, 4, 2, 3);
        for (int n = 0; n < 2; n++) {
            for (int dy = 0; dy < 2; dy++) {
                for (int dx = 0; dx < 2; dx++) {
                    for (int y = 0; y < 2; y++) {
                        for (int x = 0; x < 3; x++) {
                            assertThat(blocks.getFloat(n, 2 * dy + dx, y, x))
                                    .isEqualTo(100 * n + 10 * (2 * y + dy) + (2 * x + dx));
                        }
                    }
                }
            }
        }
        assertThat(BlockLayout.toImages(blocks)).isEqualTo(images);
    }

    @Test
    void shouldTellBlocksFromWholeImages() {
        assertThat(BlockLayout.isBlocks(Nd4j.create(DataType.FLOAT, 3, 4, 14, 14), 784)).isTrue();
        assertThat(BlockLayout.isBlocks(Nd4j.create(DataType.FLOAT, 3, 1, 28, 28), 784)).isFalse();
        assertThat(BlockLayout.isBlocks(Nd4j.create(DataType.FLOAT, 3, 784), 784)).isFalse();
    }
}
