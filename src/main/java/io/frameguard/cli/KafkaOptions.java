package io.frameguard.cli;

import io.frameguard.config.FrameGuardConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Configuration layering for the Kafka commands: {@code --config FILE}, environment, then flags. */
public final class KafkaOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Properties file (see config/frameguard.properties).")
    Path file;

    @Option(names = {"-b", "--bootstrap-server"}, paramLabel = "HOST:PORT", description = "Kafka brokers (bootstrap.servers).")
    String bootstrap;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any configuration key, e.g. --set batch.size=128.")
    Map<String, String> set = new HashMap<>();

    public FrameGuardConfig load(Map<String, String> flags) {
        Map<String, String> overrides = new HashMap<>(set);
        if (bootstrap != null) {
            overrides.put(FrameGuardConfig.BOOTSTRAP_SERVERS, bootstrap);
        }
        overrides.putAll(flags);
        return FrameGuardConfig.load(file, System.getenv(), overrides);
    }
}
