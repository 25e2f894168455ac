package io.frameguard.harness.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code serve} started wrongly, as a separate process each time: it must exit with code 1 and one
 * {@code frameguard:} line naming the problem, within a bounded time, and never hang.
 */
final class StartupFaults {
    static final int BOUND_SECONDS = 60;

    private final Path dir;
    private final Path model;
    private final Consumer<String> say;

    StartupFaults(Path dir, Path model, Consumer<String> say) {
        this.dir = dir;
        this.model = model;
        this.say = say;
    }

    ChaosSuite.Result run() {
        ChaosSuite.deleteQuietly(dir);
        Path corrupt = dir.resolve("corrupt.bundle");
        try {
            Files.createDirectories(dir);
            Files.write(corrupt, "this is not a zip file".getBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int closedPort = KafkaNodes.freePorts(1)[0];
        String bootstrap = "localhost:" + closedPort;
        Map<String, List<String>> cases = new LinkedHashMap<>();
        cases.put("missing bundle|does not exist", args(bootstrap, "model.path=" + dir.resolve("missing.bundle")));
        cases.put("corrupt bundle|is not a FrameGuard model bundle", args(bootstrap, "model.path=" + corrupt));
        cases.put("bundle shape != frame.shape|does not match the input", args(bootstrap, "model.path=" + model, "frame.shape=14x14"));
        cases.put("unreachable broker|cannot reach Kafka", args(bootstrap, "model.path=" + model));
        cases.put("invalid config|invalid configuration", args(bootstrap, "model.path=" + model, "batch.size=0"));
        List<String> problems = new ArrayList<>();
        int n = 0;
        for (var c : cases.entrySet()) {
            String[] what = c.getKey().split("\\|");
            Path log = dir.resolve("case-" + (++n) + ".log");
            long t0 = System.nanoTime();
            JavaProcess p = JavaProcess.start("serve-" + n, "512m", "io.frameguard.cli.FrameGuard", c.getValue(), log);
            boolean exited = p.await(BOUND_SECONDS);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (!exited) {
                p.kill();
                problems.add(what[0] + ": still running after " + BOUND_SECONDS + " s");
                continue;
            }
            List<String> lines = lines(log).stream().filter(l -> l.startsWith("frameguard:")).toList();
            boolean ok = p.exitCode() == 1 && lines.size() == 1 && lines.get(0).contains(what[1]);
            say.accept(String.format("   %-28s exit %d in %4.1f s: %s", what[0], p.exitCode(), seconds,
                    lines.isEmpty() ? "(no frameguard: line)" : lines.get(0)));
            if (!ok) {
                problems.add(what[0] + ": exit " + p.exitCode() + ", " + lines);
            }
        }
        return new ChaosSuite.Result("startup-faults", 0, cases.size(), 0, 0, 0, problems.isEmpty(), 0,
                problems.isEmpty() ? cases.size() + " bad start-ups: each exit 1 with one line, within " + BOUND_SECONDS + " s"
                        : String.join("; ", problems));
    }

    private static List<String> args(String bootstrap, String... settings) {
        List<String> a = new ArrayList<>(List.of("serve", "-b", bootstrap, "--set", "http.port=-1"));
        for (String s : settings) {
            a.add("--set");
            a.add(s);
        }
        return a;
    }

    private static List<String> lines(Path log) {
        try {
            return Files.readAllLines(log);
        } catch (IOException e) {
            return List.of();
        }
    }
}
