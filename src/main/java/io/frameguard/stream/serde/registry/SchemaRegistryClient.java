package io.frameguard.stream.serde.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.frameguard.Json;
import io.frameguard.config.RegistrySettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;

/**
 * The two calls of the Confluent Schema Registry REST API that a serde needs, on the JDK's HTTP
 * client: register a schema under a subject, and fetch a schema by id. Both are cached for the
 * life of the client (an id never changes its schema), so a running detector asks the registry
 * only for ids it has not seen.
 *
 * <p>Failures are told apart because they are handled apart: {@link UnknownSchemaIdException}
 * (the registry answered and does not know the id: the record is bad) versus
 * {@link RegistryUnavailableException} (no answer, 5xx, 401/403: the record may be fine).
 */
public final class SchemaRegistryClient {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private final URI base;
    private final String authorization;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
    private final Map<String, Integer> registered = new ConcurrentHashMap<>();

    public SchemaRegistryClient(RegistrySettings settings) {
        String url = settings.url().endsWith("/") ? settings.url() : settings.url() + "/";
        this.base = URI.create(url);
        this.authorization = settings.basicAuthUserInfo() == null || settings.basicAuthUserInfo().isEmpty() ? null
                : "Basic " + Base64.getEncoder().encodeToString(settings.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8));
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (settings.truststoreLocation() != null && !settings.truststoreLocation().isEmpty()) {
            b.sslContext(sslContext(settings));
        }
        this.http = b.build();
        // a registry that accepts connections but does not answer (paused, overloaded) must not hold a
        // stream thread longer than the decode's own retry budget
        this.requestTimeout = Duration.ofMillis(Math.max(1_000, Math.min(10_000, settings.retryMaxMs())));
    }

    public String url() {
        return base.toString();
    }

    /** Registers {@code schema} under {@code subject} (idempotent on the registry's side) and returns its id. */
    public int register(String subject, Schema schema) {
        String key = subject + '\n' + schema;
        Integer cached = registered.get(key);
        if (cached != null) {
            return cached;
        }
        String body = Json.MAPPER.createObjectNode().put("schema", schema.toString()).toString();
        JsonNode answer = call(HttpRequest.newBuilder(base.resolve("subjects/" + encode(subject) + "/versions"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", CONTENT_TYPE), "register " + subject, -1);
        int id = answer.get("id").asInt();
        registered.put(key, id);
        byId.putIfAbsent(id, schema);
        return id;
    }

    /** The schema with this id. */
    public Schema schema(int id) {
        Schema cached = byId.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = call(HttpRequest.newBuilder(base.resolve("schemas/ids/" + id)).GET(), "schema id " + id, id);
        JsonNode type = answer.get("schemaType");
        if (type != null && !type.isNull() && !type.asText().equals("AVRO")) {
            throw new UnknownSchemaIdException(id, url(), "is a " + type.asText() + " schema, not Avro");
        }
        Schema schema = new Schema.Parser().setValidateDefaults(false).parse(answer.get("schema").asText());
        byId.put(id, schema);
        return schema;
    }

    private JsonNode call(HttpRequest.Builder request, String what, int id) {
        request.timeout(requestTimeout).header("Accept", CONTENT_TYPE + ", application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RegistryUnavailableException("schema registry " + url() + " unreachable (" + what + "): "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted while asking schema registry " + url() + " for " + what, e);
        }
        int status = response.statusCode();
        if (status == 404 && id >= 0) {
            throw new UnknownSchemaIdException(id, url(), "is not known to the registry");
        }
        if (status / 100 != 2) {
            String body = response.body() == null ? "" : response.body().strip();
            String message = "schema registry " + url() + " answered " + status + " to " + what
                    + (body.isEmpty() ? "" : ": " + (body.length() > 300 ? body.substring(0, 300) : body));
            if (status == 409 || status == 422 || (status / 100 == 4 && status != 401 && status != 403 && status != 408 && status != 429)) {
                throw new RegistryRejectedException(message);
            }
            throw new RegistryUnavailableException(message, null);
        }
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new RegistryUnavailableException("schema registry " + url() + " answered " + what + " with no JSON", e);
        }
    }

    private static String encode(String subject) {
        return java.net.URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static SSLContext sslContext(RegistrySettings s) {
        try (InputStream in = Files.newInputStream(Path.of(s.truststoreLocation()))) {
            KeyStore store = KeyStore.getInstance(s.truststoreType());
            store.load(in, s.truststorePassword() == null ? null : s.truststorePassword().toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot load schema.registry.ssl.truststore.location " + s.truststoreLocation()
                    + ": " + e.getMessage(), e);
        }
    }
}
