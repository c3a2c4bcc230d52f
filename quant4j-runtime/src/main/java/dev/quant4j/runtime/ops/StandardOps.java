package dev.quant4j.runtime.ops;

import dev.quant4j.runtime.OpRegistry;

/** Registers every operator family of the runtime. Each family is one class with a static register method. */
public final class StandardOps {
    private StandardOps() {}

    public static OpRegistry registerAll(OpRegistry r) {
        ConstantOps.register(r);
        ElementwiseOps.register(r);
        ShapeOps.register(r);
        MatMulOps.register(r);
        GemmOps.register(r); ConvOps.register(r); ConvTransposeOps.register(r); PoolOps.register(r); NormOps.register(r); LocalNormOps.register(r); RecurrentOps.register(r); ControlFlowOps.register(r);
        return r;
    }
}
