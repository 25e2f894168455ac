package io.frameguard.cli;

import io.frameguard.FrameGuardException;
import java.io.PrintWriter;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code frameguard} command: wiring and exit codes only. */
@Command(name = "frameguard", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Streaming image anomaly detection on Apache Kafka with Deeplearning4j autoencoders.",
        subcommands = {
                DataCommand.class,
                TrainCommand.class,
                EvaluateCommand.class,
                ScoreCommand.class,
                ExperimentCommand.class,
                ServeCommand.class,
                AlertsCommand.class,
                ReplayCommand.class,
                ConfigCommand.class})
public final class FrameGuard {
    /** Exit code of a failure the user can act on (bad input, missing file, bad setting). */
    public static final int EXIT_FAILURE = 1;
    private static final String NATIVE_BUILD_PROPERTY = "org.bytedeco.javacpp.platform.extension";

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of failures.")
    boolean verbose;

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        SerialFilter.install();
        // Only the oneDNN native builds ship (pom.xml); bin/frameguard picks -onednn-avx2 where the CPU
        // has AVX2. Started some other way, take the build that runs on any x86-64 CPU.
        if (System.getProperty(NATIVE_BUILD_PROPERTY) == null) {
            System.setProperty(NATIVE_BUILD_PROPERTY, "-onednn");
        }
        System.exit(commandLine().execute(args));
    }

    /**
     * The configured command line: the product's commands, then those of every {@link CommandPlugin}
     * on the class path (the harness's), then {@code help}. Tests run commands through it with their
     * own writers.
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new FrameGuard());
        for (CommandPlugin plugin : ServiceLoader.load(CommandPlugin.class, FrameGuard.class.getClassLoader())) {
            plugin.commands().forEach(cl::addSubcommand);
        }
        cl.addSubcommand(new CommandLine.HelpCommand());
        cl.setExecutionExceptionHandler(FrameGuard::handle);
        return cl;
    }

    /** One line per failure; the stack trace only with --verbose. */
    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        boolean verbose = parsed.hasMatchedOption("--verbose")
                || (parsed.subcommand() != null && anyVerbose(parsed));
        String msg = e instanceof FrameGuardException ? e.getMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        err.println("frameguard: " + msg);
        if (verbose) {
            e.printStackTrace(err);
        } else if (!(e instanceof FrameGuardException)) {
            err.println("frameguard: (run with --verbose for the stack trace)");
        }
        err.flush();
        return EXIT_FAILURE;
    }

    private static boolean anyVerbose(CommandLine.ParseResult p) {
        for (CommandLine.ParseResult r = p; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
