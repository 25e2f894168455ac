package io.frameguard.harness.cli;

import io.frameguard.avro.Encoding;
import io.frameguard.cli.DataOptions;
import io.frameguard.cli.KafkaOptions;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.harness.traffic.CameraSimulator;
import io.frameguard.harness.traffic.FrameMix;
import io.frameguard.stream.Topics;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "produce", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Camera simulator: publish dataset images as ImageFrames to the frames topic.")
final class ProduceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    DataOptions data;

    @Option(names = "--dataset", defaultValue = "mnist", paramLabel = "NAME|DIR",
            description = "mnist, fashion-mnist or an image folder (default: ${DEFAULT-VALUE}); its test split is sent.")
    String dataset;

    @Option(names = "--normal", split = ",", defaultValue = "1", paramLabel = "LABELS",
            description = "Labels of the normal frames (default: ${DEFAULT-VALUE}).")
    List<String> normal;

    @Option(names = "--anomaly-rate", defaultValue = "0.02", paramLabel = "P",
            description = "Share of anomalous frames mixed in (default: ${DEFAULT-VALUE}).")
    double anomalyRate;

    @Option(names = "--anomalies", split = ",", defaultValue = "digits,fashion", paramLabel = "KINDS",
            description = "Where anomalies come from: digits (the dataset's other labels), fashion (Fashion-MNIST) (default: ${DEFAULT-VALUE}).")
    List<String> anomalyKinds;

    @Option(names = "--sources", split = ",", defaultValue = "line-1,line-2", paramLabel = "IDS",
            description = "Source ids, frames go round-robin (default: ${DEFAULT-VALUE}).")
    List<String> sources;

    @Option(names = "--rate", defaultValue = "500", paramLabel = "N",
            description = "Frames per second over all sources; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--count", defaultValue = "1000", paramLabel = "N", description = "Frames to send (default: ${DEFAULT-VALUE}).")
    long count;

    @Option(names = "--no-labels", description = "Send frames without their labels (labels are on by default).")
    boolean noLabels;

    @Option(names = "--encoding", defaultValue = "RAW_U8", paramLabel = "ENC", description = "RAW_U8 or PNG (default: ${DEFAULT-VALUE}).")
    Encoding encoding;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the frame order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        FrameGuardConfig config = kafka.load(Map.of());
        FrameMix mix = FrameMix.fromTestSplit(data.datasets(), dataset, normal, anomalyKinds, anomalyRate, seed);
        Topics topics = Topics.of(config);
        out.printf("sending %,d frames to %s at %s, sources %s, %.1f%% anomalies (%s)%n", count, topics.frames(),
                rate > 0 ? rate + " frames/s" : "full speed", sources, anomalyRate * 100, String.join("+", anomalyKinds));
        out.flush();
        long t0 = System.nanoTime();
        new CameraSimulator(config.clientProperties(), topics.frames(), topics.frameSerde().serializer())
                .run(mix, sources, count, rate, !noLabels, encoding, n -> {
                    out.printf("sent %,d / %,d frames (%,.0f/s)%n", n, count, n / ((System.nanoTime() - t0) / 1e9));
                    out.flush();
                });
        return 0;
    }
}
