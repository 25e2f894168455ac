package io.frameguard.data.synth;

import io.frameguard.data.Raster;
import java.util.List;

/**
 * A labelled split read from a {@link DefectFolder}: one entry per image, in the same order in the
 * three lists.
 *
 * @param images the images, with the channels of their files
 * @param labels {@value DefectFolder#GOOD} or a {@link DefectKind#cliName()}
 * @param masks the ground-truth mask of each defect image (one channel, 1 inside the defect); null
 *     for good images
 */
public record LabelledRasters(List<Raster> images, List<String> labels, List<Raster> masks) {
    public LabelledRasters {
        if (images.size() != labels.size() || images.size() != masks.size()) {
            throw new IllegalArgumentException(images.size() + " images, " + labels.size() + " labels and "
                    + masks.size() + " masks");
        }
    }

    public int size() {
        return images.size();
    }
}
