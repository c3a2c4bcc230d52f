package dev.quant4j.runtime.ops;

import dev.quant4j.graph.Attribute;
import dev.quant4j.graph.Attributes;
import dev.quant4j.graph.Tensor;
import dev.quant4j.runtime.GraphRunner;
import dev.quant4j.runtime.NodeSetup;
import dev.quant4j.runtime.OpRegistry;
import dev.quant4j.runtime.Tensors;
import java.util.List;

/** Constant (every value attribute form) and Identity. */
final class ConstantOps {
    private ConstantOps() {}

    static void register(OpRegistry r) {
        r.register("Constant", ConstantOps::constant);
        r.register("Identity", s -> (in, ctx) -> new Tensor[] {in[0]});
    }

    private static GraphRunner.ConstantValue constant(NodeSetup s) {
        Tensor v = value(s);
        return new GraphRunner.ConstantValue() {
            @Override public Tensor value() { return v; }
            @Override public Tensor[] run(Tensor[] in, dev.quant4j.runtime.ExecContext ctx) { return new Tensor[] {v}; }
        };
    }

    private static Tensor value(NodeSetup s) {
        Attributes a = s.attributes();
        if (a.size() != 1) throw s.error("Constant needs exactly one value attribute, has " + a.names());
        String name = a.names().iterator().next();
        Attribute v = a.get(name);
        return switch (v) {
            case Attribute.TensorValue t -> t.value();
            case Attribute.FloatValue f when name.equals("value_float") -> Tensors.ofFloats(new float[] {f.value()});
            case Attribute.Floats f when name.equals("value_floats") -> { float[] d = f.values(); yield Tensors.ofFloats(d, d.length); }
            case Attribute.IntValue i when name.equals("value_int") -> Tensors.ofLongs(new long[] {i.value()});
            case Attribute.Ints i when name.equals("value_ints") -> { long[] d = i.values(); yield Tensors.ofLongs(d, d.length); }
            case Attribute.StringValue str when name.equals("value_string") -> Tensor.ofStrings(List.of(str.value()));
            case Attribute.Strings str when name.equals("value_strings") -> Tensor.ofStrings(str.values(), str.values().size());
            default -> throw s.error("unsupported Constant attribute '" + name + "'");
        };
    }
}
