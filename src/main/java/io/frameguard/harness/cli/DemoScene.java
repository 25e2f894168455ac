package io.frameguard.harness.cli;

import io.frameguard.avro.AnomalyEvent;
import io.frameguard.avro.FrameScore;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.evaluation.EvaluationResult;
import io.frameguard.harness.traffic.CameraSimulator;
import io.frameguard.runtime.Detector;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code demo} runs through the line: its data and model, the frames its cameras send and the
 * report on what the live detector made of them. The broker, detector, cameras, alerts and the
 * evaluation are {@link DemoCommand}'s, the same for every scene.
 */
interface DemoScene {
    /** Prints the heading of one of the demo's five steps, the scene's and the command's alike. */
    static void step(PrintWriter out, String what) {
        out.println("== " + what);
        out.flush();
    }

    /** Steps 1 and 2: fetches the data, loads the model or trains it when its file is missing. */
    void prepare(PrintWriter out);

    /** A detector serving the model {@link #prepare} loaded. */
    Detector detector(FrameGuardConfig config);

    /** A fresh source of the frames the cameras send, seeded: the same frames every run. */
    CameraSimulator.FrameSource frames();

    /** The labels of normal frames. */
    List<String> normal();

    /** The frames sent, in a few words (for the streaming step's line). */
    String traffic();

    /** The frames sent, as the evaluation's dataset. */
    String dataset();

    /** How many alerts the demo prints as they arrive. */
    int alertsShown();

    /**
     * Writes the report on the run into {@code dir} and returns its index page.
     *
     * @param scores every frame's score, as the detector emitted them
     * @param events every anomaly event, as the detector emitted them
     */
    Path report(Path dir, EvaluationResult result, List<FrameScore> scores, List<AnomalyEvent> events);
}
