package io.frameguard.harness.cli;

import io.frameguard.Json;
import io.frameguard.avro.AnomalyEvent;
import io.frameguard.avro.Encoding;
import io.frameguard.avro.FrameScore;
import io.frameguard.cli.DataOptions;
import io.frameguard.cli.EvaluationPrinter;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.data.DatasetFetcher;
import io.frameguard.data.ImageSet;
import io.frameguard.data.KnownDataset;
import io.frameguard.evaluation.EvaluationResult;
import io.frameguard.evaluation.HtmlReport;
import io.frameguard.evaluation.LabelledScores;
import io.frameguard.harness.traffic.CameraSimulator;
import io.frameguard.harness.traffic.FrameMix;
import io.frameguard.model.ModelBundle;
import io.frameguard.model.Scorer;
import io.frameguard.runtime.Detector;
import io.frameguard.runtime.EmbeddedKafka;
import io.frameguard.stream.AlertText;
import io.frameguard.stream.Topics;
import io.frameguard.topics.CommittedConsumer;
import io.frameguard.topics.ScoreTopicReader;
import io.frameguard.training.DefaultModel;
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
        description = "The whole line on one machine: fetch data and train the default model if missing, start an"
                + " embedded Kafka broker and the detector, stream MNIST frames from simulated cameras, show alerts,"
                + " and evaluate what the live detector emitted. Leaves nothing running.")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--frames", defaultValue = "20000", description = "Frames to stream (default: ${DEFAULT-VALUE}).")
    long frames;

    @Option(names = "--rate", defaultValue = "2000", description = "Frames per second offered (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--anomaly-rate", defaultValue = "0.05", description = "Share of anomalous frames (default: ${DEFAULT-VALUE}).")
    double anomalyRate;

    @Option(names = "--sources", split = ",", defaultValue = "line-1,line-2,line-3", description = "Simulated cameras.")
    List<String> sources;

    @Option(names = "--model", paramLabel = "BUNDLE", defaultValue = "work/models/demo-dense-1.bundle",
            description = "Bundle to use; trained (dense, normal = 1s) when missing (default: ${DEFAULT-VALUE}).")
    Path model;

    @Option(names = "--false-alarm-budget", defaultValue = "0.005", paramLabel = "SHARE",
            description = "Share of normal frames you accept as alerts: the threshold is the (1 - SHARE)-quantile of"
                    + " each camera's recent normal scores (default: ${DEFAULT-VALUE}, one in 200; README: choose a"
                    + " threshold and a false-alarm budget).")
    double falseAlarmBudget;

    @Option(names = "--work-dir", defaultValue = "work/demo", description = "Broker data, state and report (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the final evaluation as JSON.")
    Path json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        step(out, "1/5 data");
        DatasetFetcher fetcher = new DatasetFetcher(data.dataDir(), out);
        fetcher.fetch(KnownDataset.MNIST);
        fetcher.fetch(KnownDataset.FASHION_MNIST);
        ModelBundle bundle = model(out);

        step(out, "3/5 embedded Kafka broker and detector");
        io.frameguard.FileTrees.delete(workDir.resolve("state"));
        Map<String, String> cfg = new HashMap<>(Map.of(FrameGuardConfig.MODEL_PATH, model.toString(),
                FrameGuardConfig.STATE_DIR, workDir.resolve("state").toString(), FrameGuardConfig.HTTP_PORT, "0",
                FrameGuardConfig.THRESHOLD_STRATEGY, "quantile",
                FrameGuardConfig.THRESHOLD_PARAM, Double.toString(1 - falseAlarmBudget)));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(workDir.resolve("state/kafka"))) {
            cfg.put(FrameGuardConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            FrameGuardConfig config = FrameGuardConfig.load(null, Map.of(), cfg);
            Topics topics = Topics.of(config);
            kafka.createTopics(topics.all(), config.getInt(FrameGuardConfig.TOPIC_PARTITIONS));
            try (Detector detector = new Detector(config, bundle).start()) {
                detector.awaitRunning(Duration.ofSeconds(120));
                out.printf("broker %s, detector %s, metrics http://127.0.0.1:%d/metrics%n", kafka.bootstrapServers(),
                        detector.state(), detector.httpPort());
                step(out, "4/5 streaming " + frames + " frames from " + sources + " at " + (long) rate + "/s ("
                        + Math.round(anomalyRate * 100) + "% other digits and Fashion-MNIST)");
                AtomicBoolean done = new AtomicBoolean();
                Thread alerts = new Thread(() -> printAlerts(out, config, topics, done), "demo-alerts");
                alerts.start();
                FrameMix mix = mix();
                long t0 = System.nanoTime();
                new CameraSimulator(config.clientProperties(), topics.frames(), topics.frameSerde().serializer())
                        .run(mix, sources, frames, rate, true, Encoding.RAW_U8, n -> status(out, detector, n, t0));
                List<FrameScore> scores = ScoreTopicReader.read(config.clientProperties(), topics.scores(),
                        topics.scoreSerde().deserializer(), frames, Duration.ofMinutes(5));
                double seconds = (System.nanoTime() - t0) / 1e9;
                done.set(true);
                alerts.join();
                status(out, detector, frames, t0);
                step(out, "5/5 evaluation of what the live detector emitted");
                EvaluationResult r = ScoreTopicReader.evaluate(scores, DefaultModel.NORMAL, "mnist/test + fashion-mnist/test (live)",
                        config.getString(FrameGuardConfig.THRESHOLD_STRATEGY), scores.size() / seconds)
                        .withExperiment("demo");
                out.printf("%,d frames produced, %,d scored (exactly once: %s), %,.0f frames/s end to end%n", frames,
                        scores.size(), scores.stream().map(FrameScore::getFrameId).distinct().count() == scores.size(),
                        scores.size() / seconds);
                EvaluationPrinter.print(out, r);
                Path report = HtmlReport.write(workDir.resolve("report"), "FrameGuard demo: live detector", r,
                        labelled(scores), imagesOf(scores), new Scorer(bundle));
                out.println("report: " + report.toAbsolutePath());
                if (json != null) {
                    Json.write(r, json);
                    out.println("wrote " + json);
                }
            }
        }
        out.println("demo finished; broker and detector stopped");
        return 0;
    }

    private ModelBundle model(PrintWriter out) {
        step(out, "2/5 model " + model);
        return DefaultModel.ensure(model, data.datasets(), out);
    }

    /** The frames the cameras send: the same seed every run, so {@link #imagesOf} can draw them again. */
    private FrameMix mix() {
        return FrameMix.fromTestSplit(data.datasets(), "mnist", DefaultModel.NORMAL, List.of("digits", "fashion"),
                anomalyRate, 7);
    }

    /** The image of each labelled score, in the order of {@link #labelled}: frame ids end in the frame's number. */
    private ImageSet imagesOf(List<FrameScore> scores) {
        ImageSet sent = mix().take(Math.toIntExact(frames));
        return sent.subset(scores.stream().filter(s -> s.getLabel() != null)
                .mapToInt(s -> Integer.parseInt(s.getFrameId().substring(s.getFrameId().lastIndexOf('-') + 1)))
                .toArray());
    }

    private static void printAlerts(PrintWriter out, FrameGuardConfig config, Topics topics, AtomicBoolean done) {
        try (var c = CommittedConsumer.open(config.clientProperties(), topics.anomalies(), true)) {
            int shown = 0;
            while (!done.get() && shown < 6) {
                for (var r : c.poll(Duration.ofMillis(200))) {
                    if (shown++ < 6) {
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

    private static LabelledScores labelled(List<FrameScore> scores) {
        List<FrameScore> l = scores.stream().filter(s -> s.getLabel() != null).toList();
        return LabelledScores.of(l.stream().map(FrameScore::getLabel).toArray(String[]::new),
                l.stream().mapToDouble(FrameScore::getScore).toArray(), DefaultModel.NORMAL);
    }

    private static void step(PrintWriter out, String what) {
        out.println("== " + what);
        out.flush();
    }
}
