package dev.quant4j.quantize;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.quant4j.graph.Node;
import java.util.regex.Pattern;

/**
 * One line of a precision policy: nodes selected by exact name, by op type, or by a regular
 * expression over the node name (exactly one of the three), and the precision they get.
 * In JSON: {@code {"node": "fc1", "precision": "fp32"}}, {@code {"opType": "MatMul", ...}},
 * {@code {"nameRegex": ".*attention.*", ...}}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PrecisionRule(String node, String opType, String nameRegex, Precision precision) {

    public PrecisionRule {
        int given = (node != null ? 1 : 0) + (opType != null ? 1 : 0) + (nameRegex != null ? 1 : 0);
        if (given != 1) throw new IllegalArgumentException("a precision rule names exactly one of node, opType, nameRegex; got "
                + "node=" + node + ", opType=" + opType + ", nameRegex=" + nameRegex);
        if (precision == null) throw new IllegalArgumentException("precision rule without a precision: " + describe(node, opType, nameRegex));
        if (nameRegex != null) Pattern.compile(nameRegex); // a bad pattern fails when the policy is read, not later
    }

    public static PrecisionRule forNode(String name, Precision p) { return new PrecisionRule(name, null, null, p); }

    public static PrecisionRule forOpType(String op, Precision p) { return new PrecisionRule(null, op, null, p); }

    public static PrecisionRule forRegex(String regex, Precision p) { return new PrecisionRule(null, null, regex, p); }

    /** Lower ranks win: an exact name beats a pattern, a pattern beats an op type. */
    int rank() { return node != null ? 0 : nameRegex != null ? 1 : 2; }

    boolean matches(Node n) {
        if (node != null) return node.equals(n.name());
        if (nameRegex != null) return Pattern.matches(nameRegex, n.name());
        return opType.equals(n.opType());
    }

    String describe() { return describe(node, opType, nameRegex); }

    private static String describe(String node, String opType, String nameRegex) {
        return node != null ? "node '" + node + "'" : nameRegex != null ? "name matches /" + nameRegex + "/" : "op type " + opType;
    }
}
