package io.frameguard.cli;

import io.frameguard.training.Versions;
import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        var v = Versions.current();
        return new String[] {"frameguard " + v.get("frameguard") + " (deeplearning4j " + v.get("deeplearning4j")
                + ", java " + v.get("java") + ")"};
    }
}
