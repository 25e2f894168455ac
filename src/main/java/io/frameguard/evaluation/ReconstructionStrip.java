package io.frameguard.evaluation;

import io.frameguard.data.ImageSet;
import io.frameguard.model.Preprocessing;
import io.frameguard.model.Scorer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Pictures of reconstructions: columns of input / reconstruction / |difference|, scaled up. */
public final class ReconstructionStrip {
    private ReconstructionStrip() {
    }

    /** One column per image in {@code indices}, three rows; each cell {@code scale}× enlarged. */
    public static BufferedImage grid(Scorer scorer, ImageSet images, int[] indices, int scale) {
        Preprocessing prep = scorer.preprocessing();
        int w = images.width();
        int h = images.height();
        int cell = Math.max(w, h) * scale + 4;
        BufferedImage out = new BufferedImage(Math.max(1, indices.length) * cell, 3 * cell, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.DARK_GRAY);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            ImageSet picked = images.subset(indices);
            INDArray input = prep.toInput(picked.pixels(), 0, picked.size());
            INDArray recon = scorer.reconstruct(input);
            for (int c = 0; c < indices.length; c++) {
                float[] x = input.getRow(c).toFloatVector();
                float[] r = recon.getRow(c).toFloatVector();
                float[] d = new float[x.length];
                for (int i = 0; i < x.length; i++) {
                    d[i] = Math.abs(x[i] - r[i]);
                }
                byte[][] rows = {picked.image(c), prep.toPixels(r), prep.toPixels(d)};
                for (int row = 0; row < 3; row++) {
                    Image img = io.frameguard.data.ImageFiles.fromGray(rows[row], w, h)
                            .getScaledInstance(w * scale, h * scale, Image.SCALE_FAST);
                    g.drawImage(img, c * cell + 2, row * cell + 2, null);
                }
            }
        } finally {
            g.dispose();
        }
        return out;
    }
}
