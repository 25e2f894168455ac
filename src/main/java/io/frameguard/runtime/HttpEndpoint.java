package io.frameguard.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.frameguard.FrameGuardException;
import io.frameguard.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/** {@code /health}, {@code /metrics} (Prometheus) and {@code /thresholds} (JSON) of a running detector. */
public final class HttpEndpoint implements AutoCloseable {
    private final HttpServer server;

    public HttpEndpoint(String host, int port, Detector detector, PrometheusDetectorMetrics metrics) {
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new FrameGuardException("cannot listen on http " + host + ":" + port + " (http.host/http.port): " + e.getMessage(), e);
        }
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "frameguard-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/health", ex -> {
            boolean up = detector.isHealthy();
            send(ex, up ? 200 : 503, "application/json",
                    ("{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"state\":\"" + detector.state() + "\"}\n")
                            .getBytes(StandardCharsets.UTF_8));
        });
        server.createContext("/metrics", ex -> {
            ex.getResponseHeaders().set("Content-Type", metrics.contentType());
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                metrics.writeTo(out);
            }
        });
        server.createContext("/thresholds", ex -> {
            try {
                send(ex, 200, "application/json", Json.MAPPER.writeValueAsBytes(detector.thresholds()));
            } catch (RuntimeException e) {
                // e.g. the store is not queryable while the application rebalances or restores
                send(ex, 503, "application/json", Json.MAPPER.writeValueAsBytes(java.util.Map.of("error", String.valueOf(e.getMessage()))));
            }
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void send(HttpExchange ex, int code, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(code, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
