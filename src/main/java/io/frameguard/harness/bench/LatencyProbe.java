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
        long warmUpFrames = (long) (rate * warmUp);
        long n = (long) (rate * seconds);
        return collect(c, warmUpFrames + n, warmUp + seconds, offer).latency(rate, warmUpFrames, warmUpFrames + n);
    }

    /**
     * A fresh detector's latency: the first seconds' frames, the frames after them, and the p99 of
     * each second's frames, capture→visible and capture→scored (NaN for a second none of whose
     * frames came back).
     */
    record FromStart(Latency first, Latency after, double[] p99BySecond, double[] p99ToScoredBySecond,
                     double[] firstSecondMaxToScored) {
    }

    /** Slices of the first second in {@link FromStart#firstSecondMaxToScored}: a start's delay apart from a slow spell. */
    static final int FIRST_SECOND_SLICES = 10;

    /**
     * A fresh detector's latency: frames offered at {@code rate} from the moment it is up, the
     * first {@code first} seconds' frames counted apart from the {@code seconds} after them.
     */
    static FromStart measureFromStart(FrameGuardConfig c, double rate, int first, int seconds, LongConsumer offer)
            throws InterruptedException {
        long perSecond = Math.max(1, Math.round(rate));
        long firstFrames = perSecond * first;
        long n = perSecond * seconds;
        Samples s = collect(c, firstFrames + n, first + seconds, offer);
        double[] bySecond = new double[first + seconds];
        double[] toScored = new double[first + seconds];
        for (int i = 0; i < bySecond.length; i++) {
            Latency l = s.latency(rate, i * perSecond, (i + 1) * perSecond);
            bySecond[i] = l.p99();
            toScored[i] = l.p99ToScored();
        }
        double[] slices = new double[FIRST_SECOND_SLICES];
        long perSlice = Math.max(1, perSecond / FIRST_SECOND_SLICES);
        for (int i = 0; i < slices.length; i++) {
            slices[i] = s.maxToScored(i * perSlice, (i + 1) * perSlice);
        }
        return new FromStart(s.latency(rate, 0, firstFrames), s.latency(rate, firstFrames, firstFrames + n), bySecond,
                toScored, slices);
    }

    /** Offers {@code total} frames and reads their scores back as they are committed. */
    private static Samples collect(FrameGuardConfig c, long total, double offeredSeconds, LongConsumer offer)
            throws InterruptedException {
        Topics t = Topics.of(c);
        Samples samples = new Samples();
        Deserializer<FrameScore> scores = t.scoreSerde().deserializer();
        Thread producer = new Thread(() -> offer.accept(total));
        try (KafkaConsumer<byte[], byte[]> consumer = CommittedConsumer.open(c.clientProperties(), t.scores(), true)) {
            producer.start();
            long deadline = System.nanoTime() + (long) ((offeredSeconds + 60) * 1e9);
            long seen = 0;
            while (seen < total && System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(5))) {
                    seen++;
                    long now = System.currentTimeMillis();
                    FrameScore s = scores.deserialize(r.topic(), r.value());
                    long captured = s.getCaptureTime().toEpochMilli();
                    long scored = s.getScoredTime().toEpochMilli();
                    samples.add(sequence(s.getFrameId()), now - captured, scored - captured, now - scored);
                }
            }
        }
        producer.join();
        return samples;
    }

    /** Per scored frame: its place in the sequence, capture→visible, capture→scored and scored→visible in ms. */
    private static final class Samples {
        private final List<long[]> rows = new ArrayList<>();

        void add(long sequence, long total, long toScored, long toVisible) {
            rows.add(new long[] {sequence, total, toScored, toVisible});
        }

        /** The latency of the frames whose place is in [from, to). */
        Latency latency(double rate, long from, long to) {
            List<long[]> in = rows.stream().filter(r -> r[0] >= from && r[0] < to).toList();
            double[] total = column(in, 1);
            return new Latency(rate, pct(total, 0.50), pct(total, 0.95), pct(total, 0.99), total.length,
                    pct(column(in, 2), 0.99), pct(column(in, 3), 0.99));
        }

        /** The longest capture→scored of the frames whose place is in [from, to); NaN when none came back. */
        double maxToScored(long from, long to) {
            return rows.stream().filter(r -> r[0] >= from && r[0] < to).mapToDouble(r -> r[2]).max().orElse(Double.NaN);
        }

        private static double[] column(List<long[]> rows, int i) {
            return rows.stream().mapToDouble(r -> r[i]).sorted().toArray();
        }
    }

    /** The frame's place in the produced sequence: the number after the last '-' of the simulator's id. */
    private static long sequence(String frameId) {
        return Long.parseLong(frameId.substring(frameId.lastIndexOf('-') + 1));
    }

    private static double pct(double[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
