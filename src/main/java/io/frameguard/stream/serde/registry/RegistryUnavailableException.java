package io.frameguard.stream.serde.registry;

import org.apache.kafka.common.errors.RetriableException;

/**
 * The registry did not answer, or answered with a server or authorization error: the record that
 * needed it may be perfectly valid, so it must be retried, never dead-lettered.
 */
public final class RegistryUnavailableException extends RetriableException {
    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
