package io.frameguard.harness.chaos;

import io.frameguard.FrameGuardException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka cluster of separate broker processes (combined KRaft broker + controller nodes,
 * {@code kafka.Kafka} from the Kafka jars FrameGuard ships with), on fixed localhost ports so a
 * node can be killed and started again on the same data and address, as an operator would.
 *
 * <p>Each node has two client listeners: {@code INTERNAL} (plaintext; inter-broker traffic and the
 * harness's own clients) and {@code CLIENT} (what the detector connects to: plaintext, or
 * SASL_SSL with SCRAM-SHA-256 when the cluster is {@linkplain Security secured}).
 */
final class KafkaNodes implements AutoCloseable {
    /** SASL_SSL + SCRAM-SHA-256 on the client listener; the user exists from formatting on. */
    record Security(String user, String password, Path keystore, Path truststore, String storePassword) {
    }

    private final Path dir;
    private final int count;
    private final int[] clientPorts;
    private final int[] internalPorts;
    private final int[] controllerPorts;
    private final JavaProcess[] nodes;
    private final Security security;

    private KafkaNodes(Path dir, int count, Security security) {
        this.dir = dir;
        this.count = count;
        this.security = security;
        // one call, every port held open until all are chosen: three calls could hand out the same
        // port twice (the security scenario once failed to format: "Each listener must have a different port")
        int[] ports = freePorts(3 * count);
        this.clientPorts = java.util.Arrays.copyOfRange(ports, 0, count);
        this.internalPorts = java.util.Arrays.copyOfRange(ports, count, 2 * count);
        this.controllerPorts = java.util.Arrays.copyOfRange(ports, 2 * count, 3 * count);
        this.nodes = new JavaProcess[count];
    }

    /** Formats and starts {@code count} nodes, and waits until all of them serve. */
    static KafkaNodes start(Path dir, int count, Security security) {
        KafkaNodes k = new KafkaNodes(dir, count, security);
        try {
            String clusterId = Uuid.randomUuid().toString();
            for (int i = 0; i < count; i++) {
                k.format(i, clusterId);
            }
            for (int i = 0; i < count; i++) {
                k.startNode(i);
            }
            k.awaitNodes(count, Duration.ofSeconds(90));
            return k;
        } catch (RuntimeException e) {
            k.close();
            throw e;
        }
    }

    /** The detector's bootstrap servers (the {@code CLIENT} listener). */
    String clientBootstrap() {
        return bootstrap(clientPorts);
    }

    /** The harness's bootstrap servers (plaintext {@code INTERNAL} listener). */
    String internalBootstrap() {
        return bootstrap(internalPorts);
    }

    int size() {
        return count;
    }

    /** SIGKILL node {@code i}. */
    void kill(int i) {
        nodes[i].kill();
    }

    /** Starts node {@code i} again on its data and ports and waits until {@code expectedLive} nodes serve. */
    void restart(int i, int expectedLive) {
        startNode(i);
        awaitNodes(expectedLive, Duration.ofSeconds(90));
    }

    Properties internalClientConfig() {
        Properties p = new Properties();
        p.put("bootstrap.servers", internalBootstrap());
        return p;
    }

    private void format(int i, String clusterId) {
        Path props = writeProperties(i);
        List<String> args = new ArrayList<>(List.of("format", "-t", clusterId, "-c", props.toString()));
        if (security != null) {
            args.add("--add-scram");
            args.add("SCRAM-SHA-256=[name=" + security.user() + ",password=" + security.password() + "]");
        }
        JavaProcess p = JavaProcess.start("kafka-format-" + i, "256m", "kafka.tools.StorageTool", args,
                dir.resolve("node-" + i + ".log"));
        if (!p.await(60) || p.exitCode() != 0) {
            throw new FrameGuardException("formatting Kafka node " + i + " failed:\n" + p.tail(20));
        }
    }

    private void startNode(int i) {
        nodes[i] = JavaProcess.start("kafka-" + i, "512m", JavaProcess.diagnosticLogging("kafka.coordinator.transaction",
                        "org.apache.kafka.coordinator.transaction"), "kafka.Kafka",
                List.of(dir.resolve("node-" + i + ".properties").toString()), dir.resolve("node-" + i + ".log"));
    }

    private void awaitNodes(int expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Properties p = internalClientConfig();
        p.put("request.timeout.ms", 5000);
        p.put("default.api.timeout.ms", 10000);
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            for (JavaProcess n : nodes) {
                if (n != null && !n.isAlive() && n.exitCode() != 137) {
                    throw new FrameGuardException("Kafka node " + n.name() + " exited:\n" + n.tail(30));
                }
            }
            try (Admin a = Admin.create(p)) {
                int live = a.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
                if (live >= expected) {
                    return;
                }
                last = live + " of " + expected + " nodes up";
            } catch (Exception e) {
                last = e.getMessage();
            }
            sleep(500);
        }
        throw new FrameGuardException("Kafka nodes not ready within " + timeout.toSeconds() + " s: " + last);
    }

    private Path writeProperties(int i) {
        Properties p = new Properties();
        int rf = Math.min(3, count);
        String voters = java.util.stream.IntStream.range(0, count)
                .mapToObj(n -> n + "@localhost:" + controllerPorts[n]).collect(Collectors.joining(","));
        p.putAll(Map.of("process.roles", "broker,controller", "node.id", Integer.toString(i),
                "controller.quorum.voters", voters,
                "listeners", "CLIENT://localhost:" + clientPorts[i] + ",INTERNAL://localhost:" + internalPorts[i]
                        + ",CONTROLLER://localhost:" + controllerPorts[i],
                "advertised.listeners", "CLIENT://localhost:" + clientPorts[i] + ",INTERNAL://localhost:" + internalPorts[i],
                "listener.security.protocol.map", "CLIENT:" + (security == null ? "PLAINTEXT" : "SASL_SSL")
                        + ",INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name", "INTERNAL", "controller.listener.names", "CONTROLLER",
                "log.dirs", dir.resolve("data-" + i).toString()));
        p.putAll(Map.of("offsets.topic.replication.factor", Integer.toString(rf),
                "transaction.state.log.replication.factor", Integer.toString(rf),
                "transaction.state.log.min.isr", Integer.toString(Math.min(2, rf)),
                "default.replication.factor", Integer.toString(rf),
                "min.insync.replicas", Integer.toString(Math.min(2, rf)),
                "group.initial.rebalance.delay.ms", "0", "auto.create.topics.enable", "false",
                "group.min.session.timeout.ms", "2000", "log.segment.bytes", Integer.toString(64 << 20)));
        if (security != null) {
            p.put("sasl.enabled.mechanisms", "SCRAM-SHA-256");
            p.put("listener.name.client.scram-sha-256.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            p.put("listener.name.client.ssl.keystore.location", security.keystore().toString());
            p.put("listener.name.client.ssl.keystore.password", security.storePassword());
            p.put("listener.name.client.ssl.key.password", security.storePassword());
        }
        return store(p, dir.resolve("node-" + i + ".properties"), "FrameGuard chaos node " + i);
    }

    /** Writes {@code p} to {@code file} (creating its folder) and returns the file. */
    static Path store(Properties p, Path file, String comment) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (Writer w = Files.newBufferedWriter(file)) {
                p.store(w, comment);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static String bootstrap(int[] ports) {
        return java.util.Arrays.stream(ports).mapToObj(p -> "localhost:" + p).collect(Collectors.joining(","));
    }

    static int[] freePorts(int n) {
        int[] out = new int[n];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                held.add(s);
                out[i] = s.getLocalPort();
            }
            for (ServerSocket s : held) {
                s.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FrameGuardException("interrupted", e);
        }
    }

    @Override
    public void close() {
        for (JavaProcess n : nodes) {
            if (n != null && n.isAlive()) {
                n.stop(20);
            }
        }
    }
}
