package io.frameguard.cli;

import io.frameguard.Json;
import io.frameguard.avro.AnomalyEvent;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.stream.AlertText;
import io.frameguard.stream.Topics;
import io.frameguard.topics.CommittedConsumer;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "alerts", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Tail the anomalies topic (committed records only), one line per AnomalyEvent.")
final class AlertsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--json", description = "One JSON object per line instead of text.")
    boolean json;

    @Option(names = "--source", split = ",", paramLabel = "IDS", description = "Only these sources.")
    List<String> sourceFilter;

    @Option(names = "--min-severity", defaultValue = "0", paramLabel = "X",
            description = "Only events with severity >= X (score/threshold; log-mse: exp(score - threshold)).")
    double minSeverity;

    @Option(names = "--from-beginning", description = "Start at the oldest event instead of now.")
    boolean fromBeginning;

    @Option(names = "--max", paramLabel = "N", description = "Exit after N events.")
    Long max;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", description = "Exit after this long without events.")
    Long idleTimeout;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        FrameGuardConfig config = kafka.load(Map.of());
        Topics topics = Topics.of(config);
        Deserializer<AnomalyEvent> de = topics.anomalySerde().deserializer();
        long seen = 0;
        long idleSince = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> consumer = CommittedConsumer.open(config.clientProperties(), topics.anomalies(),
                fromBeginning)) {
            while (max == null || seen < max) {
                var records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    if (idleTimeout != null && System.nanoTime() - idleSince > idleTimeout * 1_000_000_000L) {
                        break;
                    }
                    continue;
                }
                idleSince = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    AnomalyEvent e;
                    try {
                        e = de.deserialize(r.topic(), r.value());
                    } catch (RuntimeException bad) {
                        out.printf("skipping undecodable record at %s-%d@%d: %s%n", r.topic(), r.partition(), r.offset(),
                                bad.getMessage());
                        continue;
                    }
                    if ((sourceFilter != null && !sourceFilter.contains(e.getSourceId())) || e.getSeverity() < minSeverity) {
                        continue;
                    }
                    out.println(json ? asJson(e) : AlertText.of(e));
                    out.flush();
                    if (max != null && ++seen >= max) {
                        break;
                    }
                }
            }
        }
        return 0;
    }

    static String asJson(AnomalyEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("frame_id", e.getFrameId());
        m.put("source_id", e.getSourceId());
        m.put("capture_time", e.getCaptureTime().toString());
        m.put("detection_time", e.getDetectionTime().toString());
        m.put("score", e.getScore());
        m.put("threshold", e.getThreshold());
        m.put("strategy", e.getStrategy());
        m.put("severity", e.getSeverity());
        m.put("model_id", e.getModelId());
        m.put("label", e.getLabel());
        if (e.getBbox() != null) {
            m.put("bbox", Map.of("x", e.getBbox().getX(), "y", e.getBbox().getY(), "width", e.getBbox().getWidth(),
                    "height", e.getBbox().getHeight()));
        }
        try {
            return Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
