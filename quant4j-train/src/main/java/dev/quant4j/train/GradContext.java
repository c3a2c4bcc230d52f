package dev.quant4j.train;

import dev.quant4j.graph.Attributes;
import dev.quant4j.graph.Node;
import dev.quant4j.graph.Tensor;
import dev.quant4j.kernels.Kernels;
import dev.quant4j.runtime.Tensors;

/**
 * What a backward rule sees: the node, the values of its inputs and outputs saved by the forward,
 * the gradients of its outputs (null where no gradient reached an output), which inputs need a
 * gradient, and the kernels for the heavy parts.
 */
public record GradContext(Node node, Tensor[] inputs, Tensor[] outputs, float[][] outputGrads,
                          boolean[] needed, Kernels kernels, long opset) {

    public Attributes attributes() { return node.attributes(); }

    /** Input {@code i} converted to float (no copy for FLOAT32 inputs; do not modify). */
    public float[] in(int i) { return Tensors.toFloats(inputs[i]); }

    public long[] inShape(int i) { return inputs[i].shape(); }

    public float[] out(int i) { return Tensors.toFloats(outputs[i]); }

    public long[] outShape(int i) { return outputs[i].shape(); }

    /** Gradient of output 0, or zeros when nothing reached it. */
    public float[] dy() {
        float[] g = outputGrads[0];
        return g != null ? g : new float[Math.toIntExact(outputs[0].elementCount())];
    }

    public boolean needs(int i) { return i < needed.length && needed[i]; }

    public boolean hasInput(int i) { return i < inputs.length && inputs[i] != null; }

    /** An error naming the node. */
    public IllegalArgumentException error(String problem) {
        return new IllegalArgumentException(node.label() + ": " + problem);
    }
}
