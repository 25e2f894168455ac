package io.frameguard.experiment;

import io.frameguard.FrameGuardException;
import java.util.List;

/** The registry of named experiments. */
public final class Experiments {
    public static final List<Experiment> ALL = List.of(
            new DigitVsDigitExperiment(),
            new DigitVsRestExperiment(),
            new HoldoutFashionExperiment(),
            new LeaveOneDigitOutExperiment(),
            new OneClassExperiment(),
            new OutlierRankingExperiment(),
            new TextureExperiment());

    private Experiments() {
    }

    public static Experiment byName(String name) {
        return ALL.stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new FrameGuardException("unknown experiment '" + name + "'; known: " + names()));
    }

    public static List<String> names() {
        return ALL.stream().map(Experiment::name).toList();
    }
}
