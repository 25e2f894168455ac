package io.frameguard.runtime;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Schema Registry for integration tests: Apicurio Registry (unpacked by the build's
 * {@code unpack-schema-registry} execution), started as a child process on first use, once per
 * test JVM, and stopped by its process when the JVM exits. Its Confluent-compatible API is
 * {@link #url()}; storage is in memory, so every test run starts from an empty registry.
 */
final class ApicurioRegistry {
    private static Process process;
    private static String url;

    private ApicurioRegistry() {
    }

    /** The Confluent API base URL ({@code http://127.0.0.1:P/apis/ccompat/v7}), starting the registry if needed. */
    static synchronized String url() {
        if (url == null) {
            url = start();
        }
        return url;
    }

    private static String start() {
        Path home = Path.of(System.getProperty("frameguard.apicurio.home", "target/apicurio"));
        String java = System.getProperty("frameguard.registry.java", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
        if (!Files.isRegularFile(home.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException(home + "/quarkus-run.jar is missing: run the integration tests through"
                    + " mvn verify, which unpacks io.apicurio:apicurio-registry-app:tar.gz:all there");
        }
        int http = freePort();
        int management = freePort();
        Path log = home.resolveSibling("apicurio.log");
        try {
            process = new ProcessBuilder(List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1",
                    "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + http,
                    "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + management,
                    "-jar", "quarkus-run.jar")).directory(home.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Apicurio Registry with " + java + ": " + e.getMessage(), e);
        }
        Process p = process;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(p)));
        String base = "http://127.0.0.1:" + http + "/apis/ccompat/v7";
        awaitReady(base, log);
        return base;
    }

    /** Freezes the registry process (SIGSTOP): it keeps accepting connections and answers nothing, as a hung registry does. */
    static synchronized void pause() {
        signal("-STOP");
    }

    static synchronized void resume() {
        signal("-CONT");
    }

    private static void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitReady(String base, Path log) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Apicurio Registry exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(base + "/subjects")).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(250);
        }
        stop(process);
        throw new IllegalStateException("Apicurio Registry not ready within 120 s; see " + log);
    }

    private static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
