package dev.quant4j.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * The {@code quant4j} command: the entry point of {@code bin/quant4j} and of the fat jar.
 * Exit codes: 0 ok, 1 failed check or runtime error, 2 usage error, 3 bad input file.
 */
@Command(name = "quant4j", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, versionProvider = VersionProvider.class,
        description = "Quantize neural networks and measure what it cost and bought.",
        subcommands = {InspectCommand.class, RunCommand.class, QuantizeCommand.class, CalibrateCommand.class, EvalCommand.class, BenchCommand.class, CompareCommand.class, ReportCommand.class, DemoCommand.class, LlmCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:failed check or runtime error", "2:usage error", "3:bad input file"})
public final class Quant4j {
    public static final int OK = 0, FAILED = 1, USAGE = 2, BAD_INPUT = 3;

    /** Held strongly: java.util.logging keeps loggers weakly, and a collected logger loses its level. */
    private static final Logger LIBRARY_LOG = Logger.getLogger("dev.quant4j");

    @CommandLine.Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print the stack trace of an error.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs one command line in this JVM and returns its exit code (tests call this). */
    public static int execute(String... args) {
        // The library modules log their choices (e.g. the kernel provider) at INFO; a command shows them only with --verbose.
        LIBRARY_LOG.setLevel(java.util.Arrays.asList(args).contains("--verbose") ? Level.INFO : Level.WARNING);
        PrintStream out = System.out, err = System.err;
        CommandLine cl = new CommandLine(new Quant4j()).setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cl.setExecutionExceptionHandler((e, line, parse) -> {
            boolean verbose = parse.originalArgs().contains("--verbose");
            return Failures.report(e, verbose, err);
        });
        return cl.execute(args);
    }
}
