package dev.quant4j.runtime.ops;

import dev.quant4j.runtime.OpRegistry;

/** Registers every operator family of the runtime. Each family is one class with a static register method. */
public final class StandardOps {
    private StandardOps() {}

    public static OpRegistry registerAll(OpRegistry r) {
        ConstantOps.register(r);
        ElementwiseOps.register(r);
        UnaryOps.register(r); CompareOps.register(r); BinaryMathOps.register(r); VariadicOps.register(r); ReduceOps.register(r); SoftmaxOps.register(r); DropoutOps.register(r); EinsumOps.register(r);
        ShapeOps.register(r);
        MatMulOps.register(r);
        GemmOps.register(r); ConvOps.register(r); ConvTransposeOps.register(r); PoolOps.register(r); NormOps.register(r); LocalNormOps.register(r); RecurrentOps.register(r); ControlFlowOps.register(r);
        QuantOps.register(r); IntMatMulOps.register(r); IntConvOps.register(r); MatMulNBitsOps.register(r);
        FusedLinearOps.register(r); FusedElementOps.register(r);
        LayoutOps.register(r); SliceOps.register(r); CastOps.register(r); IndexOps.register(r); GenerateOps.register(r); SequenceOps.register(r); ResizeOps.register(r);
        return r;
    }
}
