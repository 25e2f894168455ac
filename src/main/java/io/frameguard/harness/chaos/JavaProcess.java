package io.frameguard.harness.chaos;

import io.frameguard.FrameGuardException;
import io.frameguard.dl4j.JavaDense;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM on this JVM's class path, with the native settings of this one (oneDNN build, DL4J
 * helpers, OMP threads), its output in a log file. {@link #kill()} is SIGKILL: no shutdown hook,
 * no clean close, exactly what a power cut or the OOM killer does.
 */
final class JavaProcess {
    private static final List<String> PASSED_PROPERTIES = List.of("org.bytedeco.javacpp.platform.extension",
            "org.eclipse.deeplearning4j.helpers.disable", "java.security.egd");

    /** Children still running; a Ctrl-C of the chaos command must not leave brokers or detectors behind. */
    private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "chaos-children"));
    }

    private final String name;
    private final Path log;
    private final Process process;

    private JavaProcess(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
    }

    /**
     * JVM options that put a time on every library log line and raise {@code loggers} to INFO, so a
     * failed scenario's logs say what the Kafka transaction machinery did and when.
     */
    static List<String> diagnosticLogging(String... loggers) {
        List<String> options = new ArrayList<>(List.of("-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS"));
        for (String logger : loggers) {
            options.add("-Dorg.slf4j.simpleLogger.log." + logger + "=info");
        }
        return options;
    }

    /** Starts {@code mainClass args} with heap {@code xmx}; stdout and stderr go to {@code log} (appended). */
    static JavaProcess start(String name, String xmx, String mainClass, List<String> args, Path log) {
        return start(name, xmx, List.of(), mainClass, args, log);
    }

    /** Starts {@code mainClass args} with heap {@code xmx} and further JVM options; output as {@link #start(String, String, String, List, Path)}. */
    static JavaProcess start(String name, String xmx, List<String> jvmOptions, String mainClass, List<String> args, Path log) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + xmx);
        cmd.addAll(jvmOptions);
        if (JavaDense.vectorApi()) {
            // a child scores as this process does: with the Vector API where this one has it
            cmd.add("--add-modules=" + JavaDense.VECTOR_MODULE);
        }
        cmd.add("-Djava.awt.headless=true");
        for (String p : PASSED_PROPERTIES) {
            String v = System.getProperty(p);
            if (v != null) {
                cmd.add("-D" + p + "=" + v);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Map<String, String> env = pb.environment();
            env.putIfAbsent("OMP_NUM_THREADS", "1");
            Process p = pb.start();
            LIVE.add(p);
            p.onExit().thenRun(() -> LIVE.remove(p));
            return new JavaProcess(name, log, p);
        } catch (IOException e) {
            throw new FrameGuardException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    String name() {
        return name;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Sends {@code signal} (a name {@code kill -s} takes, e.g. {@code STOP} or {@code CONT}) and
     * waits for {@code kill} to return.
     */
    void signal(String signal) {
        try {
            int code = new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid())).inheritIO().start().waitFor();
            if (code != 0) {
                throw new FrameGuardException("kill -s " + signal + " " + process.pid() + " exited " + code);
            }
        } catch (IOException e) {
            throw new FrameGuardException("cannot run kill -s " + signal + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FrameGuardException("interrupted sending " + signal, e);
        }
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() {
        process.destroyForcibly();
        await(30);
    }

    /** SIGTERM (the shutdown hooks run), then SIGKILL if it has not exited within {@code seconds}. */
    void stop(int seconds) {
        process.destroy();
        if (!await(seconds)) {
            kill();
        }
    }

    /** Waits up to {@code seconds} for the process to exit. */
    boolean await(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    int exitCode() {
        return process.exitValue();
    }

    /** The last {@code lines} lines of the log, for failure messages. */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
