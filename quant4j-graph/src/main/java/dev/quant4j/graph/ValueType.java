package dev.quant4j.graph;

import dev.quant4j.core.DataType;

/**
 * The type of a value in a graph: a tensor (dense or sparse) with element type and shape, or one
 * of the container types of ONNX (sequence, optional, map). A {@code null} element type or shape
 * means "not known".
 */
public sealed interface ValueType {

    /** A dense tensor; {@code shape} is null when even the rank is unknown. */
    record TensorType(DataType elemType, Shape shape) implements ValueType {}

    record SparseTensorType(DataType elemType, Shape shape) implements ValueType {}

    record SequenceType(ValueType elemType) implements ValueType {}

    record OptionalType(ValueType elemType) implements ValueType {}

    record MapType(DataType keyType, ValueType valueType) implements ValueType {}

    static TensorType tensor(DataType elemType, Shape shape) { return new TensorType(elemType, shape); }
}
