package dev.quant4j.graph;

/**
 * One dimension of a shape: a known size, a named symbol ({@code "batch"}), or unknown.
 * Known sizes are &gt;= 0; {@code value} is -1 for symbolic and unknown dimensions.
 */
public record Dim(long value, String symbol) {
    public static final Dim UNKNOWN = new Dim(-1, null);

    public Dim {
        if (value < -1) throw new IllegalArgumentException("dimension " + value);
        if (value >= 0 && symbol != null) throw new IllegalArgumentException("a dimension is either known or symbolic");
    }

    public static Dim of(long value) {
        if (value < 0) throw new IllegalArgumentException("negative dimension " + value);
        return new Dim(value, null);
    }

    public static Dim symbol(String name) { return new Dim(-1, name); }

    public boolean isKnown() { return value >= 0; }

    public boolean isSymbolic() { return symbol != null; }

    @Override
    public String toString() { return isKnown() ? Long.toString(value) : symbol != null ? symbol : "?"; }
}
