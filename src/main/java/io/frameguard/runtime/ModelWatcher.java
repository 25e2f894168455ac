package io.frameguard.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the bundle file at {@code model.path} and calls {@code reload} when it is replaced: by
 * polling its modification time, size and file key (a new inode after an atomic rename), which also
 * works on volumes where file-system events do not arrive (Kubernetes ConfigMaps, NFS). Also reloads
 * on request ({@link #reloadNow}, wired to SIGHUP). Reloads run one at a time on the watcher's own
 * thread, never on a stream thread. A file being written in place shows up as several changes; a
 * reload that fails (a half-written bundle) leaves the running model alone, and the next change
 * tries again.
 */
final class ModelWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelWatcher.class);

    private final Path file;
    private final Runnable reload;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "frameguard-model-watcher");
        t.setDaemon(true);
        return t;
    });
    private Object seen;

    /** Polls every {@code intervalMs} (0: only {@link #reloadNow}). */
    ModelWatcher(Path file, long intervalMs, Runnable reload) {
        this.file = file;
        this.reload = reload;
        this.seen = signature();
        if (intervalMs > 0) {
            thread.scheduleWithFixedDelay(this::check, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        }
    }

    void reloadNow() {
        thread.execute(() -> {
            seen = signature();
            run();
        });
    }

    private void check() {
        Object now = signature();
        if (now != null && !Objects.equals(now, seen)) {
            seen = now;
            run();
        }
    }

    private void run() {
        try {
            reload.run();
        } catch (RuntimeException e) {
            LOG.error("model reload from {} failed; the running model stays in force: {}", file, e.getMessage());
        }
    }

    /** What changes when the file is replaced or rewritten; null while it does not exist. */
    private Object signature() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return java.util.List.of(a.lastModifiedTime().toMillis(), a.size(), String.valueOf(a.fileKey()));
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
