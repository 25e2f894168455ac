package io.frameguard.experiment;

/** A named, rerunnable study that trains and evaluates end to end. */
public interface Experiment {
    String name();

    /** One line for {@code --help} and the README. */
    String description();

    ExperimentReport run(ExperimentContext ctx);
}
