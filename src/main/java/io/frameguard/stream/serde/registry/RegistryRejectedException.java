package io.frameguard.stream.serde.registry;

/** The registry refused a request for good (e.g. an incompatible schema on register): retrying cannot help. */
public final class RegistryRejectedException extends RuntimeException {
    public RegistryRejectedException(String message) {
        super(message);
    }
}
