package io.frameguard.cli;

import io.frameguard.config.FrameGuardConfig;
import io.frameguard.runtime.Detector;
import io.frameguard.runtime.EmbeddedKafka;
import io.frameguard.stream.Topics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the streaming detector: frames in, frame-scores, anomalies and dead letters out."
                + " Stops cleanly on Ctrl-C / SIGTERM.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--model", paramLabel = "BUNDLE", description = "Model bundle (model.path).")
    Path model;

    @Option(names = "--embedded",
            description = "Start a real Apache Kafka broker (KRaft) in this process, with data under state.dir, and create the topics.")
    boolean embedded;

    @Option(names = "--http-port", paramLabel = "PORT", description = "HTTP port for /health, /metrics, /thresholds (http.port).")
    Integer httpPort;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> flags = new HashMap<>();
        if (model != null) {
            flags.put(FrameGuardConfig.MODEL_PATH, model.toString());
        }
        if (httpPort != null) {
            flags.put(FrameGuardConfig.HTTP_PORT, httpPort.toString());
        }
        FrameGuardConfig config = kafka.load(flags);
        Detector loaded = Detector.forModelPath(config); // fails fast on a bad bundle, before a broker starts
        EmbeddedKafka broker = null;
        if (embedded) {
            broker = EmbeddedKafka.start(Path.of(config.getString(FrameGuardConfig.STATE_DIR)).resolve("kafka"));
            broker.createTopics(Topics.of(config).all(), config.getInt(FrameGuardConfig.TOPIC_PARTITIONS));
            flags.put(FrameGuardConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
            config = kafka.load(flags);
            out.printf("embedded Kafka broker (KRaft) at %s; topics %s created%n", broker.bootstrapServers(),
                    Topics.of(config).all());
            out.printf("  produce: bin/frameguard produce -b %s --normal 1 --rate 200%n", broker.bootstrapServers());
            out.printf("  alerts:  bin/frameguard alerts -b %s%n", broker.bootstrapServers());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Detector detector = loaded.withConfig(config);
        EmbeddedKafka b = broker;
        Thread hook = new Thread(() -> {
            detector.close();
            if (b != null) {
                b.close();
            }
            stopped.countDown();
        }, "frameguard-shutdown");
        try {
            detector.start();
        } catch (RuntimeException e) {
            detector.close();
            if (broker != null) {
                broker.close();
            }
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(hook);
        // kill -HUP: load model.path again (as when the file is replaced)
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> detector.requestReload());
        if (!detector.awaitRunning(Duration.ofSeconds(120))) {
            out.println("detector did not reach RUNNING within 120 s (state " + detector.state() + ")");
        }
        out.printf("detector RUNNING: model %s, %s, batch.size=%d, linger.ms=%d, scoring.threads=%d, threshold %s; "
                + "http://%s:%d/metrics%n", detector.modelId(), config.getString(FrameGuardConfig.PROCESSING_GUARANTEE),
                config.getInt(FrameGuardConfig.BATCH_SIZE), config.getLong(FrameGuardConfig.LINGER_MS), config.scoringThreads(),
                config.getString(FrameGuardConfig.THRESHOLD_STRATEGY), config.getString(FrameGuardConfig.HTTP_HOST),
                detector.httpPort());
        out.flush();
        stopped.await();
        return 0;
    }
}
