package io.frameguard.cli;

import java.io.ObjectInputFilter;

/**
 * FrameGuard reads nothing by Java deserialization: bundles are read as data (JSON and ND4J
 * arrays), records as Avro. The process-wide filter installed at start-up rejects every class, so
 * a library that would call {@code ObjectInputStream.readObject} on untrusted bytes (DL4J's
 * {@code ModelSerializer} on a bundle's {@code preprocessor.bin}, with commons-collections on the
 * class path) fails instead of running a gadget chain.
 */
final class SerialFilter {
    static final ObjectInputFilter REJECT_ALL = info -> ObjectInputFilter.Status.REJECTED;

    private SerialFilter() {
    }

    /** Installs {@link #REJECT_ALL} for the JVM unless a filter is set already (e.g. by -Djdk.serialFilter). */
    static void install() {
        if (ObjectInputFilter.Config.getSerialFilter() == null) {
            ObjectInputFilter.Config.setSerialFilter(REJECT_ALL);
        }
    }
}
