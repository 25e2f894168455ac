package io.frameguard.data;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Labelled frames of any size: one entry per image, in the same order in the three lists.
 *
 * @param images the images, with the channels of their files
 * @param labels each image's label (e.g. {@code good} or a defect kind)
 * @param masks each image's ground-truth mask (one channel, 1 inside the defect), or null where there is none
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

    /** The entries whose label passes {@code keep}, in order. */
    public LabelledRasters filter(Predicate<String> keep) {
        List<Raster> i = new ArrayList<>();
        List<String> l = new ArrayList<>();
        List<Raster> m = new ArrayList<>();
        for (int k = 0; k < size(); k++) {
            if (keep.test(labels.get(k))) {
                i.add(images.get(k));
                l.add(labels.get(k));
                m.add(masks.get(k));
            }
        }
        return new LabelledRasters(i, l, m);
    }
}
