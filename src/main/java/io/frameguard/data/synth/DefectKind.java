package io.frameguard.data.synth;

import io.frameguard.FrameGuardException;
import java.util.Arrays;
import java.util.List;

/** The kinds of synthetic defect {@link DefectGenerator} draws, each with the name the CLI and folders use. */
public enum DefectKind {
    SCRATCH("scratch"),
    SPOT("spot"),
    CRACK("crack"),
    FOREIGN_TEXTURE("foreign-texture"),
    HOLE("hole"),
    SMEAR("smear"),
    BRIGHTNESS("brightness");

    private final String cliName;

    DefectKind(String cliName) {
        this.cliName = cliName;
    }

    /** The name on the command line and of the folder holding this kind's images. */
    public String cliName() {
        return cliName;
    }

    /** The kind called {@code name} (its {@link #cliName()}); a one-line error listing the kinds otherwise. */
    public static DefectKind byName(String name) {
        return Arrays.stream(values()).filter(k -> k.cliName.equals(name.trim())).findFirst()
                .orElseThrow(() -> new FrameGuardException("unknown defect kind '" + name + "'; known: "
                        + String.join(", ", names())));
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(DefectKind::cliName).toList();
    }
}
