package io.frameguard.config;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Validators of {@link FrameGuardConfig}'s keys that Kafka's {@link ConfigDef} does not offer. */
final class Validators {
    private Validators() {
    }

    /** Accepts {@code ""} or {@code WIDTHxHEIGHT}. */
    static final class ShapeOrEmpty implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String v = value == null ? "" : value.toString().trim();
            if (!v.isEmpty() && !v.matches("[1-9][0-9]*x[1-9][0-9]*")) {
                throw new ConfigException(name, value, "expected WIDTHxHEIGHT, e.g. 28x28, or nothing");
            }
        }

        @Override
        public String toString() {
            return "WIDTHxHEIGHT or empty";
        }
    }

    /** Rejects empty and blank strings. */
    static final class NonBlank implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || value.toString().isBlank()) {
                throw new ConfigException(name, value, "must not be empty");
            }
        }

        @Override
        public String toString() {
            return "non-empty string";
        }
    }

    /** Accepts {@code ""} or an http(s) URL. */
    static final class HttpUrlOrEmpty implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            String v = value == null ? "" : value.toString().trim();
            if (!v.isEmpty() && !v.matches("https?://[^\\s/]+(/\\S*)?")) {
                throw new ConfigException(name, value, "expected an http:// or https:// URL, or nothing");
            }
        }

        @Override
        public String toString() {
            return "http(s) URL or empty";
        }
    }

    /** Accepts no value (the key's default depends on other keys) or a number of at least {@code min}. */
    static final class AtLeastOrUnset implements ConfigDef.Validator {
        private final long min;

        AtLeastOrUnset(long min) {
            this.min = min;
        }

        @Override
        public void ensureValid(String name, Object value) {
            if (value != null && ((Number) value).longValue() < min) {
                throw new ConfigException(name, value, "must be at least " + min + ", or unset");
            }
        }

        @Override
        public String toString() {
            return "[" + min + ",...] or unset";
        }
    }
}
