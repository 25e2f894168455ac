package io.frameguard.harness.bench;

import io.frameguard.FrameGuardException;
import io.frameguard.config.FrameGuardConfig;
import io.frameguard.harness.bench.PipelineBenchmark.Options;
import io.frameguard.harness.chaos.DetectorProcess;
import io.frameguard.stream.Topics;
import io.frameguard.topics.CommittedConsumer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Throughput of {@code serve} as a process of its own, as a deployment runs it: one process, one
 * guarantee, its JIT trained on its own traffic alone. In the bench's JVM a detector of the other
 * guarantee has run first, and its compiled code is what the next one starts from.
 *
 * <p>Each round is timed as the bench's in-JVM detectors are, on a backlog: the process is frozen
 * (SIGSTOP) while the frames are produced, then let go and timed from the first to the last score a
 * {@code read_committed} consumer sees. The freeze lasts about a second, well within the consumer's
 * session timeout (45 s), so the group does not rebalance. Rounds are repeated, not counted, until
 * one is within {@link #SETTLED} of the one before it (the JIT has settled), then measured.
 */
final class ServeBacklog {
    /** Warm-up ends when a round's frames/s is within this fraction of the round before. */
    static final double SETTLED = 0.05;

    /** The measured rounds' frames/s and their median. */
    record Result(double[] measured, double median) {
    }

    private ServeBacklog() {
    }

    /**
     * @param settings the process's configuration ({@code model.path} included), its topics created
     * @param offer produces n frames to its frames topic as fast as the producer goes
     */
    static Result measure(String name, Map<String, String> settings, FrameGuardConfig c, Path dir, Options o, int runs,
                          LongConsumer offer, PrintWriter out) {
        DetectorProcess serve = new DetectorProcess(name, dir, settings);
        try {
            serve.start(Duration.ofSeconds(120), o.serveHeap(), o.serveJvmOptions());
            double previous = Double.NaN;
            for (int round = 1; round <= o.maxWarmUpRounds(); round++) {
                double fps = round(serve, c, o.frames(), offer);
                out.printf("warm-up %d (not counted): serve process (%s), %s, %,.0f frames/s on %,d frames%n", round,
                        String.join(" ", o.serveFlags()), c.getString(FrameGuardConfig.PROCESSING_GUARANTEE), fps, o.frames());
                out.flush();
                if (Math.abs(fps - previous) <= SETTLED * previous) {
                    break;
                }
                previous = fps;
            }
            double[] measured = new double[runs];
            for (int i = 0; i < runs; i++) {
                measured[i] = round(serve, c, o.frames(), offer);
                out.printf("serve process, %s, run %d: %,.0f frames/s%n", c.getString(FrameGuardConfig.PROCESSING_GUARANTEE),
                        i + 1, measured[i]);
                out.flush();
            }
            return new Result(measured, Arrays.stream(measured).sorted().toArray()[runs / 2]);
        } finally {
            serve.stop();
        }
    }

    /**
     * One backlog of {@code n} frames, produced while the process is frozen: frames/s from its first
     * to its last score; an error when not all of them are scored within ten minutes.
     */
    private static double round(DetectorProcess serve, FrameGuardConfig c, long n, LongConsumer offer) {
        try (KafkaConsumer<byte[], byte[]> consumer = CommittedConsumer.open(c.clientProperties(), Topics.of(c).scores(), false)) {
            consumer.assignment().forEach(consumer::position); // the end, now: before the frames are offered
            serve.freeze();
            try {
                offer.accept(n);
            } finally {
                serve.resume();
            }
            ScoreSpan span = ScoreSpan.read(consumer, n, Duration.ofMinutes(10));
            if (span.count() < n) {
                throw new FrameGuardException("the serve process scored " + span.count() + " of " + n
                        + " frames within 10 minutes; its log: " + serve.log());
            }
            return span.perSecond();
        }
    }
}
