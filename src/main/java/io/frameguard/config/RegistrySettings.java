package io.frameguard.config;

/**
 * Where the Schema Registry is and how to reach it, under the names Confluent's clients use
 * ({@code schema.registry.url}, {@code basic.auth.user.info},
 * {@code schema.registry.ssl.truststore.*}).
 *
 * @param basicAuthUserInfo {@code user:password}, or empty for no authentication
 * @param retryMaxMs how long a decode waits, retrying with back-off, for an unreachable registry
 *                   before it gives the record back to Kafka Streams to be processed again
 */
public record RegistrySettings(String url, String basicAuthUserInfo, String truststoreLocation, String truststorePassword,
                               String truststoreType, long retryMaxMs) {

    public static RegistrySettings of(String url) {
        return new RegistrySettings(url, "", "", "", "JKS", 5_000);
    }

    public static RegistrySettings from(FrameGuardConfig c) {
        return new RegistrySettings(c.getString(FrameGuardConfig.SCHEMA_REGISTRY_URL), secret(c, FrameGuardConfig.BASIC_AUTH_USER_INFO),
                c.getString(FrameGuardConfig.REGISTRY_TRUSTSTORE_LOCATION), secret(c, FrameGuardConfig.REGISTRY_TRUSTSTORE_PASSWORD),
                c.getString(FrameGuardConfig.REGISTRY_TRUSTSTORE_TYPE), c.getLong(FrameGuardConfig.REGISTRY_RETRY_MAX_MS));
    }

    private static String secret(FrameGuardConfig c, String key) {
        var p = c.getPassword(key);
        return p == null ? "" : p.value();
    }
}
