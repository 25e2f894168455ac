package io.frameguard.cli;

import java.util.List;

/**
 * Subcommands that live outside the product, found with {@link java.util.ServiceLoader}: the
 * harness (demo, produce, bench, chaos) lists its implementation in
 * {@code META-INF/services/io.frameguard.cli.CommandPlugin}, so the root command never names it.
 */
public interface CommandPlugin {
    /** Picocli {@code @Command} objects, listed after the product's commands in this order. */
    List<Object> commands();
}
