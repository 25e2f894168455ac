package io.frameguard.runtime;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.frameguard.FrameGuardException;
import io.frameguard.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The HTTP endpoint of a running detector: {@code /health/live} and {@code /health/ready} (200 or
 * 503, see {@link DetectorHealth}), {@code /health} (an alias of {@code /health/ready}),
 * {@code /metrics} (Prometheus) and {@code /thresholds} (JSON).
 */
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
        server.createContext("/health/live", ex -> health(ex, detector, detector.isLive()));
        server.createContext("/health/ready", ex -> health(ex, detector, detector.isReady()));
        server.createContext("/health", ex -> health(ex, detector, detector.isReady()));
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
                send(ex, 503, "application/json", Json.MAPPER.writeValueAsBytes(Map.of("error", String.valueOf(e.getMessage()))));
            }
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void health(HttpExchange ex, Detector detector, boolean up) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("state", detector.state().toString());
        body.put("live", detector.isLive());
        body.put("ready", detector.isReady());
        body.put("model", detector.modelId());
        body.put("stream_thread_failures", detector.recentThreadFailures());
        byte[] json = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(body);
        send(ex, up ? 200 : 503, "application/json", json);
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
