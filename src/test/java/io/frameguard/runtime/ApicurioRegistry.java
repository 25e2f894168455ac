package io.frameguard.runtime;

import java.nio.file.Path;

/**
 * The integration tests' registry: one {@link io.frameguard.harness.registry.ApicurioRegistry} per
 * test JVM, started on first use (in memory, so every run starts from an empty registry) and stopped
 * by its process when the JVM exits.
 */
final class ApicurioRegistry {
    private static io.frameguard.harness.registry.ApicurioRegistry registry;

    private ApicurioRegistry() {
    }

    /** The Confluent API base URL ({@code http://127.0.0.1:P/apis/ccompat/v7}), starting the registry if needed. */
    static synchronized String url() {
        if (registry == null) {
            registry = io.frameguard.harness.registry.ApicurioRegistry.start(null, Path.of("target/apicurio.log"));
        }
        return registry.url();
    }

    static synchronized void pause() {
        registry.pause();
    }

    static synchronized void resume() {
        registry.resume();
    }
}
