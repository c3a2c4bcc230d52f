package dev.quant4j.runtime;

import dev.quant4j.graph.Node;

/**
 * A node that cannot be prepared or run: unsupported operator or attribute, wrong input types or
 * shapes. The message always names the node.
 */
public class OpException extends RuntimeException {
    private final transient Node node;

    public OpException(Node node, String problem) {
        super(describe(node) + ": " + problem);
        this.node = node;
    }

    public OpException(Node node, String problem, Throwable cause) {
        super(describe(node) + ": " + problem, cause);
        this.node = node;
    }

    public Node node() { return node; }

    static String describe(Node node) {
        if (node == null) return "graph";
        String domain = node.isOnnxDomain() ? "" : node.domain() + ".";
        return "node '" + node.name() + "' (" + domain + node.opType() + ")";
    }
}
