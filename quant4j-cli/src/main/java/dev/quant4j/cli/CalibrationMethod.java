package dev.quant4j.cli;

import dev.quant4j.core.calibration.HistogramObserver;
import dev.quant4j.core.calibration.MinMaxObserver;
import dev.quant4j.core.calibration.Observer;
import dev.quant4j.core.calibration.PercentileRange;
import java.util.function.Supplier;

/** The observers {@code --calibration-method} names, one per calibrated value. */
enum CalibrationMethod {
    MINMAX, PERCENTILE, ENTROPY, MSE;

    /** @param percentile used by {@link #PERCENTILE} only, in (50, 100] */
    Supplier<Observer> observer(double percentile) {
        return switch (this) {
            case MINMAX -> MinMaxObserver::perTensor;
            case PERCENTILE -> {
                new PercentileRange(percentile); // checks the range now, not at the first batch
                yield () -> HistogramObserver.percentile(percentile);
            }
            case ENTROPY -> HistogramObserver::entropy;
            case MSE -> HistogramObserver::mse;
        };
    }

    String id() { return name().toLowerCase(java.util.Locale.ROOT); }
}
