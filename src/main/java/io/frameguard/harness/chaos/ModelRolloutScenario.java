package io.frameguard.harness.chaos;

import io.frameguard.FrameGuardException;
import io.frameguard.avro.FrameScore;
import io.frameguard.avro.ImageFrame;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.evaluation.Verdicts;
import io.frameguard.model.ModelBundle;
import io.frameguard.model.ModelFamily;
import io.frameguard.model.ModelSpec;
import io.frameguard.stream.BundleBatchScorer;
import io.frameguard.stream.FrameValidator;
import io.frameguard.stream.InvalidFrameException;
import io.frameguard.stream.ReplayJudge;
import io.frameguard.stream.serde.SingleObjectWireFormat;
import io.frameguard.threshold.ThresholdStrategy;
import io.frameguard.training.DefaultModel;
import io.frameguard.training.Trainer;
import io.frameguard.training.TrainingOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A new model rolled out mid-stream, without a restart: once ~25 % of the frames are scored, the bundle at
 * {@code model.path} is atomically replaced by another model (trained here in a few epochs, so its
 * weights, id and calibration differ); once the detector says the new model is in force, it is
 * SIGKILLed within 300 ms, while the new model's first batches are in flight, and restarted. The
 * frames after the first 30 % arrive over {@link #PACED_MS}, through the switch and the restart. Besides 0 lost and 0 duplicated: both models judged frames; on every partition no
 * frame judged by the old model follows one judged by the new (the switch happens once, at a batch
 * boundary); and every frame was judged with its own model's thresholds, from that model's
 * calibration: the frames each model judged, source by source, replayed through that model alone
 * ({@link ReplayJudge}, the detector's threshold code) get the same verdicts and thresholds.
 */
final class ModelRolloutScenario {
    /** How long the frames after the first 30 % take to arrive: longer than a switch plus a restart. */
    static final long PACED_MS = 15_000;
    private final ChaosSuite suite;
    private final Path model;

    ModelRolloutScenario(ChaosSuite suite, Path model) {
        this.suite = suite;
        this.model = model;
    }

    ChaosSuite.Result run(ChaosSuite.Options o) {
        Workload w = suite.workload(o.frames(), o.poisonEvery(), o.seed(), Workload.SOURCES);
        return suite.withCluster("model-rollout", 1, null, w, run -> {
            ModelBundle a = ModelBundle.load(model);
            ModelBundle b = candidate(o.seed());
            Path live = run.dir.resolve("live.bundle");
            Path next = run.dir.resolve("candidate.bundle");
            copy(model, live);
            b.save(next);
            run.extra.putAll(Map.of("model.path", live.toString(), "model.watch.interval.ms", "200"));
            DetectorProcess d = run.detector("detector", "chaos-rollout", "").start(Duration.ofSeconds(120));
            int first = (int) (0.3 * w.size());
            w.produce(run.nodes.internalClientConfig(), "frames", 0, first);
            run.awaitProgress("scores", 0.25);
            Path tmp = run.dir.resolve("live.bundle.tmp");
            copy(next, tmp);
            try {
                Files.move(tmp, live, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // the rest over about PACED_MS, so that frames keep coming through the switch, the kill and the restart
            CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
                int chunks = 40;
                for (int k = 0; k < chunks; k++) {
                    w.produce(run.nodes.internalClientConfig(), "frames", first + (w.size() - first) * k / chunks,
                            first + (w.size() - first) * (k + 1) / chunks);
                    KafkaNodes.sleep(PACED_MS / chunks);
                }
            });
            long t0 = System.nanoTime();
            while (!d.get("/health").body().contains(b.modelId())) {
                if (System.nanoTime() - t0 > Duration.ofSeconds(60).toNanos()) {
                    throw new FrameGuardException("the detector did not put " + b.modelId() + " in force within 60 s");
                }
                KafkaNodes.sleep(20);
            }
            long switchMs = (System.nanoTime() - t0) / 1_000_000;
            int delay = new Random(o.seed()).nextInt(300);
            KafkaNodes.sleep(delay);
            d.kill();
            suite.say(String.format("   model.path replaced by %s at ~25%% of the frames scored; in force %d ms later; SIGKILL of"
                    + " the detector %d ms after that, with the first batches of the new model in flight; restarting",
                    b.modelId(), switchMs, delay));
            d.start(Duration.ofSeconds(180));
            producing.join();
            Audit.Output out = Audit.read(run.nodes.internalClientConfig(), "scores", "dlq", suite.scores, w,
                    Duration.ofSeconds(5), Duration.ofMinutes(10));
            Audit.Verdict v = Audit.judge(w, out, null);
            List<String> problems = new ArrayList<>(v.problems());
            if (!d.isAlive()) {
                problems.add("detector died (see " + d.log().getFileName() + ")");
            }
            FrameGuardConfig config = FrameGuardConfig.load(null, Map.of(), run.settings("chaos-rollout", ""));
            Map<String, Long> byModel = new TreeMap<>();
            out.scores().values().forEach(l -> byModel.merge(l.get(0).getModelId(), 1L, Long::sum));
            if (!byModel.keySet().equals(new java.util.TreeSet<>(List.of(a.modelId(), b.modelId())))) {
                problems.add("frames judged by " + byModel + ", expected both " + a.modelId() + " and " + b.modelId());
            }
            problems.addAll(switchedOnce(out, b.modelId()));
            int replayed = 0;
            for (ModelBundle m : List.of(a, b)) {
                replayed += sameThresholds(m, out, w, config, problems);
            }
            String notes = String.format("new model %s put in force mid-stream, detector SIGKILLed %d ms after the switch:"
                    + " frames judged %s; one switch per partition; %,d verdicts and thresholds equal each model's own replay",
                    b.modelId(), delay, byModel, replayed);
            return new ChaosSuite.Result("model-rollout", w.scoredIds().size(), 1, v.lost(), v.duplicated(), v.deadLettered(),
                    problems.isEmpty(), 0, problems.isEmpty() ? notes : String.join("; ", problems));
        });
    }

    /** Another model for the same line: the default family, a few epochs, another seed. */
    private ModelBundle candidate(long seed) {
        ModelSpec defaults = ModelSpec.defaults(ModelFamily.DENSE);
        ModelSpec spec = new ModelSpec(defaults.family(), defaults.width(), defaults.height(), defaults.latentSize(),
                defaults.channels(), defaults.learningRate(), defaults.noiseStd(), defaults.dropout(), defaults.vaeSamples(),
                seed + 1);
        return new Trainer(new PrintWriter(Writer.nullWriter())).train(spec, new TrainingOptions(3, 128, 0.1, 4, false),
                suite.normal(), "mnist", DefaultModel.NORMAL);
    }

    /** On each partition, in offset order, the new model's first frame is never followed by one of the old model's. */
    private static List<String> switchedOnce(Audit.Output out, String newModel) {
        Map<Integer, List<FrameScore>> byPartition = new TreeMap<>();
        out.scores().values().forEach(l -> byPartition.computeIfAbsent(l.get(0).getFramePartition(), p -> new ArrayList<>())
                .add(l.get(0)));
        List<String> problems = new ArrayList<>();
        for (var e : byPartition.entrySet()) {
            List<FrameScore> scores = e.getValue();
            scores.sort(Comparator.comparingLong(FrameScore::getFrameOffset));
            boolean switched = false;
            for (FrameScore s : scores) {
                boolean isNew = s.getModelId().equals(newModel);
                if (switched && !isNew) {
                    problems.add("partition " + e.getKey() + ": frame " + s.getFrameId() + " at offset " + s.getFrameOffset()
                            + " judged by the old model after the new one had judged earlier frames");
                    break;
                }
                switched |= isNew;
            }
        }
        return problems;
    }

    /**
     * Replays, source by source, the frames {@code m} judged through {@code m} alone, from its own
     * calibration, and compares verdicts and thresholds with what the detector committed.
     * Returns the number of frames compared.
     */
    private static int sameThresholds(ModelBundle m, Audit.Output out, Workload w, FrameGuardConfig config,
                                      List<String> problems) {
        BundleBatchScorer scorer = new BundleBatchScorer(m);
        FrameValidator validator = FrameValidator.of(scorer);
        Deserializer<ImageFrame> frames = new SingleObjectWireFormat().serde(ImageFrame.class).deserializer();
        Map<String, List<ImageFrame>> bySource = new LinkedHashMap<>();
        Map<String, FrameScore> committed = new HashMap<>();
        for (Poison.Bytes r : w.records()) {
            ImageFrame f;
            try {
                f = validator.normalize(frames.deserialize("frames", r.value()));
            } catch (InvalidFrameException | RuntimeException e) {
                continue;   // a poison record: dead-lettered, judged by no model
            }
            List<FrameScore> s = out.scores().get(f.getFrameId());
            if (s != null && s.get(0).getModelId().equals(m.modelId())) {
                bySource.computeIfAbsent(f.getSourceId(), k -> new ArrayList<>()).add(f);
                committed.put(f.getFrameId(), s.get(0));
            }
        }
        ThresholdStrategy strategy = config.thresholdStrategy();
        int window = config.getInt(FrameGuardConfig.THRESHOLD_WINDOW_SIZE);
        boolean trust = config.getBoolean(FrameGuardConfig.THRESHOLD_TRUST_LABELS);
        int compared = 0;
        for (var e : bySource.entrySet()) {
            List<ImageFrame> list = e.getValue();
            Verdicts r = new ReplayJudge(scorer, strategy, window, 64, trust).run(list);
            for (int i = 0; i < list.size(); i++) {
                FrameScore s = committed.get(list.get(i).getFrameId());
                double diff = Math.abs(s.getThreshold() - r.thresholds()[i]) / Math.max(1e-12, Math.abs(r.thresholds()[i]));
                if (diff > 1e-5 || s.getIsAnomaly() != r.anomaly()[i]) {
                    problems.add(String.format("%s, source %s, frame %s: threshold %.6g, anomaly %s; model %s alone: %.6g, %s",
                            m.modelId(), e.getKey(), s.getFrameId(), s.getThreshold(), s.getIsAnomaly(), m.modelId(),
                            r.thresholds()[i], r.anomaly()[i]));
                    return compared;
                }
                compared++;
            }
        }
        return compared;
    }

    private static void copy(Path from, Path to) {
        try {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new FrameGuardException("cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }
}
