package dev.quant4j.quantize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a pass decided for each node it looked at: the precision asked for, what was done
 * ({@link Outcome}) and why (the policy rule, or the reason a node was left alone).
 */
public final class QuantizationReport {
    /** What happened to a node. */
    public enum Outcome { QUANTIZED, KEPT }

    /** One node's decision. */
    public record Entry(String node, String opType, Precision precision, Outcome outcome, String reason) {}

    private final String mode;
    private final List<Entry> entries = new ArrayList<>();

    public QuantizationReport(String mode) { this.mode = mode; }

    public String mode() { return mode; }

    public void quantized(String node, String opType, Precision p, String reason) {
        entries.add(new Entry(node, opType, p, Outcome.QUANTIZED, reason));
    }

    public void kept(String node, String opType, Precision p, String reason) {
        entries.add(new Entry(node, opType, p, Outcome.KEPT, reason));
    }

    public List<Entry> entries() { return List.copyOf(entries); }

    public long count(Outcome o) { return entries.stream().filter(e -> e.outcome() == o).count(); }

    /**
     * Writes this report into the model's metadata (key {@code quant4j.quantization.<mode>}), so that
     * the output file carries the provenance of every decision (design note 4).
     */
    public void recordIn(dev.quant4j.graph.Model model) {
        model.metadata().put("quant4j.quantization." + mode.replace(' ', '-'), toJson());
    }

    public String toJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(java.util.Map.of("mode", mode, "entries", entries));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return mode + ": " + count(Outcome.QUANTIZED) + " nodes quantized, " + count(Outcome.KEPT) + " kept";
    }
}
