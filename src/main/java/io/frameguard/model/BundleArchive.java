package io.frameguard.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frameguard.AtomicFiles;
import io.frameguard.FrameGuardException;
import io.frameguard.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The zip files of bundles, read without Java deserialization. A bundle is a zip of a JSON metadata
 * entry and a network entry, itself a zip in DL4J's layout: {@value #CONFIGURATION} (the network's
 * JSON configuration) and {@value #COEFFICIENTS} (its parameters, an ND4J binary array). DL4J's own
 * {@code ModelSerializer} would also run {@code ObjectInputStream.readObject} on entries such as
 * {@code preprocessor.bin}, with gadget libraries on the class path; here the two entries are read
 * as data and the network is built from them, and an entry holding a serialized Java object
 * (starting with {@code 0xACED}) is refused unread.
 *
 * <p>Limits: at most {@value #MAX_ENTRIES} entries per zip, each at most {@value #MAX_ENTRY_MB} MB
 * decompressed (a 16-map inspection network is 0.2 MB, the dense digit network 2 MB): a larger
 * entry is refused after reading one byte past the limit, so a zip bomb costs at most that much.
 * The metadata carries {@value #PARAMS_SHA256}, the SHA-256 of the parameters entry, written at save
 * and checked at load; bundles written before it had one load without the check.
 */
public final class BundleArchive {
    public static final String CONFIGURATION = "configuration.json";
    public static final String COEFFICIENTS = "coefficients.bin";
    public static final String PARAMS_SHA256 = "params_sha256";
    public static final int MAX_ENTRY_MB = 64;
    public static final int MAX_ENTRIES = 64;
    private static final long MAX_ENTRY_BYTES = (long) MAX_ENTRY_MB << 20;

    /** A network as stored: its configuration JSON and its parameters. */
    public record Network(String configuration, INDArray params) {
    }

    private final Path file;
    private final Function<String, FrameGuardException> bad;

    /** {@code bad} makes the one-line error for a reason (e.g. "x is not a FrameGuard model bundle: " + why). */
    public BundleArchive(Path file, Function<String, FrameGuardException> bad) {
        this.file = file;
        this.bad = bad;
    }

    /** The entries of the bundle named in {@code wanted} that it holds; fails if it lacks one of {@code required}. */
    public Map<String, byte[]> read(Set<String> wanted, Set<String> required) throws NoSuchFileException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            throw bad.apply(e.getMessage());
        }
        if (head.length < 4 || head[0] != 'P' || head[1] != 'K' || head[2] != 3 || head[3] != 4) {
            throw bad.apply("it is not a zip archive");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return entries(in, "", wanted, required);
        } catch (IOException e) {
            throw bad.apply("it is not a readable zip archive: " + e.getMessage());
        }
    }

    /** The network in the entry {@code name} ({@code bytes}), checked against {@code sha256} when not null. */
    public Network network(String name, byte[] bytes, String sha256) {
        Map<String, byte[]> inner;
        try {
            inner = entries(new ByteArrayInputStream(bytes), name + "/", Set.of(CONFIGURATION, COEFFICIENTS),
                    Set.of(CONFIGURATION, COEFFICIENTS));
        } catch (IOException e) {
            throw bad.apply("its " + name + " is not a readable zip archive: " + e.getMessage());
        }
        byte[] coefficients = inner.get(COEFFICIENTS);
        if (sha256 != null && !sha256.equals(sha256(coefficients))) {
            throw bad.apply("the SHA-256 of its parameters is " + sha256(coefficients) + ", its metadata says " + sha256
                    + " (the file was altered or damaged)");
        }
        INDArray params;
        try {
            params = Nd4j.read(new DataInputStream(new ByteArrayInputStream(coefficients)));
        } catch (RuntimeException e) {
            throw bad.apply("its parameters (" + name + "/" + COEFFICIENTS + ") are unreadable: " + firstLine(e));
        }
        return new Network(new String(inner.get(CONFIGURATION), java.nio.charset.StandardCharsets.UTF_8), params);
    }

    /** Reads a metadata entry; returns its tree (the caller converts it) after checking it is JSON. */
    public JsonNode metadata(String name, byte[] bytes) {
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw bad.apply("its metadata is unreadable: " + firstLine(e));
        }
    }

    /** The bad-bundle error for {@code why}, for checks made by the caller (e.g. the network does not fit its configuration). */
    public FrameGuardException bad(String why) {
        return bad.apply(why);
    }

    private Map<String, byte[]> entries(InputStream in, String prefix, Set<String> wanted, Set<String> required)
            throws IOException {
        Map<String, byte[]> found = new LinkedHashMap<>();
        int count = 0;
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (++count > MAX_ENTRIES) {
                    throw bad.apply("it has more than " + MAX_ENTRIES + " entries" + (prefix.isEmpty() ? "" : " in " + prefix));
                }
                byte[] b = zip.readNBytes((int) MAX_ENTRY_BYTES + 1);
                if (b.length > MAX_ENTRY_BYTES) {
                    throw bad.apply("its entry " + prefix + e.getName() + " is larger than " + MAX_ENTRY_MB + " MB");
                }
                if (b.length >= 2 && (b[0] & 0xff) == 0xAC && (b[1] & 0xff) == 0xED) {
                    throw bad.apply("its entry " + prefix + e.getName() + " is a serialized Java object, which FrameGuard"
                            + " never deserializes (save the model again with this FrameGuard)");
                }
                if (wanted.contains(e.getName())) {
                    found.put(e.getName(), b);
                }
            }
        }
        for (String r : required) {
            if (!found.containsKey(r)) {
                throw bad.apply("it lacks " + prefix + r);
            }
        }
        return found;
    }

    /**
     * Writes a bundle atomically: {@code metadataEntry} (the metadata as JSON with the parameters'
     * SHA-256), {@code networkEntry} (the network's configuration and parameters in DL4J's layout),
     * then {@code extra} entries in their order.
     */
    public static void write(Path file, String metadataEntry, Object metadata, String networkEntry, String configuration,
                             INDArray params, Map<String, byte[]> extra) {
        try {
            AtomicFiles.write(file, out -> {
                ZipOutputStream zip = new ZipOutputStream(out);
                byte[] coefficients = coefficients(params);
                zip.putNextEntry(new ZipEntry(metadataEntry));
                zip.write(metadataEntry(metadata, coefficients));
                zip.closeEntry();
                zip.putNextEntry(new ZipEntry(networkEntry));
                zip.write(networkEntry(configuration, coefficients));
                zip.closeEntry();
                for (Map.Entry<String, byte[]> e : extra.entrySet()) {
                    zip.putNextEntry(new ZipEntry(e.getKey()));
                    zip.write(e.getValue());
                    zip.closeEntry();
                }
                zip.finish();
            });
        } catch (IOException e) {
            throw new FrameGuardException("cannot write bundle " + file + ": " + e.getMessage(), e);
        }
    }

    /** The network entry for {@code configuration} and the parameters' bytes ({@link #coefficients}). */
    public static byte[] networkEntry(String configuration, byte[] coefficients) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(CONFIGURATION));
            zip.write(configuration.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(COEFFICIENTS));
            zip.write(coefficients);
            zip.closeEntry();
        }
        return out.toByteArray();
    }

    /** The parameters as DL4J stores them (ND4J's binary format). */
    public static byte[] coefficients(INDArray params) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(out)) {
            Nd4j.write(params, data);
        }
        return out.toByteArray();
    }

    /** {@code metadata} as JSON, with {@value #PARAMS_SHA256} of {@code coefficients} added. */
    public static byte[] metadataEntry(Object metadata, byte[] coefficients) throws IOException {
        ObjectNode tree = Json.MAPPER.valueToTree(metadata);
        tree.put(PARAMS_SHA256, sha256(coefficients));
        return Json.MAPPER.writeValueAsBytes(tree);
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String firstLine(Exception e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
    }
}
