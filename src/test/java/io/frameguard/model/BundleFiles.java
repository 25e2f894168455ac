package io.frameguard.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Reads and rewrites bundle zips entry by entry, to make the bad bundles a loader must refuse. */
final class BundleFiles {
    private BundleFiles() {
    }

    static Map<String, byte[]> entries(byte[] zip) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                m.put(e.getName(), in.readAllBytes());
            }
        }
        return m;
    }

    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (var e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /** {@code from} with the network entry's inner entries changed by {@code edit} (a null value removes one). */
    static Path withNetworkEntries(Path from, Path to, Map<String, byte[]> edit) throws IOException {
        Map<String, byte[]> outer = entries(Files.readAllBytes(from));
        Map<String, byte[]> inner = entries(outer.get(ModelBundle.NETWORK_ENTRY));
        edit.forEach((k, v) -> {
            if (v == null) {
                inner.remove(k);
            } else {
                inner.put(k, v);
            }
        });
        outer.put(ModelBundle.NETWORK_ENTRY, zip(inner));
        Files.write(to, zip(outer));
        return to;
    }

    /** A zip with one entry of {@code size} zero bytes (a few hundred KB compressed), streamed. */
    static Path withHugeEntry(Path to, String name, long size) throws IOException {
        try (OutputStream file = Files.newOutputStream(to); ZipOutputStream z = new ZipOutputStream(file)) {
            z.putNextEntry(new ZipEntry(name));
            byte[] block = new byte[1 << 20];
            for (long n = 0; n < size; n += block.length) {
                z.write(block, 0, (int) Math.min(block.length, size - n));
            }
            z.closeEntry();
        }
        return to;
    }
}
