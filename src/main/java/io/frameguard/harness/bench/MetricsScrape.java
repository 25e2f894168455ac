package io.frameguard.harness.bench;

/** Values read from the lines of a {@code /metrics} scrape (Prometheus text format). */
final class MetricsScrape {
    private MetricsScrape() {
    }

    /** A single-series value, 0 when absent. */
    static double value(String[] lines, String series) {
        for (String line : lines) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    /** Bytes in use in the heap's pools (eden, survivor, old) after their last collection. */
    static double heapAfterGc(String[] lines) {
        double afterGc = 0;
        for (String line : lines) {
            if (line.startsWith("jvm_memory_pool_collection_used_bytes{") && line.matches(".*(Eden|Survivor|Old|Tenured).*")) {
                afterGc += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return afterGc;
    }
}
