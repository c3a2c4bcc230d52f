package dev.quant4j.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the real models and data sets that integration tests use.
 *
 * <p>The folder comes from the system property {@code quant4j.testdata}, else the environment
 * variable {@code QUANT4J_TESTDATA}, else {@code ../shared/testdata} relative to the working
 * directory and its parents. A missing file skips the test on a developer's machine but fails it
 * under CI ({@code CI=true}), so that CI can never pass by skipping the real-data tests.
 */
public final class TestData {
    private TestData() {}

    /** The test data folder, or null when none is found. */
    public static Path root() {
        String p = System.getProperty("quant4j.testdata");
        if (p == null || p.isBlank()) p = System.getenv("QUANT4J_TESTDATA");
        if (p != null && !p.isBlank()) return Path.of(p).toAbsolutePath().normalize();
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path c = d.resolve("../shared/testdata").normalize();
            if (Files.isDirectory(c)) return c;
        }
        return null;
    }

    public static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * The file or folder at {@code relative} inside the test data; if it is missing, fails under CI
     * and skips (with the reason) elsewhere.
     */
    public static Path require(String relative) {
        Path root = root();
        Path f = root == null ? null : root.resolve(relative);
        if (f != null && Files.exists(f)) return f;
        String why = "test data not found: " + (f == null ? relative + " (no test data folder; set -Dquant4j.testdata or QUANT4J_TESTDATA)" : f);
        if (isCi()) throw new AssertionError(why + " — CI must have ../shared/testdata");
        Assumptions.abort(why);
        return null; // unreachable
    }
}
