package io.frameguard.harness.chaos;

import io.frameguard.FrameGuardException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The detector against a cluster whose client listener is SASL_SSL with SCRAM-SHA-256 (self-signed
 * certificate made with the JDK's keytool): the settings must reach every client the detector
 * creates, including the restore consumer (the second instance starts with an empty state folder and
 * must restore its stores through the secured listener); the password must appear in no log and no
 * HTTP answer; the HTTP endpoint must not answer on a non-loopback address; a wrong password fails
 * start-up with one line.
 */
final class SecurityScenario {
    private static final String USER = "frameguard";

    private final ChaosSuite suite;
    private final Path dir;

    SecurityScenario(ChaosSuite suite, Path dir) {
        this.suite = suite;
        this.dir = dir;
    }

    static Map<String, String> clientSettings(KafkaNodes.Security s) {
        return Map.of("kafka.security.protocol", "SASL_SSL", "kafka.sasl.mechanism", "SCRAM-SHA-256",
                "kafka.sasl.jaas.config", jaas(s.user(), s.password()),
                "kafka.ssl.truststore.location", s.truststore().toString(),
                "kafka.ssl.truststore.password", s.storePassword(), "kafka.ssl.truststore.type", "PKCS12");
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    ChaosSuite.Result run(ChaosSuite.Options o) {
        Path keys = dir.getParent().resolve("security-keys");
        ChaosSuite.deleteQuietly(keys);
        String password = "pw-" + Long.toHexString(new java.util.Random(o.seed()).nextLong() | 1L << 62);
        String storePassword = "store-" + Long.toHexString(System.nanoTime());
        KafkaNodes.Security security = makeStores(keys, password, storePassword);
        return suite.withCluster("security", 1, security, o.frames(), o.poisonEvery(), o.seed(), run -> {
            int half = run.workload.size() / 2;
            DetectorProcess first = run.detector("detector-1", "chaos-secure", "").start(Duration.ofSeconds(120));
            run.workload.produce(run.nodes.internalClientConfig(), "frames", 0, half);
            run.awaitProgress("scores", 0.45);
            List<String> problems = new ArrayList<>();
            for (String path : List.of("/metrics", "/thresholds", "/health")) {
                if (first.get(path).body().contains(password)) {
                    problems.add(path + " shows the password");
                }
            }
            problems.addAll(nonLoopbackAnswers(first.httpPort()));
            first.stop();
            DetectorProcess second = run.detector("detector-2", "chaos-secure", "").start(Duration.ofSeconds(180));
            run.workload.produce(run.nodes.internalClientConfig(), "frames", half, run.workload.size());
            ChaosSuite.Result r = run.finish(List.of(second), 1, "");
            problems.addAll(badPassword(run, security));
            for (DetectorProcess d : run.started) {
                if (read(d.log()).contains(password)) {
                    problems.add(d.log().getFileName() + " contains the password");
                }
            }
            boolean passed = r.passed() && problems.isEmpty();
            String notes = passed ? "SASL_SSL + SCRAM-SHA-256; restart on an empty state folder restored through it; password"
                    + " in no log or HTTP answer; HTTP on loopback only; wrong password: one-line exit 1" + r.notes()
                    : String.join("; ", problems) + (r.passed() ? "" : "; " + r.notes());
            return new ChaosSuite.Result("security", r.frames(), r.faults(), r.lost(), r.duplicated(), r.deadLettered(),
                    passed, 0, notes);
        });
    }

    private List<String> badPassword(ScenarioRun run, KafkaNodes.Security security) {
        var wrong = new KafkaNodes.Security(security.user(), security.password() + "x", security.keystore(),
                security.truststore(), security.storePassword());
        List<String> args = new ArrayList<>(List.of("serve", "--set", "http.port=-1"));
        run.settings("chaos-wrong", "").forEach((k, v) -> {
            if (!k.startsWith("kafka.")) {
                args.add("--set");
                args.add(k + "=" + v);
            }
        });
        clientSettings(wrong).forEach((k, v) -> {
            args.add("--set");
            args.add(k + "=" + v);
        });
        Path log = dir.resolve("wrong-password.log");
        JavaProcess p = JavaProcess.start("wrong-password", "512m", "io.frameguard.cli.FrameGuard", args, log);
        if (!p.await(StartupFaults.BOUND_SECONDS)) {
            p.kill();
            return List.of("a wrong password did not end start-up within " + StartupFaults.BOUND_SECONDS + " s");
        }
        List<String> lines = read(log).lines().filter(l -> l.startsWith("frameguard:")).toList();
        suite.say("   wrong password: exit " + p.exitCode() + ": " + lines);
        if (p.exitCode() != 1 || lines.size() != 1) {
            return List.of("a wrong password gave exit " + p.exitCode() + " and " + lines);
        }
        return List.of();
    }

    private static List<String> nonLoopbackAnswers(int port) {
        List<String> problems = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                        try (Socket s = new Socket()) {
                            s.connect(new InetSocketAddress(a, port), 1000);
                            problems.add("the HTTP endpoint answers on " + a.getHostAddress());
                        } catch (IOException refused) {
                            // expected: bound to 127.0.0.1 only
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return problems;
    }

    /** A PKCS12 key store with a self-signed certificate for localhost, and a trust store holding it. */
    private static KafkaNodes.Security makeStores(Path keys, String password, String storePassword) {
        Path keystore = keys.resolve("broker.p12");
        Path cert = keys.resolve("broker.crt");
        Path truststore = keys.resolve("truststore.p12");
        try {
            Files.createDirectories(keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", storePassword, "-keypass", storePassword);
        keytool("-exportcert", "-alias", "broker", "-keystore", keystore.toString(), "-storepass", storePassword,
                "-rfc", "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", truststore.toString(), "-storepass", storePassword);
        return new KafkaNodes.Security(USER, password, keystore, truststore, storePassword);
    }

    private static void keytool(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new FrameGuardException("keytool " + args[0] + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new FrameGuardException("cannot run keytool: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FrameGuardException("interrupted", e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
