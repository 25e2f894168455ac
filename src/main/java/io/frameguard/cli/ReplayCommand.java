package io.frameguard.cli;

import io.frameguard.FrameGuardException;
import io.frameguard.Json;
import io.frameguard.avro.FrameScore;
import io.frameguard.avro.ImageFrame;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.evaluation.Agreement;
import io.frameguard.evaluation.EvaluationResult;
import io.frameguard.evaluation.HtmlReport;
import io.frameguard.evaluation.Verdicts;
import io.frameguard.model.ModelBundle;
import io.frameguard.stream.BundleBatchScorer;
import io.frameguard.stream.DeadLetter;
import io.frameguard.stream.FrameValidator;
import io.frameguard.stream.ReplayJudge;
import io.frameguard.stream.Topics;
import io.frameguard.topics.RecordedFrames;
import io.frameguard.topics.ScoreTopicReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Judge a model on recorded traffic: re-read a frames topic (from the beginning or a time range)"
                + " through the detector's scorer and threshold logic and evaluate against the frames' labels."
                + " Reads without a consumer group, so the live detector is never disturbed.")
final class ReplayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "Recorded frames topic (default: topic.frames).")
    String topic;

    @Option(names = "--from-beginning", description = "Replay the whole topic (the default without --from).")
    boolean fromBeginning;

    @Option(names = "--from", paramLabel = "TIME", description = "Start at this record time, ISO-8601 (2026-11-23T12:00:00Z).")
    Instant from;

    @Option(names = "--to", paramLabel = "TIME", description = "Stop after this record time, ISO-8601.")
    Instant to;

    @Option(names = "--model", paramLabel = "BUNDLE", description = "Bundle to judge (default: model.path).")
    Path model;

    @Option(names = "--compare", paramLabel = "BUNDLE2", description = "A second bundle, judged on the same frames.")
    Path compare;

    @Option(names = "--scores-topic", paramLabel = "TOPIC", split = ",",
            description = "Instead of scoring, evaluate what the live detector emitted on this topic (e.g. frame-scores);"
                    + " name two (frame-scores,frame-scores-shadow) to compare the live model with its shadow frame by frame.")
    List<String> scoresTopics;

    @Option(names = "--normal", split = ",", paramLabel = "LABELS",
            description = "With --scores-topic: the normal labels (default: those of --model).")
    List<String> normalLabels;

    @Option(names = "--max", defaultValue = "10000000", paramLabel = "N", description = "Read at most N records.")
    long max;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the evaluation(s) as JSON.")
    Path json;

    @Option(names = "--report", paramLabel = "DIR", description = "Write HTML report(s) into DIR.")
    Path report;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> flags = new LinkedHashMap<>();
        if (model != null) {
            flags.put(FrameGuardConfig.MODEL_PATH, model.toString());
        }
        FrameGuardConfig config = kafka.load(flags);
        Topics topics = Topics.of(config);
        if (scoresTopics != null) {
            if (scoresTopics.size() > 2) {
                throw new FrameGuardException("--scores-topic takes one topic, or two to compare; got " + scoresTopics);
            }
            return evaluateLive(out, config, topics);
        }
        ModelBundle a = ModelBundle.load(config.modelPath());
        ModelBundle b = compare == null ? null : ModelBundle.load(compare);
        String source = topic != null ? topic : topics.frames();
        int w = a.metadata().preprocessing().width();
        int h = a.metadata().preprocessing().height();
        RecordedFrames rec = RecordedFrames.read(config.clientProperties(), source, from, to,
                topics.frameSerde().deserializer(), new FrameValidator(w, h), max);
        out.printf("read %,d records from %s (%s); %,d valid frames; rejected %s%n", rec.read(), source, range(),
                rec.frames().size(), rec.rejected());
        if (rec.read() == 0) {
            throw new FrameGuardException("no records in topic " + source + " " + range());
        }
        if (rec.frames().isEmpty() && rec.rejected().getOrDefault(DeadLetter.Reason.WRONG_SIZE, 0) > 0) {
            throw new FrameGuardException(config.modelPath() + " expects " + w + "x" + h
                    + " frames; the recorded frames have another size");
        }
        List<ImageFrame> frames = rec.frames();
        List<EvaluationResult> runs = new ArrayList<>();
        Verdicts va = judge(out, config, a, frames, runs, "a");
        Agreement agreement = null;
        if (b != null) {
            agreement = va.agreement(judge(out, config, b, frames, runs, "b"));
            print(out, agreement, frames.size());
        }
        if (json != null) {
            Json.write(runs.size() == 1 && agreement == null ? runs.get(0)
                    : Map.of("experiment", "replay", "runs", runs, "summary", agreement == null ? Map.of() : agreement), json);
            out.println("wrote " + json);
        }
        out.flush();
        return 0;
    }

    private Verdicts judge(PrintWriter out, FrameGuardConfig config, ModelBundle bundle, List<ImageFrame> frames,
                           List<EvaluationResult> runs, String tag) {
        long t0 = System.nanoTime();
        Verdicts v = new ReplayJudge(new BundleBatchScorer(bundle), config.thresholdStrategy(),
                config.getInt(FrameGuardConfig.THRESHOLD_WINDOW_SIZE), config.getInt(FrameGuardConfig.BATCH_SIZE),
                config.getBoolean(FrameGuardConfig.THRESHOLD_TRUST_LABELS)).run(frames);
        double perSecond = frames.size() / ((System.nanoTime() - t0) / 1e9);
        out.printf("%n== model %s: %,d frames scored (%,.0f frames/s), %,d flagged%n", bundle.modelId(), frames.size(),
                perSecond, v.flagged());
        if (!v.labelled()) {
            out.println("no labels: metrics that need labels are skipped");
            return v;
        }
        List<String> normal = bundle.metadata().training().normalLabels();
        EvaluationResult e = v.evaluate(bundle.modelId(), topic != null ? topic : "replay", normal,
                config.getString(FrameGuardConfig.THRESHOLD_STRATEGY), perSecond).withExperiment("replay");
        EvaluationPrinter.print(out, e);
        runs.add(e);
        if (report != null) {
            out.println("report: " + HtmlReport.write(report.resolve(tag), "replay " + bundle.modelId(), e,
                    v.labelledScores(normal), null, null));
        }
        return v;
    }

    private static void print(PrintWriter out, Agreement agreement, int frames) {
        out.printf("%n== comparison: the models agree on %.2f%% of %,d frames; %,d disagreements%n",
                100 * agreement.agreement(), frames, agreement.disagreements());
        agreement.disagreeingFrames().stream().limit(10).forEach(d -> out.printf("  %-16s label %-8s a %.5f %-7s b %.5f %s%n",
                d.frameId(), d.label(), d.aScore(), d.aAnomaly() ? "ANOMALY" : "normal", d.bScore(),
                d.bAnomaly() ? "ANOMALY" : "normal"));
    }

    /** What the detector emitted on one scores topic, or on two (live and shadow) compared frame by frame. */
    private int evaluateLive(PrintWriter out, FrameGuardConfig config, Topics topics) {
        List<List<FrameScore>> read = new ArrayList<>();
        List<EvaluationResult> runs = new ArrayList<>();
        for (String t : scoresTopics) {
            List<FrameScore> scores = ScoreTopicReader.read(config.clientProperties(), t, topics.scoreSerde().deserializer(), max,
                    Duration.ofSeconds(20));
            if (scores.isEmpty()) {
                throw new FrameGuardException("no records in topic " + t);
            }
            read.add(scores);
            out.printf("%n== %,d scores read from %s (model %s)%n", scores.size(), t, scores.get(0).getModelId());
            if (scores.stream().noneMatch(s -> s.getLabel() != null)) {
                out.println("no labels: metrics that need labels are skipped");
                continue;
            }
            if (normalLabels == null && model == null) {
                throw new FrameGuardException("--scores-topic needs --normal LABELS (or --model BUNDLE to take them from)");
            }
            List<String> normal = normalLabels != null ? normalLabels : ModelBundle.load(model).metadata().training().normalLabels();
            EvaluationResult e = ScoreTopicReader.evaluate(scores, normal, t, config.getString(FrameGuardConfig.THRESHOLD_STRATEGY),
                    null).withExperiment("replay-live");
            EvaluationPrinter.print(out, e);
            runs.add(e);
        }
        Agreement agreement = null;
        if (read.size() == 2) {
            List<List<FrameScore>> paired = ScoreTopicReader.paired(read.get(0), read.get(1));
            out.printf("%n%,d frames in both topics (a = %s, b = %s); %,d only in %s, %,d only in %s%n", paired.get(0).size(),
                    scoresTopics.get(0), scoresTopics.get(1), read.get(0).size() - paired.get(0).size(), scoresTopics.get(0),
                    read.get(1).size() - paired.get(0).size(), scoresTopics.get(1));
            agreement = ScoreTopicReader.verdicts(paired.get(0)).agreement(ScoreTopicReader.verdicts(paired.get(1)));
            print(out, agreement, paired.get(0).size());
        }
        if (json != null) {
            Json.write(runs.size() == 1 && agreement == null ? runs.get(0)
                    : Map.of("experiment", "replay-live", "runs", runs, "summary", agreement == null ? Map.of() : agreement), json);
            out.println("wrote " + json);
        }
        return 0;
    }

    private String range() {
        return from == null && to == null ? "from the beginning" : "from " + (from == null ? "the beginning" : from)
                + " to " + (to == null ? "the end" : to);
    }
}
