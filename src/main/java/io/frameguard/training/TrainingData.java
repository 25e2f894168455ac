package io.frameguard.training;

import io.frameguard.data.ImageSet;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Fingerprint of training data, so a bundle names exactly which images it learned from. */
final class TrainingData {
    private TrainingData() {
    }

    static String sha256(ImageSet set) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(set.pixels());
            for (String label : set.labels()) {
                md.update(label.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
