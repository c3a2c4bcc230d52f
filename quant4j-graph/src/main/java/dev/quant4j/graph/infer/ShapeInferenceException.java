package dev.quant4j.graph.infer;

/** A node whose inputs contradict its operator (incompatible shapes or types); the message names the node. */
public class ShapeInferenceException extends RuntimeException {
    public ShapeInferenceException(String message) {
        super(message);
    }

    public ShapeInferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
