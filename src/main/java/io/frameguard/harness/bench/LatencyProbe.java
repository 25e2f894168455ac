package io.frameguard.harness.bench;

import io.frameguard.avro.FrameScore;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.harness.bench.PipelineBenchmark.Latency;
import io.frameguard.stream.Topics;
import io.frameguard.topics.CommittedConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Capture→score latency at a fixed offered rate, read back from the committed scores: the measurement
 * behind the benchmark's latency runs, its latency warm-up and its {@code serve} process.
 */
final class LatencyProbe {
    private LatencyProbe() {
    }

    /**
     * Capture→score latency of the frames offered at {@code rate} for {@code seconds}, after
     * {@code warmUp} seconds at the same rate whose frames are scored but not counted; {@code offer}
     * produces that many frames at {@code rate}, on a thread of its own.
     */
    static Latency measure(FrameGuardConfig c, double rate, double seconds, double warmUp, LongConsumer offer)
            throws InterruptedException {
        Topics t = Topics.of(c);
        long warmUpFrames = (long) (rate * warmUp);
        long n = (long) (rate * seconds);
        List<Double> ms = new ArrayList<>();
        List<Double> toScored = new ArrayList<>();
        List<Double> toVisible = new ArrayList<>();
        Deserializer<FrameScore> scores = t.scoreSerde().deserializer();
        Thread producer = new Thread(() -> offer.accept(warmUpFrames + n));
        try (KafkaConsumer<byte[], byte[]> consumer = CommittedConsumer.open(c.clientProperties(), t.scores(), true)) {
            producer.start();
            long deadline = System.nanoTime() + (long) ((warmUp + seconds + 60) * 1e9);
            long seen = 0;
            while (seen < warmUpFrames + n && System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(5))) {
                    seen++;
                    long now = System.currentTimeMillis();
                    FrameScore s = scores.deserialize(r.topic(), r.value());
                    if (sequence(s.getFrameId()) >= warmUpFrames) {
                        long captured = s.getCaptureTime().toEpochMilli();
                        long scored = s.getScoredTime().toEpochMilli();
                        ms.add((double) (now - captured));
                        toScored.add((double) (scored - captured));
                        toVisible.add((double) (now - scored));
                    }
                }
            }
        }
        producer.join();
        double[] sorted = sorted(ms);
        return new Latency(rate, pct(sorted, 0.50), pct(sorted, 0.95), pct(sorted, 0.99), sorted.length,
                pct(sorted(toScored), 0.99), pct(sorted(toVisible), 0.99));
    }

    private static double[] sorted(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    /** The frame's place in the produced sequence: the number after the last '-' of the simulator's id. */
    private static long sequence(String frameId) {
        return Long.parseLong(frameId.substring(frameId.lastIndexOf('-') + 1));
    }

    private static double pct(double[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
