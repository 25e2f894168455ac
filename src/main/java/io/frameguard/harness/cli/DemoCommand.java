package io.frameguard.harness.cli;

import io.frameguard.Json;
import io.frameguard.avro.AnomalyEvent;
import io.frameguard.avro.FrameScore;
import io.frameguard.cli.DataOptions;
import io.frameguard.cli.EvaluationPrinter;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.evaluation.EvaluationResult;
import io.frameguard.harness.registry.ApicurioRegistry;
import io.frameguard.harness.traffic.CameraSimulator;
import io.frameguard.runtime.Detector;
import io.frameguard.runtime.EmbeddedKafka;
import io.frameguard.stream.AlertText;
import io.frameguard.stream.Topics;
import io.frameguard.threshold.ThresholdStrategy;
import io.frameguard.topics.CommittedConsumer;
import io.frameguard.topics.ScoreTopicReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The whole line on one machine: fetch data and train the scene's model if missing, start an"
                + " embedded Kafka broker and the detector, stream frames from simulated cameras, show alerts,"
                + " and evaluate what the live detector emitted. Leaves nothing running. Scenes: digits (MNIST"
                + " frames; the default) and inspection (256x256 frames of a photographed gravel surface with"
                + " synthetic defects, alerts with the defects' boxes).")
final class DemoCommand implements Callable<Integer> {
    /** Named as typed after {@code --scene}. */
    enum Scene { digits, inspection }

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--scene", defaultValue = "digits", description = "digits or inspection (default: ${DEFAULT-VALUE}).")
    Scene scene;

    @Option(names = "--frames", description = "Frames to stream (default: 20000 digits, 300 inspection).")
    Long frames;

    @Option(names = "--rate", description = "Frames per second offered, all cameras together (default: 2000 digits,"
            + " 20 inspection).")
    Double rate;

    @Option(names = "--anomaly-rate", description = "Share of anomalous frames (default: 0.05 digits, 0.07 inspection).")
    Double anomalyRate;

    @Option(names = "--sources", split = ",", description = "Simulated cameras (default: line-1,line-2,line-3 digits,"
            + " cam-1,cam-2,cam-3 inspection).")
    List<String> sources;

    @Option(names = "--model", paramLabel = "BUNDLE", description = "Bundle to use; trained when missing (default:"
            + " work/models/demo-dense-1.bundle, dense on MNIST 1s; work/models/demo-draem-gravel.bundle, draem on the"
            + " top half of gravel.png).")
    Path model;

    @Option(names = "--steps", paramLabel = "N", description = "inspection: training steps when the model is trained"
            + " (default: " + InspectionScene.STEPS + ").")
    Integer steps;

    @Option(names = "--false-alarm-budget", defaultValue = "0.005", paramLabel = "SHARE",
            description = "Share of normal frames you accept as alerts: the threshold is the (1 - SHARE)-quantile of"
                    + " each camera's recent normal scores (default: ${DEFAULT-VALUE}, one in 200; README: choose a"
                    + " threshold and a false-alarm budget).")
    double falseAlarmBudget;

    @Option(names = "--work-dir", description = "Broker data, state and report (default: work/demo, work/demo-inspection).")
    Path workDir;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the final evaluation as JSON.")
    Path json;

    @Option(names = "--registry", description = "Also start a Schema Registry (Apicurio Registry, Java 21+; unpacked by"
            + " Maven on first use) and run every topic in its wire format (wire.format=confluent), as in a shop that"
            + " uses one.")
    boolean registry;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        boolean digits = scene == Scene.digits;
        long n = frames != null ? frames : digits ? 20_000 : 300;
        double offered = rate != null ? rate : digits ? 2000 : 20;
        List<String> cameras = sources != null ? sources : digits ? List.of("line-1", "line-2", "line-3")
                : InspectionScene.CAMERAS;
        Path dir = workDir != null ? workDir : Path.of(digits ? "work/demo" : "work/demo-inspection");
        Path bundle = model != null ? model
                : Path.of(digits ? "work/models/demo-dense-1.bundle" : "work/models/demo-draem-gravel.bundle");
        DemoScene s = digits
                ? new DigitsScene(data.dataDir(), data.datasets(), bundle, n, anomalyRate != null ? anomalyRate : 0.05)
                : new InspectionScene(data.dataDir(), bundle, n, anomalyRate != null ? anomalyRate : InspectionScene.DEFECT_RATE, steps);
        s.prepare(out);
        run(out, s, bundle, dir, cameras, n, offered);
        out.println("demo finished; broker and detector stopped");
        return 0;
    }

    /** Normal scores a threshold window should hold above the threshold: see {@link #windowFor}. */
    static final int SCORES_ABOVE = 25;

    /**
     * A window that holds about {@value #SCORES_ABOVE} normal scores above a (1 - budget)-quantile, at
     * least the default 1,000. With 1,000 scores a 0.5 % budget rests on the 5 highest, and the share
     * of normal frames over the threshold wanders by about ±0.2 points around the budget; with 5,000 on
     * 25, by ±0.1.
     */
    static int windowFor(double budget) {
        return (int) Math.max(1000, Math.min(1_000_000, Math.ceil(SCORES_ABOVE / budget)));
    }

    /** Steps 3 to 5, the same for every scene: broker and detector, cameras and alerts, evaluation and report. */
    private void run(PrintWriter out, DemoScene scene, Path bundle, Path dir, List<String> cameras, long n, double offered)
            throws Exception {
        DemoScene.step(out, "3/5 embedded Kafka broker and detector");
        io.frameguard.FileTrees.delete(dir.resolve("state"));
        Map<String, String> cfg = new HashMap<>(Map.of(FrameGuardConfig.MODEL_PATH, bundle.toString(),
                FrameGuardConfig.STATE_DIR, dir.resolve("state").toString(), FrameGuardConfig.HTTP_PORT, "0",
                FrameGuardConfig.THRESHOLD_STRATEGY, ThresholdStrategy.QUANTILE,
                FrameGuardConfig.THRESHOLD_PARAM, Double.toString(1 - falseAlarmBudget),
                FrameGuardConfig.THRESHOLD_WINDOW_SIZE, Integer.toString(windowFor(falseAlarmBudget))));
        // the cameras are the demo's own, so their labels are trusted: labelled normal frames feed each
        // camera's window with their scores, which holds the quantile to the budget. Judged from
        // their verdicts alone, normal frames alarm at about 2-3 times the budget.
        cfg.put(FrameGuardConfig.THRESHOLD_TRUST_LABELS, "true");
        // the demo streams its frames as fast as it is asked to and reports throughput and quality; a warm-up on
        // the broker (half a minute) would buy lower latency in its first seconds, which it does not report
        cfg.put(FrameGuardConfig.WARM_UP_ON_BROKER, "false");
        try (ApicurioRegistry schemas = registry ? ApicurioRegistry.start(null, dir.resolve("registry.log")) : null;
             EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("state/kafka"))) {
            if (schemas != null) {
                cfg.put(FrameGuardConfig.WIRE_FORMAT, "confluent");
                cfg.put(FrameGuardConfig.SCHEMA_REGISTRY_URL, schemas.url());
                out.println("schema registry " + schemas.url() + " (wire.format=confluent)");
            }
            cfg.put(FrameGuardConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            FrameGuardConfig config = FrameGuardConfig.load(null, Map.of(), cfg);
            Topics topics = Topics.of(config);
            kafka.createTopics(topics.all(), config.getInt(FrameGuardConfig.TOPIC_PARTITIONS));
            try (Detector detector = scene.detector(config).start()) {
                detector.awaitRunning(Duration.ofSeconds(120));
                out.printf("broker %s, detector %s, metrics http://127.0.0.1:%d/metrics%n", kafka.bootstrapServers(),
                        detector.state(), detector.httpPort());
                DemoScene.step(out, "4/5 streaming " + n + " frames from " + cameras + " at " + (long) offered + "/s ("
                        + scene.traffic() + ")");
                AtomicBoolean done = new AtomicBoolean();
                Thread alerts = new Thread(() -> printAlerts(out, config, topics, scene.alertsShown(), done), "demo-alerts");
                alerts.start();
                long t0 = System.nanoTime();
                new CameraSimulator(config.clientProperties(), topics.frames(), topics.frameSerde().serializer())
                        .run(scene.frames(), cameras, n, offered, sent -> status(out, detector, sent, t0));
                List<FrameScore> scores = ScoreTopicReader.read(config.clientProperties(), topics.scores(),
                        topics.scoreSerde().deserializer(), n, Duration.ofMinutes(5));
                double seconds = (System.nanoTime() - t0) / 1e9;
                done.set(true);
                alerts.join();
                status(out, detector, n, t0);
                DemoScene.step(out, "5/5 evaluation of what the live detector emitted");
                long flagged = scores.stream().filter(FrameScore::getIsAnomaly).count();
                List<AnomalyEvent> events = ScoreTopicReader.read(config.clientProperties(), topics.anomalies(),
                        topics.anomalySerde().deserializer(), flagged, Duration.ofSeconds(30));
                EvaluationResult r = ScoreTopicReader.evaluate(scores, scene.normal(), scene.dataset(),
                        config.getString(FrameGuardConfig.THRESHOLD_STRATEGY), scores.size() / seconds).withExperiment("demo");
                out.printf("%,d frames produced, %,d scored (exactly once: %s), %,.0f frames/s end to end%n", n,
                        scores.size(), scores.stream().map(FrameScore::getFrameId).distinct().count() == scores.size(),
                        scores.size() / seconds);
                out.printf("%,d anomaly events for %,d flagged frames%n", events.size(), flagged);
                EvaluationPrinter.print(out, r);
                out.println("report: " + scene.report(dir.resolve("report"), r, scores, events).toAbsolutePath());
                if (json != null) {
                    Json.write(r, json);
                    out.println("wrote " + json);
                }
            }
        }
    }

    private static void printAlerts(PrintWriter out, FrameGuardConfig config, Topics topics, int most, AtomicBoolean done) {
        try (var c = CommittedConsumer.open(config.clientProperties(), topics.anomalies(), true)) {
            int shown = 0;
            while (!done.get() && shown < most) {
                for (var r : c.poll(Duration.ofMillis(200))) {
                    if (shown++ < most) {
                        AnomalyEvent e = topics.anomalySerde().deserializer().deserialize(r.topic(), r.value());
                        synchronized (out) {
                            out.println("ALERT " + AlertText.of(e));
                            out.flush();
                        }
                    }
                }
            }
        }
    }

    private static void status(PrintWriter out, Detector d, long sent, long t0) {
        var m = d.metrics();
        double s = (System.nanoTime() - t0) / 1e9;
        synchronized (out) {
            out.printf("sent %,7d  scored %,7.0f (%,6.0f frames/s)  anomalies %,5.0f  dead letters %.0f%n", sent,
                    m.framesScored(), m.framesScored() / s, m.anomaliesTotal(), m.deadLettersTotal());
            out.flush();
        }
    }
}
