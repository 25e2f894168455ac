package io.frameguard.harness.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.harness.bench.PipelineBenchmark.Latency;
import io.frameguard.harness.bench.PipelineBenchmark.Options;
import io.frameguard.harness.chaos.DetectorProcess;
import io.frameguard.stream.Topics;
import io.frameguard.topics.CommittedConsumer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Step 5 of {@code bench pipeline --instances N}: 1 to N {@code serve} processes in one consumer
 * group, as a deployment scales out. For each count, after the processes are ready: capture→score
 * latency at the highest offered rate (after a warm-up at that rate, {@code --instances-warm-up},
 * which lets each fresh JVM compile its serving path: about 20 s here), then throughput, frames offered as fast as the producer goes and timed
 * from the first to the last committed score.
 */
final class ScaleOut {
    /** One count of instances: its share of the partitions, throughput and latency. */
    record Instances(int instances, int partitions, @JsonProperty("throughput_fps") double throughput,
                     Latency latency) {
    }

    private ScaleOut() {
    }

    /**
     * Runs {@code instances} serve processes on {@code settings} (one application id, so one group)
     * and measures them; {@code offer} produces n frames at a rate (0: as fast as it can).
     */
    static Instances measure(int instances, Map<String, String> settings, FrameGuardConfig c, Path dir, Options o,
                             double rate, OfferAt offer) throws InterruptedException {
        List<DetectorProcess> serves = new ArrayList<>();
        try {
            for (int i = 1; i <= instances; i++) {
                serves.add(new DetectorProcess("serve-" + instances + "-of-" + i, dir, settings)
                        .start(Duration.ofSeconds(120), o.serveHeap(), o.serveJvmOptions()));
            }
            Latency latency = LatencyProbe.measure(c, rate, o.seconds(), o.instancesWarmUp(), n -> offer.offer(n, rate));
            double throughput = throughput(c, o.frames(), n -> offer.offer(n, 0));
            return new Instances(instances, c.getInt(FrameGuardConfig.TOPIC_PARTITIONS), throughput, latency);
        } finally {
            for (DetectorProcess s : serves) {
                s.stop();
            }
        }
    }

    /** Produces n frames at a rate, 0 for as fast as the producer goes. */
    interface OfferAt {
        void offer(long n, double rate);
    }

    /** Frames/s from the first to the last committed score of {@code n} frames offered now, as fast as they go. */
    private static double throughput(FrameGuardConfig c, long n, LongConsumer offer) throws InterruptedException {
        Topics t = Topics.of(c);
        try (KafkaConsumer<byte[], byte[]> consumer = CommittedConsumer.open(c.clientProperties(), t.scores(), false)) {
            consumer.assignment().forEach(consumer::position); // the end, now: before the frames are offered
            Thread producer = new Thread(() -> offer.accept(n), "scale-out-producer");
            producer.start();
            ScoreSpan span = ScoreSpan.read(consumer, n, Duration.ofMinutes(10));
            producer.join();
            return span.perSecond();
        }
    }
}
