package dev.quant4j.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of long work on stderr, so stdout stays clean for the result (and for --json). On a
 * terminal it is one bar redrawn in place; otherwise (logs, pipes, tests) a line per quarter, so a
 * log shows the work is alive without filling up.
 */
final class Progress implements AutoCloseable {
    private static final int WIDTH = 30;

    private final PrintStream err;
    private final String what;
    private final long total;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private long lastDrawn = -1;
    private int lastQuarter = -1;
    private boolean ended;

    private Progress(PrintStream err, String what, long total, boolean terminal) {
        this.err = err;
        this.what = what;
        this.total = Math.max(1, total);
        this.terminal = terminal;
    }

    static Progress start(String what, long total) {
        return new Progress(System.err, what, total, System.console() != null && System.console().isTerminal());
    }

    /** A one-line note on stderr, prefixed like the errors. */
    static void note(String format, Object... args) {
        System.err.printf(Locale.ROOT, "quant4j: " + format + "%n", args);
    }

    void update(long done) {
        done = Math.min(done, total);
        if (terminal) {
            long now = System.nanoTime();
            if (done < total && lastDrawn >= 0 && now - lastDrawn < 100_000_000L) return; // 10 redraws a second at most
            lastDrawn = now;
            int filled = (int) (WIDTH * done / total);
            err.printf(Locale.ROOT, "\r%s [%s%s] %3d%% %d/%d %.1fs", what, "#".repeat(filled), " ".repeat(WIDTH - filled), 100 * done / total, done, total,
                    (now - started) / 1e9);
            if (done == total) {
                err.println();
                ended = true;
            }
            err.flush();
        } else {
            int quarter = (int) (4 * done / total);
            if (quarter == lastQuarter) return;
            lastQuarter = quarter;
            err.printf(Locale.ROOT, "quant4j: %s %d/%d%n", what, done, total);
        }
    }

    @Override
    public void close() {
        if (terminal && lastDrawn >= 0 && !ended) {
            // a bar left unfinished by an exception still ends its line
            err.println();
        }
    }
}
