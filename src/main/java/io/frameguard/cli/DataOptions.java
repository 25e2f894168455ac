package io.frameguard.cli;

import io.frameguard.data.Datasets;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where datasets live: {@code --data-dir}, else $FRAMEGUARD_DATA_DIR, else {@code data/} under $FRAMEGUARD_HOME or here. */
public final class DataOptions {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Dataset folder (default: $FRAMEGUARD_DATA_DIR, else data/ in the FrameGuard checkout).")
    Path dataDir;

    public Path dataDir() {
        if (dataDir != null) {
            return dataDir;
        }
        String env = System.getenv("FRAMEGUARD_DATA_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String home = System.getenv("FRAMEGUARD_HOME");
        return (home == null || home.isBlank() ? Path.of(".") : Path.of(home)).resolve("data");
    }

    public Datasets datasets() {
        return new Datasets(dataDir());
    }
}
