package dev.quant4j.graph;

import java.util.List;

/**
 * A node attribute value, one record per ONNX attribute type. {@link Ref} stands for a function
 * body's reference to an attribute of the calling node ({@code ref_attr_name}).
 */
public sealed interface Attribute {

    record FloatValue(float value) implements Attribute {}

    record IntValue(long value) implements Attribute {}

    record StringValue(String value) implements Attribute {}

    record TensorValue(Tensor value) implements Attribute {}

    record GraphValue(Graph value) implements Attribute {}

    record SparseTensorValue(SparseTensor value) implements Attribute {}

    record TypeValue(ValueType value) implements Attribute {}

    record Floats(float[] values) implements Attribute {
        public Floats { values = values.clone(); }
        @Override public float[] values() { return values.clone(); }
    }

    record Ints(long[] values) implements Attribute {
        public Ints { values = values.clone(); }
        @Override public long[] values() { return values.clone(); }
    }

    record Strings(List<String> values) implements Attribute {
        public Strings { values = List.copyOf(values); }
    }

    record Tensors(List<Tensor> values) implements Attribute {
        public Tensors { values = List.copyOf(values); }
    }

    record Graphs(List<Graph> values) implements Attribute {
        public Graphs { values = List.copyOf(values); }
    }

    record SparseTensors(List<SparseTensor> values) implements Attribute {
        public SparseTensors { values = List.copyOf(values); }
    }

    record TypeValues(List<ValueType> values) implements Attribute {
        public TypeValues { values = List.copyOf(values); }
    }

    /**
     * Inside a function body: take the value of the caller's attribute {@code refName};
     * {@code onnxType} is the ONNX AttributeType code the reference declares.
     */
    record Ref(String refName, int onnxType) implements Attribute {}
}
