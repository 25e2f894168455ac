package io.frameguard.harness.chaos;

import io.frameguard.FrameGuardException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code frameguard serve} as its own process, configured by a properties file, watched through its
 * {@code /health} endpoint. Restarts reuse the same configuration and state folder. Used by the chaos
 * suite and by {@code bench pipeline} (a detector's own heap and RSS).
 */
public final class DetectorProcess {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path config;
    private final Path log;
    private final int httpPort;
    private JavaProcess process;

    public DetectorProcess(String name, Path dir, Map<String, String> settings) {
        this.name = name;
        this.httpPort = KafkaNodes.freePorts(1)[0];
        this.config = dir.resolve(name + ".properties");
        this.log = dir.resolve(name + ".log");
        Properties p = new Properties();
        p.putAll(settings);
        p.put("http.port", Integer.toString(httpPort));
        p.putIfAbsent("state.dir", dir.resolve(name + "-state").toString());
        KafkaNodes.store(p, config, "FrameGuard chaos detector " + name);
    }

    /** Starts the process with a 1 GB heap and waits until {@code /health} says RUNNING. */
    DetectorProcess start(Duration timeout) {
        return start(timeout, "1g");
    }

    /** Starts the process with heap limit {@code xmx} and waits until {@code /health} says RUNNING. */
    public DetectorProcess start(Duration timeout, String xmx) {
        return start(timeout, xmx, List.of());
    }

    /** Starts the process with heap limit {@code xmx} and further JVM options, and waits until {@code /health} says RUNNING. */
    public DetectorProcess start(Duration timeout, String xmx, List<String> jvmOptions) {
        List<String> options = new java.util.ArrayList<>(JavaProcess.diagnosticLogging(
                "org.apache.kafka.streams.processor.internals.StreamThread",
                "org.apache.kafka.clients.producer.internals.TransactionManager"));
        options.addAll(jvmOptions);
        process = JavaProcess.start(name, xmx, options, "io.frameguard.cli.FrameGuard",
                List.of("serve", "--config", config.toString()), log);
        awaitHealthy(timeout);
        return this;
    }

    void awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new FrameGuardException("detector " + name + " exited with " + process.exitCode() + ":\n" + process.tail(20));
            }
            if (get("/health").status() == 200) {
                return;
            }
            KafkaNodes.sleep(250);
        }
        throw new FrameGuardException("detector " + name + " not healthy within " + timeout.toSeconds() + " s:\n" + process.tail(20));
    }

    /** An HTTP GET on the detector's endpoint. */
    public Answer get(String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Answer(0, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FrameGuardException("interrupted", e);
        }
    }

    void kill() {
        process.kill();
    }

    /** SIGSTOP: the process is frozen where it is, its connections open, until {@link #resume}. */
    public void freeze() {
        process.signal("STOP");
    }

    /** SIGCONT after {@link #freeze}. */
    public void resume() {
        process.signal("CONT");
    }

    public void stop() {
        if (process != null && process.isAlive()) {
            process.stop(40);
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    public Path log() {
        return log;
    }

    int httpPort() {
        return httpPort;
    }

    /** An HTTP answer; status 0 when nothing answered. */
    public record Answer(int status, String body) {
    }
}
