package io.frameguard.cli;

import io.frameguard.config.FrameGuardConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "config-reference", mixinStandardHelpOptions = true,
        description = "Print the configuration reference (Markdown) generated from the configuration definitions.")
final class ConfigCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(FrameGuardConfig.markdownReference());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
