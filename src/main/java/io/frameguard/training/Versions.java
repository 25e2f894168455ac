package io.frameguard.training;

import java.util.LinkedHashMap;
import java.util.Map;

/** Versions recorded in every bundle. */
public final class Versions {
    private Versions() {
    }

    public static Map<String, String> current() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("frameguard", orUnknown(Versions.class.getPackage().getImplementationVersion()));
        v.put("deeplearning4j", orUnknown(org.deeplearning4j.nn.multilayer.MultiLayerNetwork.class.getPackage()
                .getImplementationVersion(), "1.0.0-M2.1"));
        v.put("java", System.getProperty("java.version"));
        return v;
    }

    private static String orUnknown(String s) {
        return orUnknown(s, "dev");
    }

    private static String orUnknown(String s, String fallback) {
        return s == null ? fallback : s;
    }
}
