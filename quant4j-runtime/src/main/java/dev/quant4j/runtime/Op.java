package dev.quant4j.runtime;

import dev.quant4j.graph.Tensor;

/**
 * The executable form of one node, made once per session by an {@link OpFactory} (which is where
 * constant weights get packed). {@code run} is called once per execution of the node.
 */
@FunctionalInterface
public interface Op {

    /**
     * Computes the node's outputs. {@code inputs} follow the node's input list, with null for an
     * omitted optional input; the result follows the node's output list (an entry may be null
     * for an omitted optional output). Inputs must not be modified.
     */
    Tensor[] run(Tensor[] inputs, ExecContext ctx);
}
