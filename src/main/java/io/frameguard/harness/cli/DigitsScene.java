package io.frameguard.harness.cli;

import io.frameguard.avro.AnomalyEvent;
import io.frameguard.avro.Encoding;
import io.frameguard.avro.FrameScore;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.data.DatasetFetcher;
import io.frameguard.data.Datasets;
import io.frameguard.data.ImageSet;
import io.frameguard.data.KnownDataset;
import io.frameguard.evaluation.EvaluationResult;
import io.frameguard.evaluation.HtmlReport;
import io.frameguard.harness.traffic.CameraSimulator;
import io.frameguard.harness.traffic.FrameMix;
import io.frameguard.model.ModelBundle;
import io.frameguard.model.Scorer;
import io.frameguard.runtime.Detector;
import io.frameguard.topics.ScoreTopicReader;
import io.frameguard.training.DefaultModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** The digits: MNIST 1s are normal, other digits and Fashion-MNIST the anomalies; the default model (dense). */
final class DigitsScene implements DemoScene {
    private final Path dataDir;
    private final Datasets datasets;
    private final Path model;
    private final long frames;
    private final double anomalyRate;
    private ModelBundle bundle;

    DigitsScene(Path dataDir, Datasets datasets, Path model, long frames, double anomalyRate) {
        this.dataDir = dataDir;
        this.datasets = datasets;
        this.model = model;
        this.frames = frames;
        this.anomalyRate = anomalyRate;
    }

    @Override
    public void prepare(PrintWriter out) {
        DemoScene.step(out, "1/5 data");
        DatasetFetcher fetcher = new DatasetFetcher(dataDir, out);
        fetcher.fetch(KnownDataset.MNIST);
        fetcher.fetch(KnownDataset.FASHION_MNIST);
        DemoScene.step(out, "2/5 model " + model);
        bundle = DefaultModel.ensure(model, datasets, out);
    }

    @Override
    public Detector detector(FrameGuardConfig config) {
        return new Detector(config, bundle);
    }

    @Override
    public CameraSimulator.FrameSource frames() {
        FrameMix mix = mix();
        return (source, id) -> CameraSimulator.frame(source, id, mix.next(), true, Encoding.RAW_U8);
    }

    @Override
    public List<String> normal() {
        return DefaultModel.NORMAL;
    }

    @Override
    public String traffic() {
        return Math.round(anomalyRate * 100) + "% other digits and Fashion-MNIST";
    }

    @Override
    public String dataset() {
        return "mnist/test + fashion-mnist/test (live)";
    }

    @Override
    public int alertsShown() {
        return 6;
    }

    @Override
    public Path report(Path dir, EvaluationResult result, List<FrameScore> scores, List<AnomalyEvent> events) {
        return HtmlReport.write(dir, "FrameGuard demo: live detector", result, ScoreTopicReader.labelled(scores, normal()),
                imagesOf(scores), new Scorer(bundle));
    }

    /** The frames the cameras send: the same seed every run, so {@link #imagesOf} can draw them again. */
    private FrameMix mix() {
        return FrameMix.fromTestSplit(datasets, "mnist", DefaultModel.NORMAL, List.of("digits", "fashion"), anomalyRate, 7);
    }

    /** The image of each labelled score, in the order of {@link ScoreTopicReader#labelled}. */
    private ImageSet imagesOf(List<FrameScore> scores) {
        ImageSet sent = mix().take(Math.toIntExact(frames));
        return sent.subset(scores.stream().filter(s -> s.getLabel() != null)
                .mapToInt(s -> CameraSimulator.frameNumber(s.getFrameId())).toArray());
    }
}
