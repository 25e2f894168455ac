package io.frameguard.stream.serde;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.frameguard.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/**
 * The two Schema Registry calls a serde makes, in memory, for *Test tiers that must not start
 * processes: POST /subjects/{s}/versions and GET /schemas/ids/{id}. It can be told to answer 503
 * for a number of calls, to stand for an outage. The real registry (Apicurio) is used by the *IT tier.
 */
final class RegistryStub implements AutoCloseable {
    private final HttpServer server;
    final List<String> schemas = new ArrayList<>();
    final AtomicInteger unavailableFor = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();

    RegistryStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    synchronized int add(Schema schema) {
        int i = schemas.indexOf(schema.toString());
        if (i < 0) {
            schemas.add(schema.toString());
            i = schemas.size() - 1;
        }
        return i + 1;
    }

    private void handle(HttpExchange x) throws IOException {
        calls.incrementAndGet();
        String path = x.getRequestURI().getPath();
        if (unavailableFor.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            answer(x, 503, "{\"error_code\":50301,\"message\":\"down\"}");
        } else if (x.getRequestMethod().equals("POST") && path.matches("/subjects/[^/]+/versions")) {
            String schema = Json.MAPPER.readTree(x.getRequestBody()).get("schema").asText();
            answer(x, 200, "{\"id\":" + add(new Schema.Parser().parse(schema)) + "}");
        } else if (path.matches("/schemas/ids/\\d+")) {
            int id = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
            synchronized (this) {
                if (id < 1 || id > schemas.size()) {
                    answer(x, 404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
                } else {
                    answer(x, 200, Json.MAPPER.createObjectNode().put("schema", schemas.get(id - 1)).toString());
                }
            }
        } else {
            answer(x, 404, "{}");
        }
    }

    private static void answer(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
        x.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
