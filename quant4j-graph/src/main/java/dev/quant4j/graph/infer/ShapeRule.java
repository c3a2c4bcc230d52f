package dev.quant4j.graph.infer;

/**
 * How one operator's output types follow from its inputs. A rule sets what it can through the
 * context and leaves the rest unknown; it may also compute an output's value when all inputs it
 * needs are constants (that is how shape subgraphs fold). It throws through
 * {@link InferenceContext#fail} when the inputs contradict the operator.
 */
@FunctionalInterface
public interface ShapeRule {
    void infer(InferenceContext ctx);
}
