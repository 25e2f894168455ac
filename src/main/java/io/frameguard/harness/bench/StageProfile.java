package io.frameguard.harness.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a detector's CPU goes, stage by stage: a JDK Flight Recorder recording of this JVM while a
 * detector runs, its stream threads' samples put in {@link ServingStage}s, each stage charged its
 * share of the stream threads' CPU time per frame; the detector's other threads (the producer's I/O
 * thread, the consumer's) are charged whole, from their CPU time.
 *
 * <p>Java code is sampled by {@code jdk.ExecutionSample} and native code (ND4J, the sockets) by
 * {@code jdk.NativeMethodSample}, both every {@link #PERIOD}; a sample of a thread parked in poll is
 * idle, not work. Only threads whose names carry the detector's application id are counted: the
 * broker, the producer of the frames and the reading consumer share this JVM and are left out.
 */
final class StageProfile implements AutoCloseable {
    static final Duration PERIOD = Duration.ofMillis(1);
    private static final int TOP_METHODS = 15;

    /** One stage: its samples, their share of the stream threads' busy samples, CPU per frame. */
    record Stage(String stage, long samples, double share, @JsonProperty("cpu_us_per_frame") double cpuUsPerFrame) {
    }

    /** A method that was running (the top of the stack) in many busy samples. */
    record HotMethod(String method, String stage, long samples, double share) {
    }

    /** A thread of the detector other than the stream threads, charged all its CPU. */
    record OtherThread(String thread, @JsonProperty("cpu_us_per_frame") double cpuUsPerFrame) {
    }

    record Report(long frames, @JsonProperty("period_ms") long periodMs,
                  @JsonProperty("stream_thread_cpu_us_per_frame") double streamThreadCpuUsPerFrame,
                  @JsonProperty("busy_samples") long busySamples, @JsonProperty("idle_samples") long idleSamples,
                  List<Stage> stages, @JsonProperty("hot_methods") List<HotMethod> hotMethods,
                  @JsonProperty("other_threads") List<OtherThread> otherThreads) {
    }

    private final String applicationId;
    private final Recording recording;

    private StageProfile(String applicationId) {
        this.applicationId = applicationId;
        this.recording = new Recording();
        recording.enable("jdk.ExecutionSample").withPeriod(PERIOD).withStackTrace();
        recording.enable("jdk.NativeMethodSample").withPeriod(PERIOD).withStackTrace();
        recording.setToDisk(true);
    }

    /** Starts sampling the threads of the detector whose application id is {@code applicationId}. */
    static StageProfile start(String applicationId) {
        StageProfile p = new StageProfile(applicationId);
        p.recording.start();
        return p;
    }

    /**
     * Stops sampling and charges the detector's CPU so far to its stages over {@code frames} frames.
     * Call it while the detector still runs: its threads' CPU times are read from the live threads.
     */
    Report stop(long frames) {
        Map<String, Long> cpuByThread = detectorThreadCpuNanos();
        recording.stop();
        Path file;
        try {
            file = Files.createTempFile("frameguard-profile-", ".jfr");
            try {
                recording.dump(file);
                return analyse(RecordingFile.readAllEvents(file), cpuByThread, frames);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        recording.close();
    }

    private Report analyse(List<RecordedEvent> events, Map<String, Long> cpuByThread, long frameCount) {
        Map<ServingStage, Long> samples = new EnumMap<>(ServingStage.class);
        Map<String, Long> leaves = new HashMap<>();
        Map<String, ServingStage> leafStage = new HashMap<>();
        for (RecordedEvent e : events) {
            boolean nativeSample = e.getEventType().getName().equals("jdk.NativeMethodSample");
            String thread = e.getThread("sampledThread") == null ? null : e.getThread("sampledThread").getJavaName();
            if (thread == null || !isStreamThread(thread) || e.getStackTrace() == null) {
                continue;
            }
            List<ServingStage.Frame> frames = new ArrayList<>();
            for (RecordedFrame f : e.getStackTrace().getFrames()) {
                frames.add(new ServingStage.Frame(f.getMethod().getType().getName(), f.getMethod().getName()));
            }
            ServingStage stage = ServingStage.of(frames, nativeSample);
            samples.merge(stage, 1L, Long::sum);
            if (stage != ServingStage.IDLE && !frames.isEmpty()) {
                // a lambda's class is named after its address: one name for all of its samples
                String leaf = frames.get(0).type().replaceAll("\\$\\$Lambda\\$.*", "\\$\\$Lambda") + "." + frames.get(0).method();
                leaves.merge(leaf, 1L, Long::sum);
                leafStage.putIfAbsent(leaf, stage);
            }
        }
        long idle = samples.getOrDefault(ServingStage.IDLE, 0L);
        long busy = samples.values().stream().mapToLong(Long::longValue).sum() - idle;
        long streamCpu = cpuByThread.entrySet().stream().filter(t -> isStreamThread(t.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
        double streamUs = streamCpu / 1e3 / frameCount;
        List<Stage> stages = new ArrayList<>();
        for (ServingStage s : ServingStage.values()) {
            if (s != ServingStage.IDLE) {
                long n = samples.getOrDefault(s, 0L);
                double share = busy == 0 ? 0 : (double) n / busy;
                stages.add(new Stage(s.label(), n, share, share * streamUs));
            }
        }
        List<HotMethod> hot = leaves.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(TOP_METHODS).map(x -> new HotMethod(x.getKey(), leafStage.get(x.getKey()).label(), x.getValue(),
                        busy == 0 ? 0 : (double) x.getValue() / busy)).toList();
        Map<String, Long> others = new HashMap<>();
        cpuByThread.forEach((name, nanos) -> {
            if (!isStreamThread(name)) {
                others.merge(threadKind(name), nanos, Long::sum);
            }
        });
        List<OtherThread> other = others.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(x -> new OtherThread(x.getKey(), x.getValue() / 1e3 / frameCount)).toList();
        return new Report(frameCount, PERIOD.toMillis(), streamUs, busy, idle, stages, hot, other);
    }

    /** A stream thread of this detector, not one of the clients it owns (whose names extend the thread's). */
    private boolean isStreamThread(String name) {
        return name.contains(applicationId) && name.matches(".*-StreamThread-\\d+");
    }

    /** The detector's other threads, by kind: the numbers and ids in their names left out. */
    private String threadKind(String name) {
        if (name.startsWith("kafka-producer-network-thread")) {
            return "producer I/O thread (sends, transactions)";
        }
        if (name.contains("heartbeat")) {
            return "consumer heartbeat thread";
        }
        return name.replace(applicationId, "<app>").replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>");
    }

    /** CPU nanoseconds of every live thread whose name carries the application id. */
    private Map<String, Long> detectorThreadCpuNanos() {
        var mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> cpu = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().contains(applicationId)) {
                long nanos = mx.getThreadCpuTime(t.getId());
                if (nanos > 0) {
                    cpu.merge(t.getName(), nanos, Long::sum);
                }
            }
        }
        return cpu;
    }

    /** The report as a table, for a person. */
    static void print(java.io.PrintWriter out, Report r) {
        out.printf("stream thread: %.1f us CPU per frame over %,d frames; %,d busy and %,d idle samples, one every %d ms%n",
                r.streamThreadCpuUsPerFrame(), r.frames(), r.busySamples(), r.idleSamples(), r.periodMs());
        out.printf("  %-40s %8s %7s %12s%n", "stage", "samples", "share", "us/frame");
        r.stages().stream().sorted(Comparator.comparingDouble(Stage::share).reversed()).forEach(s ->
                out.printf("  %-40s %8d %6.1f%% %12.1f%n", s.stage(), s.samples(), 100 * s.share(), s.cpuUsPerFrame()));
        out.println("  hottest methods (top of the stack in busy samples):");
        for (HotMethod m : r.hotMethods()) {
            out.printf("  %6.1f%%  %s  [%s]%n", 100 * m.share(), m.method(), m.stage());
        }
        out.println("other threads of the detector:");
        for (OtherThread t : r.otherThreads()) {
            out.printf("  %-40s %8.1f us CPU per frame%n", t.thread(), t.cpuUsPerFrame());
        }
        out.flush();
    }
}
