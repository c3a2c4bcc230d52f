package dev.quant4j.llm.quantize;

import dev.quant4j.llm.quant.GgmlType;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** {@code REGEX=TYPE}: tensors whose whole name matches REGEX are stored as TYPE. */
public record TypeRule(Pattern pattern, GgmlType type) {

    /** Parses {@code "blk\\.[0-3]\\..*=Q8_0"}; the last '=' separates the type. */
    public static TypeRule parse(String spec) {
        int eq = spec.lastIndexOf('=');
        if (eq <= 0 || eq == spec.length() - 1)
            throw new IllegalArgumentException("tensor type rule '" + spec + "' is not of the form REGEX=TYPE");
        GgmlType t = GgmlType.byName(spec.substring(eq + 1).trim());
        if (!t.isSupported()) throw new IllegalArgumentException("tensor type rule '" + spec + "': quant4j cannot write " + t);
        try {
            return new TypeRule(Pattern.compile(spec.substring(0, eq)), t);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("tensor type rule '" + spec + "': bad regular expression: " + e.getDescription());
        }
    }

    public boolean matches(String tensor) { return pattern.matcher(tensor).matches(); }

    @Override public String toString() { return pattern.pattern() + "=" + type; }
}
