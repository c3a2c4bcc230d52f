package dev.quant4j.train;

import dev.quant4j.core.DataType;
import dev.quant4j.graph.Attributes;
import dev.quant4j.graph.Dim;
import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Model;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Shape;
import dev.quant4j.graph.Tensor;
import dev.quant4j.graph.ValueInfo;
import java.util.List;

/**
 * Builds small networks as quant4j graphs, node by node. Parameters are initializers; with
 * {@code trainable} they are also graph inputs, which is how {@link Trainer} feeds them.
 */
public final class NetBuilder {
    public static final long OPSET = 21;
    private final Graph graph;
    private final boolean trainable;
    private int counter;

    public NetBuilder(String name, boolean trainable) {
        this.graph = new Graph(name);
        this.trainable = trainable;
    }

    public Graph graph() { return graph; }

    /** The data input, batch dimension symbolic. */
    public String input(String name, long... dims) {
        Dim[] d = new Dim[dims.length + 1];
        d[0] = Dim.symbol("N");
        for (int i = 0; i < dims.length; i++) d[i + 1] = Dim.of(dims[i]);
        graph.inputs().add(new ValueInfo(name, new dev.quant4j.graph.ValueType.TensorType(DataType.FLOAT32, Shape.of(d))));
        return name;
    }

    public String param(String name, float[] values, long... shape) {
        Tensor t = Tensor.of(values, shape);
        graph.initializers().put(name, t);
        if (trainable) graph.inputs().add(ValueInfo.tensor(name, t.dtype(), shape));
        return name;
    }

    /** A constant that is never trained (shapes, zero-points). */
    public String constant(String name, Tensor t) {
        graph.initializers().put(name, t);
        return name;
    }

    public String fresh(String base) { return base + "_" + (counter++); }

    public String[] node(String op, List<String> inputs, int outputs, Attributes attrs) {
        String name = fresh(op.toLowerCase());
        String[] outs = new String[outputs];
        for (int i = 0; i < outputs; i++) outs[i] = outputs == 1 ? name : name + "_" + i;
        graph.addNode(new Node(name, op, "", inputs, List.of(outs), attrs == null ? new Attributes() : attrs));
        return outs;
    }

    public String op(String op, Attributes attrs, String... inputs) { return node(op, List.of(inputs), 1, attrs)[0]; }

    public Model output(String value, long... dims) {
        Dim[] d = new Dim[dims.length + 1];
        d[0] = Dim.symbol("N");
        for (int i = 0; i < dims.length; i++) d[i + 1] = Dim.of(dims[i]);
        graph.outputs().add(new ValueInfo(value, new dev.quant4j.graph.ValueType.TensorType(DataType.FLOAT32, Shape.of(d))));
        Model m = new Model(graph);
        m.opsets().put("", OPSET);
        m.setProducerName("quant4j-train");
        m.setIrVersion(10);
        return m;
    }
}
