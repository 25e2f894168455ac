package io.frameguard.harness.registry;

import io.frameguard.FrameGuardException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Schema Registry on this machine: Apicurio Registry 3 (a Quarkus fast-jar from Maven
 * Central, {@code io.apicurio:apicurio-registry-app:tar.gz:all}, unpacked by the build's
 * {@code unpack-schema-registry} execution) as a child process on 127.0.0.1. Its
 * Confluent-compatible API is {@link #url()}. For the integration tests, the chaos suite and
 * {@code demo --registry}; production shops bring their own registry.
 *
 * <p>Storage is in memory unless a folder is given: then an H2 file there, so that a registry
 * killed and {@link #restart() restarted} still knows every schema id it gave out (as a registry on
 * a real database does). {@link #kill()} is SIGKILL; {@link #pause()} is SIGSTOP, a registry that
 * accepts connections and answers nothing.
 *
 * <p>Where it is looked for: {@code -Dframeguard.apicurio.home}, else {@code target/apicurio} under
 * {@code $FRAMEGUARD_HOME} (set by {@code bin/frameguard}) or here; when missing there, it is
 * unpacked with {@code mvn dependency:unpack@unpack-schema-registry} (about 150 MB, once). It needs
 * Java 21+: {@code -Dframeguard.registry.java}, else {@code $FRAMEGUARD_REGISTRY_JAVA}, else
 * {@link #DEFAULT_JAVA}.
 */
public final class ApicurioRegistry implements AutoCloseable {
    public static final String DEFAULT_JAVA = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final Path home;
    private final String java;
    private final Path storage;
    private final Path log;
    private final int httpPort;
    private final int managementPort;
    private Process process;

    private ApicurioRegistry(Path home, String java, Path storage, Path log) {
        this.home = home;
        this.java = java;
        this.storage = storage;
        this.log = log;
        this.httpPort = freePort();
        this.managementPort = freePort();
    }

    /**
     * Starts a registry and waits until it answers. {@code storage}: a folder for its H2 database
     * (kept across {@link #restart()}), or null for memory. {@code log}: where its output goes.
     */
    public static ApicurioRegistry start(Path storage, Path log) {
        ApicurioRegistry r = new ApicurioRegistry(home(), java(), storage, log);
        r.launch();
        return r;
    }

    /** The Confluent API base URL, {@code http://127.0.0.1:P/apis/ccompat/v7}. */
    public String url() {
        return "http://127.0.0.1:" + httpPort + "/apis/ccompat/v7";
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL, as a crash or the OOM killer: nothing is flushed. Waits until the process is gone. */
    public synchronized void kill() {
        process.destroyForcibly();
        awaitExit(process, 30);
    }

    /** Starts it again on the same port and storage after {@link #kill()}, and waits until it answers. */
    public synchronized void restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("the registry is still running (pid " + process.pid() + ")");
        }
        launch();
    }

    /** Freezes the process (SIGSTOP): connections are accepted and nothing is answered, as by a hung registry. */
    public synchronized void pause() {
        signal("-STOP");
    }

    public synchronized void resume() {
        signal("-CONT");
    }

    @Override
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            signal("-CONT");
            process.destroy();
            if (!awaitExit(process, 10)) {
                process.destroyForcibly();
                awaitExit(process, 10);
            }
        }
    }

    private void launch() {
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + managementPort));
        if (storage != null) {
            cmd.add("-Dapicurio.datasource.url=jdbc:h2:file:" + storage.toAbsolutePath().resolve("registry"));
        }
        cmd.addAll(List.of("-jar", "quarkus-run.jar"));
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            process = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new FrameGuardException("cannot start Apicurio Registry with " + java + ": " + e.getMessage(), e);
        }
        Process p = process;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> p.destroyForcibly(), "apicurio-registry-stop"));
        awaitReady();
    }

    private void awaitReady() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new FrameGuardException("Apicurio Registry exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(url() + "/subjects")).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FrameGuardException("interrupted while waiting for Apicurio Registry", e);
            }
            sleep(250);
        }
        process.destroyForcibly();
        throw new FrameGuardException("Apicurio Registry not ready within " + READY_TIMEOUT.toSeconds() + " s; see " + log);
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new FrameGuardException("kill " + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new FrameGuardException("kill " + signal + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FrameGuardException("interrupted", e);
        }
    }

    /** The unpacked fast-jar's folder, unpacked by Maven first when it is missing. */
    static Path home() {
        String property = System.getProperty("frameguard.apicurio.home");
        if (property != null) {
            return requireJar(Path.of(property), "run the integration tests through mvn verify, which unpacks it there");
        }
        String env = System.getenv("FRAMEGUARD_HOME");
        Path project = env != null ? Path.of(env) : Path.of("").toAbsolutePath();
        Path home = project.resolve("target/apicurio");
        if (!Files.isRegularFile(home.resolve("quarkus-run.jar")) && Files.isRegularFile(project.resolve("pom.xml"))) {
            System.err.println("frameguard: unpacking Apicurio Registry into " + home + " (about 150 MB, once) ...");
            try {
                Process mvn = new ProcessBuilder("mvn", "-q", "-f", project.resolve("pom.xml").toString(),
                        "dependency:unpack@unpack-schema-registry").inheritIO().start();
                if (mvn.waitFor() != 0) {
                    throw new FrameGuardException("mvn dependency:unpack@unpack-schema-registry failed (exit " + mvn.exitValue() + ")");
                }
            } catch (IOException e) {
                throw new FrameGuardException("cannot run mvn to unpack Apicurio Registry: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FrameGuardException("interrupted while unpacking Apicurio Registry", e);
            }
        }
        return requireJar(home, "run mvn dependency:unpack@unpack-schema-registry in the FrameGuard checkout");
    }

    private static Path requireJar(Path home, String remedy) {
        if (!Files.isRegularFile(home.resolve("quarkus-run.jar"))) {
            throw new FrameGuardException(home + "/quarkus-run.jar is missing: " + remedy);
        }
        return home;
    }

    private static String java() {
        String java = System.getProperty("frameguard.registry.java", System.getenv("FRAMEGUARD_REGISTRY_JAVA"));
        if (java == null) {
            java = DEFAULT_JAVA;
        }
        if (!Files.isExecutable(Path.of(java))) {
            throw new FrameGuardException("Apicurio Registry needs Java 21+; " + java + " is not there: set"
                    + " FRAMEGUARD_REGISTRY_JAVA to a Java 21+ java executable");
        }
        return java;
    }

    private static boolean awaitExit(Process p, int seconds) {
        try {
            return p.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new FrameGuardException("no free port: " + e.getMessage(), e);
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
