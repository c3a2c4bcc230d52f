package dev.quant4j.graph;

import dev.quant4j.core.DataType;

/**
 * What is known about a named value: its type (null when unknown) and an optional doc string.
 * Graph inputs, outputs and the intermediate values that carry inferred shapes use it.
 */
public record ValueInfo(String name, ValueType type, String docString) {

    public ValueInfo(String name, ValueType type) { this(name, type, null); }

    public static ValueInfo tensor(String name, DataType dtype, Shape shape) {
        return new ValueInfo(name, new ValueType.TensorType(dtype, shape));
    }

    public static ValueInfo tensor(String name, DataType dtype, long... shape) {
        return tensor(name, dtype, Shape.of(shape));
    }

    /** The element type of a (dense) tensor value, or null. */
    public DataType dtype() {
        return type instanceof ValueType.TensorType t ? t.elemType() : null;
    }

    /** The shape of a (dense) tensor value, or null. */
    public Shape shape() {
        return type instanceof ValueType.TensorType t ? t.shape() : null;
    }

    public ValueInfo withName(String newName) { return new ValueInfo(newName, type, docString); }

    public ValueInfo withType(ValueType newType) { return new ValueInfo(name, newType, docString); }
}
