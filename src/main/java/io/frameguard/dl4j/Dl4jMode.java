package io.frameguard.dl4j;

import io.frameguard.FrameGuardException;
import java.util.Locale;

/**
 * The one switch that sets this package's numerics aside for the dense families: with the JVM
 * system property {@code frameguard.dl4j.plain=true}, or else the environment variable
 * {@code FRAMEGUARD_DL4J_PLAIN=true}, {@code model.Scorer} scores through DL4J's
 * {@code network.output} instead of {@link DenseForward}, and {@code training.Trainer} trains
 * through DL4J's {@code net.fit} on one thread instead of {@link DataParallelFit} (and its
 * {@link DenseGradient}). {@link SubnormalGuard} stays: it is a DL4J training listener. Slower,
 * and the same results up to the order of float additions ({@code PlainDl4jAgreementTest}); for
 * telling, after a DL4J upgrade, whether a difference comes from this package or from DL4J.
 *
 * <p>Read when a scorer or a training run starts, so a test can set the property around one.
 */
public final class Dl4jMode {
    public static final String PROPERTY = "frameguard.dl4j.plain";
    public static final String ENV = "FRAMEGUARD_DL4J_PLAIN";

    private Dl4jMode() {
    }

    /** Whether plain DL4J is asked for; a value other than true or false fails, naming the setting. */
    public static boolean plain() {
        String property = System.getProperty(PROPERTY);
        return property != null ? parse("-D" + PROPERTY, property) : parse(ENV, System.getenv(ENV));
    }

    static boolean parse(String setting, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new FrameGuardException(setting + " must be true or false, got '" + value + "'");
        };
    }
}
