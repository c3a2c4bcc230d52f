package dev.quant4j.graph;

/**
 * A sparse tensor in ONNX's coordinate form: {@code values} (1-D, n elements), {@code indices}
 * (INT64, either [n] linear indices or [n, rank] coordinates) and the dense shape.
 */
public record SparseTensor(Tensor values, Tensor indices, long[] denseShape) {
    public SparseTensor {
        denseShape = denseShape.clone();
    }
}
