package dev.quant4j.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One operator application. Inputs and outputs are value names; an empty name marks an omitted
 * optional input or output, as in ONNX. The domain is "" for the default ONNX domain.
 * Nodes are mutable so that passes can rewire them in place.
 */
public final class Node {
    private String name;
    private String opType;
    private String domain;
    private final List<String> inputs;
    private final List<String> outputs;
    private final Attributes attributes;
    private String docString;

    public Node(String name, String opType, String domain, List<String> inputs, List<String> outputs, Attributes attributes) {
        this.name = name == null ? "" : name;
        this.opType = Objects.requireNonNull(opType, "opType");
        this.domain = domain == null ? "" : domain;
        this.inputs = new ArrayList<>(inputs);
        this.outputs = new ArrayList<>(outputs);
        this.attributes = attributes == null ? new Attributes() : attributes;
    }

    /** A default-domain node. */
    public static Node of(String opType, String name, List<String> inputs, List<String> outputs) {
        return new Node(name, opType, "", inputs, outputs, new Attributes());
    }

    public String name() { return name; }

    public void setName(String name) { this.name = name == null ? "" : name; }

    public String opType() { return opType; }

    public void setOpType(String opType) { this.opType = Objects.requireNonNull(opType); }

    public String domain() { return domain; }

    public void setDomain(String domain) { this.domain = domain == null ? "" : domain; }

    /** True for the default ONNX domain ("" or "ai.onnx"). */
    public boolean isOnnxDomain() { return domain.isEmpty() || domain.equals("ai.onnx"); }

    public List<String> inputs() { return Collections.unmodifiableList(inputs); }

    public List<String> outputs() { return Collections.unmodifiableList(outputs); }

    /** Input {@code i}, or "" when the node has fewer inputs (an omitted optional input). */
    public String input(int i) { return i < inputs.size() ? inputs.get(i) : ""; }

    public String output(int i) { return i < outputs.size() ? outputs.get(i) : ""; }

    public boolean hasInput(int i) { return !input(i).isEmpty(); }

    public void setInput(int i, String value) {
        while (inputs.size() <= i) inputs.add("");
        inputs.set(i, value);
    }

    public void setOutput(int i, String value) {
        while (outputs.size() <= i) outputs.add("");
        outputs.set(i, value);
    }

    public void addInput(String value) { inputs.add(value); }

    public void addOutput(String value) { outputs.add(value); }

    /** Replaces every use of {@code from} among this node's inputs; returns how many were replaced. */
    public int replaceInput(String from, String to) {
        int n = 0;
        for (int i = 0; i < inputs.size(); i++) if (inputs.get(i).equals(from)) { inputs.set(i, to); n++; }
        return n;
    }

    public Attributes attributes() { return attributes; }

    public String docString() { return docString; }

    public void setDocString(String doc) { this.docString = doc; }

    /** The subgraphs held in this node's attributes (If branches, Loop and Scan bodies). */
    public List<Graph> subgraphs() {
        List<Graph> out = new ArrayList<>();
        for (Attribute a : attributes.asMap().values()) {
            if (a instanceof Attribute.GraphValue g) out.add(g.value());
            else if (a instanceof Attribute.Graphs gs) out.addAll(gs.values());
        }
        return out;
    }

    /** A copy with its own input, output and attribute lists; subgraphs are copied too. */
    public Node copy() {
        Attributes a = new Attributes();
        attributes.asMap().forEach((k, v) -> a.put(k, switch (v) {
            case Attribute.GraphValue g -> new Attribute.GraphValue(g.value().copy());
            case Attribute.Graphs gs -> new Attribute.Graphs(gs.values().stream().map(Graph::copy).toList());
            default -> v;
        }));
        Node n = new Node(name, opType, domain, inputs, outputs, a);
        n.docString = docString;
        return n;
    }

    /** A readable label for error messages: name when it has one, else op type and first output. */
    public String label() {
        return (name.isEmpty() ? "" : "'" + name + "' ") + "(" + (domain.isEmpty() ? "" : domain + ".") + opType
                + (outputs.isEmpty() ? "" : " -> " + outputs.getFirst()) + ")";
    }

    @Override
    public String toString() { return label() + " " + inputs + " -> " + outputs; }
}
