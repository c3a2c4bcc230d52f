/**
 * Training on the quant4j graph. The forward of a step is the runtime's own execution of the graph
 * ({@link dev.quant4j.train.Backprop} keeps every value the observer sees as its tape); each
 * operator's backward is a {@link dev.quant4j.train.GradRule} in a {@link dev.quant4j.train.GradRegistry}
 * keyed like the runtime's OpRegistry (classes in {@code dev.quant4j.train.grad}). Parameters are
 * initializers that are also graph inputs, fed by reference by {@link dev.quant4j.train.Trainer}.
 * Quantization-aware training ({@code dev.quant4j.train.quant}) trains the very QDQ graph that is
 * exported: QuantizeLinear/DequantizeLinear have straight-through backward rules whose composition
 * is LSQ.
 */
package dev.quant4j.train;
