package io.frameguard.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Lowers the CPU priority (the Linux nice value) of this JVM's JIT compiler threads once a detector
 * has warmed up. A line at a modest rate reaches the compile thresholds of its per-request Kafka
 * client and broker code only minutes after the warm-up, and each such C2 compilation took a core
 * for hundreds of milliseconds: on a 2-core host the compilers held 0.5–0.8 of a core through the
 * first 20 s of the 256×256 inspection line and its p99 swung from 0.2 to 1.4 s. At a higher nice
 * value they take the CPU the serving threads leave, and still all of it when the host is idle.
 *
 * <p>HotSpot names its compiler threads {@code C1 CompilerThreadN} and {@code C2 CompilerThreadN}
 * ({@code JVMCI CompilerThreadN} with Graal), which Linux keeps as {@code /proc/self/task/TID/comm}
 * cut to 15 characters. Threads the JVM adds later are started by a compiler thread and inherit its
 * nice value. Any user may raise a nice value of its own threads; only root may lower it back.
 */
final class CompilerPriority {
    private static final String NAME = "CompilerThre";

    private CompilerPriority() {
    }

    /** This JVM's compiler threads' ids, from {@code /proc/self/task}; empty where there is none (not Linux). */
    static List<String> compilerThreads() {
        Path tasks = Path.of("/proc/self/task");
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(tasks)) {
            return ids;
        }
        try (Stream<Path> all = Files.list(tasks)) {
            for (Path t : all.toList()) {
                try {
                    if (Files.readString(t.resolve("comm")).contains(NAME)) {
                        ids.add(t.getFileName().toString());
                    }
                } catch (IOException gone) {
                    // a thread that ended while we listed
                }
            }
        } catch (IOException e) {
            return ids;
        }
        return ids;
    }

    /** A thread's nice value, field 19 of {@code /proc/self/task/TID/stat}. */
    static int nice(String threadId) throws IOException {
        String stat = Files.readString(Path.of("/proc/self/task", threadId, "stat"));
        // the name in parentheses may hold spaces: count fields after its closing parenthesis
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Integer.parseInt(after[16]);
    }

    /** What {@link #lower} did: whether the compilers now run at the nice value, and a sentence for the log. */
    record Outcome(boolean lowered, String message) {
        static Outcome not(String why) {
            return new Outcome(false, "JIT compiler threads keep their priority: " + why);
        }
    }

    /** Sets the compiler threads' nice value with {@code renice}. */
    static Outcome lower(int nice) {
        List<String> ids = compilerThreads();
        if (ids.isEmpty()) {
            return Outcome.not("none found in /proc/self/task");
        }
        List<String> cmd = new ArrayList<>(List.of("renice", "-n", Integer.toString(nice), "-p"));
        cmd.addAll(ids);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return Outcome.not("renice failed: " + output);
            }
            return new Outcome(true, "JIT compiler threads (" + ids.size() + ") at nice " + nice
                    + " from now on: compilations take the CPU the serving threads leave");
        } catch (IOException e) {
            return Outcome.not("renice could not run (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.not("interrupted");
        }
    }
}
