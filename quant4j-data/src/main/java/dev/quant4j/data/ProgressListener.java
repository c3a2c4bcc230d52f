package dev.quant4j.data;

import java.io.PrintStream;

/** Told how far a pass over a data set has come; called from the thread that reads the samples. */
@FunctionalInterface
public interface ProgressListener {
    void progress(long done, long total);

    ProgressListener NONE = (done, total) -> {};

    /**
     * Prints a line each time another {@code percentStep} percent is done, and at the end, so that a
     * long calibration run shows it is alive without flooding the log.
     */
    static ProgressListener printing(PrintStream out, String what, int percentStep) {
        if (percentStep < 1 || percentStep > 100) throw new IllegalArgumentException("percentStep " + percentStep);
        return new ProgressListener() {
            private long lastBucket = -1;
            private boolean endPrinted;

            @Override
            public void progress(long done, long total) {
                long bucket = total == 0 ? 0 : done * 100 / total / percentStep;
                boolean end = done == total;
                if (bucket == lastBucket && !(end && !endPrinted)) return;
                lastBucket = bucket;
                endPrinted |= end;
                out.printf("%s: %d / %d samples%n", what, done, total);
            }
        };
    }
}
