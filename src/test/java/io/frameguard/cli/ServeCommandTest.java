package io.frameguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameguard.TestData;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up faults of serve: one line, exit code 1, bounded time. No broker is started here. */
class ServeCommandTest {
    static final String MODEL = TestData.FIXTURE_BUNDLE.toString();

    @TempDir
    Path dir;

    @Test
    void shouldFailWithOneLineWhenTheBundleIsMissing() {
        CliRun run = CliRun.of("serve", "--model", dir.resolve("none.bundle").toString(), "--set", "http.port=-1");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("none.bundle does not exist").hasLineCount(1);
    }

    @Test
    void shouldFailWithOneLineWhenTheBundleIsCorrupt() throws IOException {
        Path bad = Files.write(dir.resolve("bad.bundle"), new byte[] {'P', 'K', 3, 4, 0, 0, 0});
        CliRun run = CliRun.of("serve", "--model", bad.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("is not a FrameGuard model bundle").hasLineCount(1);
    }

    @Test
    void shouldFailWithOneLineNamingTheKeyOfABadValue() {
        CliRun run = CliRun.of("serve", "--model", MODEL, "--set", "linger.ms=-5");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("frameguard: invalid configuration:").contains("linger.ms").hasLineCount(1);
    }

    @Test
    void shouldFailWithOneLineWhenNoModelIsConfigured() {
        CliRun run = CliRun.of("serve");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("model.path is not set").hasLineCount(1);
    }

    @Test
    void shouldFailWithinBoundedTimeWhenTheBrokerIsUnreachable() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        CliRun run = CliRun.of("serve", "--model", MODEL, "-b", "localhost:" + closedPort, "--set", "http.port=-1",
                "--set", "state.dir=" + dir);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("frameguard: cannot reach Kafka at localhost:" + closedPort).hasLineCount(1);
        assertThat(seconds).isLessThan(60);
    }
}
