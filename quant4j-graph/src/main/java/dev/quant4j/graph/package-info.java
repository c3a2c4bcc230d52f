/**
 * The in-memory graph that inference, calibration, quantization passes and training share.
 *
 * <ul>
 *   <li>{@link dev.quant4j.graph.Tensor}: element type, shape and little-endian bytes in a
 *       MemorySegment (heap, native or mapped); 4-bit types packed low nibble first.</li>
 *   <li>{@link dev.quant4j.graph.Graph}, {@link dev.quant4j.graph.Node},
 *       {@link dev.quant4j.graph.Attributes}, {@link dev.quant4j.graph.ValueInfo}: the
 *       structure, mutable for passes (insert, replace uses, rename, sort, dead-node removal).</li>
 *   <li>{@link dev.quant4j.graph.Topology} and {@link dev.quant4j.graph.Liveness}: execution
 *       order including subgraphs' outer uses, and when each intermediate value can be freed.</li>
 *   <li>{@link dev.quant4j.graph.Model}: the graph plus opsets and metadata; owns mapped files.</li>
 *   <li>{@code dev.quant4j.graph.infer}: shape and type inference with a rule registry, and
 *       constant folding of shape subgraphs.</li>
 * </ul>
 * Nothing here depends on a file format; quant4j-onnx reads and writes ONNX files.
 */
package dev.quant4j.graph;
