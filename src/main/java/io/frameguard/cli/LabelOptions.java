package io.frameguard.cli;

import io.frameguard.FrameGuardException;
import io.frameguard.data.ImageSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** Which labels are normal: {@code --normal 1,7} or {@code --exclude 5} (every other label). */
final class LabelOptions {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Choice choice;

    static final class Choice {
        @Option(names = "--normal", split = ",", paramLabel = "LABELS", description = "Labels of normal images, e.g. 1 or 1,7.")
        List<String> normal;

        @Option(names = "--exclude", split = ",", paramLabel = "LABELS",
                description = "Every label but these is normal, e.g. 5.")
        List<String> exclude;
    }

    /** The normal labels, checked against the labels present in {@code data}. */
    List<String> normalLabels(ImageSet data) {
        return normalLabels(data.distinctLabels(), data.name());
    }

    /** The normal labels, checked against the labels {@code present} in the dataset {@code name}. */
    List<String> normalLabels(Set<String> present, String name) {
        List<String> named = choice.normal != null ? choice.normal : choice.exclude;
        for (String l : named) {
            if (!present.contains(l)) {
                throw new FrameGuardException("label '" + l + "' does not occur in " + name + " (labels: "
                        + present + ")");
            }
        }
        List<String> normal = choice.normal != null ? List.copyOf(choice.normal)
                : present.stream().filter(l -> !choice.exclude.contains(l)).toList();
        if (normal.isEmpty()) {
            throw new FrameGuardException("no normal labels left: --exclude names every label of " + name);
        }
        return normal;
    }
}
