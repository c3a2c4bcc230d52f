/**
 * Post-training quantization passes over quant4j graphs, each driven by one {@link
 * dev.quant4j.quantize.PrecisionPolicy} and answering with a {@link
 * dev.quant4j.quantize.QuantizationReport} (also written into the model's metadata):
 *
 * <ul>
 *   <li>{@link dev.quant4j.quantize.WeightOnlyQuantizer}: INT4/INT8 blocked MatMul weights, RTN, as
 *       com.microsoft MatMulNBits or opset-21 blocked DequantizeLinear;
 *   <li>{@link dev.quant4j.quantize.DynamicQuantizer}: INT8 weights and embedding tables, activations
 *       quantized per run (DynamicQuantizeLinear + MatMulInteger);
 *   <li>{@link dev.quant4j.quantize.StaticQdqQuantizer} with {@link dev.quant4j.quantize.Calibrator}:
 *       QDQ with activation ranges from any calibration observer;
 *   <li>{@link dev.quant4j.quantize.QOperatorQuantizer}: the same static quantization folded into QLinearConv,
 *       QLinearMatMul and com.microsoft QLinearAdd (after {@link dev.quant4j.quantize.ConvBatchNormFolder});
 *   <li>{@link dev.quant4j.quantize.HalfPrecisionWeights}: FP16/BF16 weight storage with an fp16 range check;
 *   <li>{@link dev.quant4j.quantize.HalfPrecisionCompute}: FP16/BF16 compute, activations checked by
 *       {@link dev.quant4j.quantize.HalfRangeObserver} (overflowing or mostly subnormal values stay float32).
 * </ul>
 *
 * Every output is checked in the tests by running it in ONNX Runtime (and quant4j's runtime) on real
 * models and data.
 */
package dev.quant4j.quantize;
