package dev.quant4j.runtime;

import dev.quant4j.kernels.Kernels;

/** What a running {@link Op} sees besides its inputs: the kernels, enclosing values, the observer. */
public record ExecContext(Kernels kernels, Scope scope, ValueObserver observer) {}
