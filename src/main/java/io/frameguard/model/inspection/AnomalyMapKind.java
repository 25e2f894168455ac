package io.frameguard.model.inspection;

import io.frameguard.FrameGuardException;

/** Where an inspection model's anomaly map comes from; chosen on validation when the model is trained. */
public enum AnomalyMapKind {
    /** The segmentation network's defect probability per pixel (DRAEM). */
    SEGMENTATION("segmentation"),
    /** The structural dissimilarity of the frame and the reconstruction network's output ({@link SsimMap}). */
    SSIM("ssim");

    private final String cliName;

    AnomalyMapKind(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** The kind called {@code name}; {@link #SEGMENTATION} when null (bundles older than the choice). */
    public static AnomalyMapKind byName(String name) {
        if (name == null) {
            return SEGMENTATION;
        }
        for (AnomalyMapKind k : values()) {
            if (k.cliName.equals(name)) {
                return k;
            }
        }
        throw new FrameGuardException("unknown anomaly map '" + name + "' in the bundle; known: segmentation, ssim");
    }
}
