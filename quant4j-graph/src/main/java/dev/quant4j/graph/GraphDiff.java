package dev.quant4j.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Value equality of graphs and models, reported as a list of differences (empty when equal):
 * node order, names, op types, domains, inputs and outputs, attributes (tensors by content,
 * subgraphs recursively), initializers by content, graph inputs, outputs and value infos.
 * Round-trip tests and passes that must not change a graph use it.
 */
public final class GraphDiff {
    private static final int MAX = 20;
    private final List<String> diffs = new ArrayList<>();

    private GraphDiff() {}

    public static List<String> of(Graph a, Graph b) {
        GraphDiff d = new GraphDiff();
        d.graph("graph", a, b);
        return d.diffs;
    }

    public static List<String> of(Model a, Model b) {
        GraphDiff d = new GraphDiff();
        d.eq("ir_version", a.irVersion(), b.irVersion());
        d.eq("opsets", a.opsets(), b.opsets());
        d.eq("producer", a.producerName() + " " + a.producerVersion(), b.producerName() + " " + b.producerVersion());
        d.eq("domain", a.domain(), b.domain());
        d.eq("model_version", a.modelVersion(), b.modelVersion());
        d.eq("doc_string", a.docString(), b.docString());
        d.eq("metadata", a.metadata(), b.metadata());
        d.eq("function count", a.functions().size(), b.functions().size());
        for (int i = 0; i < Math.min(a.functions().size(), b.functions().size()); i++) {
            ModelFunction fa = a.functions().get(i), fb = b.functions().get(i);
            String w = "function " + fa.name();
            d.eq(w + " header", List.of(fa.name(), fa.domain(), fa.overload(), fa.inputs(), fa.outputs(), fa.attributeNames(), fa.opsets()),
                    List.of(fb.name(), fb.domain(), fb.overload(), fb.inputs(), fb.outputs(), fb.attributeNames(), fb.opsets()));
            d.attributes(w + " defaults", fa.attributeDefaults(), fb.attributeDefaults());
            d.nodes(w, fa.nodes(), fb.nodes());
        }
        d.graph("graph", a.graph(), b.graph());
        return d.diffs;
    }

    private void eq(String what, Object x, Object y) {
        if (!Objects.equals(x, y)) add(what + ": " + x + " != " + y);
    }

    private void add(String s) {
        if (diffs.size() < MAX) diffs.add(s);
    }

    private void graph(String w, Graph a, Graph b) {
        eq(w + " name", a.name(), b.name());
        eq(w + " doc", a.docString(), b.docString());
        eq(w + " inputs", a.inputs(), b.inputs());
        eq(w + " outputs", a.outputs(), b.outputs());
        eq(w + " value infos", a.valueInfos(), b.valueInfos());
        eq(w + " initializer names", List.copyOf(a.initializers().keySet()), List.copyOf(b.initializers().keySet()));
        for (Map.Entry<String, Tensor> e : a.initializers().entrySet()) {
            Tensor o = b.initializers().get(e.getKey());
            if (o != null && !e.getValue().contentEquals(o)) add(w + " initializer '" + e.getKey() + "' differs: " + e.getValue() + " vs " + o);
        }
        eq(w + " sparse initializer names", List.copyOf(a.sparseInitializers().keySet()), List.copyOf(b.sparseInitializers().keySet()));
        for (Map.Entry<String, SparseTensor> e : a.sparseInitializers().entrySet()) {
            SparseTensor o = b.sparseInitializers().get(e.getKey());
            if (o != null && !sparseEquals(e.getValue(), o)) add(w + " sparse initializer '" + e.getKey() + "' differs");
        }
        nodes(w, a.nodes(), b.nodes());
    }

    private void nodes(String w, List<Node> a, List<Node> b) {
        eq(w + " node count", a.size(), b.size());
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            Node x = a.get(i), y = b.get(i);
            String nw = w + " node " + i + " " + x.label();
            eq(nw + " header", List.of(x.name(), x.opType(), x.domain()), List.of(y.name(), y.opType(), y.domain()));
            eq(nw + " inputs", x.inputs(), y.inputs());
            eq(nw + " outputs", x.outputs(), y.outputs());
            eq(nw + " doc", x.docString(), y.docString());
            attributes(nw, x.attributes(), y.attributes());
        }
    }

    private void attributes(String w, Attributes a, Attributes b) {
        eq(w + " attribute names", List.copyOf(a.names()), List.copyOf(b.names()));
        for (String n : a.names()) {
            Attribute y = b.get(n);
            if (y != null) attribute(w + " attribute '" + n + "'", a.get(n), y);
        }
    }

    private void attribute(String w, Attribute x, Attribute y) {
        if (x.getClass() != y.getClass()) { add(w + ": " + x.getClass().getSimpleName() + " != " + y.getClass().getSimpleName()); return; }
        switch (x) {
            case Attribute.Floats f -> { if (!Arrays.equals(f.values(), ((Attribute.Floats) y).values())) add(w + " differs"); }
            case Attribute.Ints i -> { if (!Arrays.equals(i.values(), ((Attribute.Ints) y).values())) add(w + " differs"); }
            case Attribute.FloatValue f -> { if (Float.compare(f.value(), ((Attribute.FloatValue) y).value()) != 0) add(w + " differs"); }
            case Attribute.TensorValue t -> { if (!t.value().contentEquals(((Attribute.TensorValue) y).value())) add(w + " tensor differs"); }
            case Attribute.GraphValue g -> graph(w, g.value(), ((Attribute.GraphValue) y).value());
            case Attribute.Tensors ts -> {
                List<Tensor> o = ((Attribute.Tensors) y).values();
                eq(w + " count", ts.values().size(), o.size());
                for (int i = 0; i < Math.min(o.size(), ts.values().size()); i++) if (!ts.values().get(i).contentEquals(o.get(i))) add(w + " tensor " + i + " differs");
            }
            case Attribute.Graphs gs -> {
                List<Graph> o = ((Attribute.Graphs) y).values();
                eq(w + " count", gs.values().size(), o.size());
                for (int i = 0; i < Math.min(o.size(), gs.values().size()); i++) graph(w + " graph " + i, gs.values().get(i), o.get(i));
            }
            case Attribute.SparseTensorValue s -> { if (!sparseEquals(s.value(), ((Attribute.SparseTensorValue) y).value())) add(w + " differs"); }
            case Attribute.SparseTensors ss -> {
                List<SparseTensor> o = ((Attribute.SparseTensors) y).values();
                eq(w + " count", ss.values().size(), o.size());
                for (int i = 0; i < Math.min(o.size(), ss.values().size()); i++) if (!sparseEquals(ss.values().get(i), o.get(i))) add(w + " " + i + " differs");
            }
            default -> eq(w, x, y); // records of plain values
        }
    }

    private static boolean sparseEquals(SparseTensor a, SparseTensor b) {
        return a.values().contentEquals(b.values()) && a.indices().contentEquals(b.indices()) && Arrays.equals(a.denseShape(), b.denseShape());
    }
}
