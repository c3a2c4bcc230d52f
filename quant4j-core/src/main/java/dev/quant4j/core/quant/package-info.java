/**
 * Integer quantization with ONNX semantics.
 *
 * <ul>
 *   <li>{@link dev.quant4j.core.quant.QuantSpec}: type, symmetric or affine, narrow/reduced range;
 *   <li>{@link dev.quant4j.core.quant.QuantParams}: validated scales and zero-points, per tensor,
 *       per channel (any axis) or per block (ONNX opset-21 layout);
 *   <li>{@link dev.quant4j.core.quant.ParamsFromRange}: scale and zero-point from a range (0 always
 *       exact), or fitted to weights per tensor/channel/block;
 *   <li>{@link dev.quant4j.core.quant.Quantizer}: quantize, dequantize, fake-quantize over float
 *       arrays with a shape;
 *   <li>{@link dev.quant4j.core.quant.QuantizedStorage}: codes to and from storage bytes;
 *   <li>{@link dev.quant4j.core.quant.FixedPointMultiplier} and
 *       {@link dev.quant4j.core.quant.Requantizer}: int32 accumulator to 8-bit output in integer
 *       arithmetic.
 * </ul>
 */
package dev.quant4j.core.quant;
