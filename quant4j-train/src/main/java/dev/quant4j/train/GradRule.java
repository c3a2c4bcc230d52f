package dev.quant4j.train;

/**
 * The backward of one operator: input gradients from output gradients and the saved forward
 * values. Returns one array per input (null for inputs that get no gradient: shapes, indices, or
 * inputs not {@linkplain GradContext#needs needed}); each array has the input's element count.
 */
@FunctionalInterface
public interface GradRule {
    float[][] backward(GradContext ctx);
}
