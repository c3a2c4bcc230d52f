package dev.quant4j.quantize.optimize;

import dev.quant4j.graph.Graph;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.quantize.ConstantWeights;

/** The constant float tensors a pass may rewrite (initializers that are not graph inputs, Constant nodes). */
final class Constants {
    private Constants() {}

    static Tensor floatConstant(Graph g, String name) { return ConstantWeights.floatConstant(g, name); }

    /**
     * Replaces the constant input {@code i} of {@code n} by a fresh initializer holding {@code t}
     * (never writing into the old tensor, which other nodes may share or which may be mapped from the file).
     */
    static void replace(Graph g, Node n, int i, Tensor t) {
        n.setInput(i, ConstantWeights.addInitializer(g, n.input(i).isEmpty() ? n.name() + "_const" : n.input(i) + "_rescaled", t));
    }
}
