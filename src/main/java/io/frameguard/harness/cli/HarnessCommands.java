package io.frameguard.harness.cli;

import io.frameguard.cli.CommandPlugin;
import java.util.List;

/** The harness's commands on the {@code frameguard} command line: simulated cameras, benchmarks, fault injection. */
public final class HarnessCommands implements CommandPlugin {
    @Override
    public List<Object> commands() {
        return List.of(new DemoCommand(), new ProduceCommand(), new BenchCommand(), new ChaosCommand());
    }
}
