package dev.quant4j.tune;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Per-layer sensitivity of one model to one precision on one task: which layers cost the metric
 * (ranked by drop when quantized alone, or by what keeping them float recovers) and which bring the
 * size (bytes saved).
 *
 * @param evalSamples       held-out samples the metrics were measured on
 * @param allQuantized      the metric with every listed layer quantized, with its interval and paired comparison
 * @param fp32Bytes         serialized size of the float model
 * @param allQuantizedBytes serialized size with every listed layer quantized (includes the names and
 *                          parameters of inserted nodes, which {@code *WeightBytes} leave out)
 * @param fp32WeightBytes   bytes of the tensors the float model's nodes read ({@link Models#weightBytes})
 * @param allQuantizedWeightBytes the same with every listed layer quantized; the rows' bytesSaved add up to the difference
 */
public record SensitivityTable(String model, String task, String engine, Metric metric, int evalSamples, double referenceMetric,
                               TaskResult allQuantized, long fp32Bytes, long allQuantizedBytes, long fp32WeightBytes,
                               long allQuantizedWeightBytes, List<LayerSensitivity> rows) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public SensitivityTable {
        rows = List.copyOf(rows);
    }

    /** Drop with every listed layer quantized. */
    public double allDrop() { return allQuantized.drop(); }

    /** Rows by metric drop when quantized alone, worst first (ties: larger output-SQNR loss first). */
    public List<LayerSensitivity> rankedByDrop() {
        List<LayerSensitivity> r = new ArrayList<>(rows);
        r.sort(Comparator.comparingDouble(LayerSensitivity::dropOnly).reversed()
                .thenComparingDouble(LayerSensitivity::outputSqnrDb));
        return r;
    }

    /** Rows by what keeping them float recovers, most first (rows without the measurement last). */
    public List<LayerSensitivity> rankedByRecovery() {
        List<LayerSensitivity> r = new ArrayList<>(rows);
        r.sort(Comparator.comparingDouble((LayerSensitivity l) -> Double.isNaN(l.recovery()) ? Double.NEGATIVE_INFINITY : l.recovery()).reversed());
        return r;
    }

    /** Rows by bytes saved, most first. */
    public List<LayerSensitivity> rankedByBytes() {
        List<LayerSensitivity> r = new ArrayList<>(rows);
        r.sort(Comparator.comparingLong(LayerSensitivity::bytesSaved).reversed());
        return r;
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A text table of the {@code top} rows by drop, with the summary line. */
    public String format(int top) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s on %s (%s, %d held-out samples, engine %s): fp32 %.5g; all %d layers quantized %.5g (drop %.4g [%.4g, %.4g]); file %d -> %d bytes, weights %d -> %d bytes%n",
                model, task, metric.name(), evalSamples, engine, referenceMetric, rows.size(), allQuantized.candidate().value(), allDrop(),
                allQuantized.dropInterval()[0], allQuantized.dropInterval()[1], fp32Bytes, allQuantizedBytes, fp32WeightBytes, allQuantizedWeightBytes));
        sb.append(String.format(Locale.ROOT, "%-48s %-8s %-12s %9s %9s %9s %9s %9s %9s %10s%n", "node", "op", "precision",
                "dropOnly", "recovery", "wSQNR dB", "oSQNR dB", "w max/p999", "a kurt", "bytesSaved"));
        for (LayerSensitivity l : rankedByDrop().subList(0, Math.min(top, rows.size()))) {
            String name = l.node().length() > 48 ? "…" + l.node().substring(l.node().length() - 47) : l.node();
            sb.append(String.format(Locale.ROOT, "%-48s %-8s %-12s %9.4g %9.4g %9.3g %9.3g %9.3g %9.3g %10d%s%n", name, l.opType(), l.precision().id(),
                    l.dropOnly(), l.recovery(), l.weightSqnrDb(), l.outputSqnrDb(), l.weight().maxOverP999(), l.activation().kurtosis(), l.bytesSaved(),
                    l.applied() ? "" : "  (not applied: " + l.note() + ")"));
        }
        return sb.toString();
    }
}
