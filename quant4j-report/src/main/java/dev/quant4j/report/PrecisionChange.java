package dev.quant4j.report;

/** One node's precision change in a search step, e.g. conv1 int8 -> fp32. */
public record PrecisionChange(String node, String from, String to) {
    public PrecisionChange {
        Check.text(node, "node");
        Check.text(from, "from");
        Check.text(to, "to");
    }

    @Override
    public String toString() {
        return node + ": " + from + " -> " + to;
    }
}
