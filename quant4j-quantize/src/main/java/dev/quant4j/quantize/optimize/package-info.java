/**
 * Error-minimizing post-training quantization: passes that change how weights are rounded, or
 * rescale a float model exactly, so that the quantizers of {@code dev.quant4j.quantize} lose less.
 *
 * <ul>
 *   <li>Weight-only rounding ({@link dev.quant4j.quantize.WeightOnlyQuantizer.Rounding}):
 *       {@link dev.quant4j.quantize.optimize.GptqRounding} (GPTQ with the input Hessians of the
 *       MatMuls, gathered by {@link dev.quant4j.quantize.optimize.WeightInputs} through quant4j's
 *       runtime) and {@link dev.quant4j.quantize.optimize.ClipSearchRounding} (data-free search of
 *       each block's clipping ratio), written in the same MatMulNBits / blocked DequantizeLinear forms.
 *   <li>{@link dev.quant4j.quantize.optimize.SmoothQuant}: activation outliers moved into the
 *       weights, folded into the producer's constants or one inserted Mul; exact in float.
 *   <li>For CNNs: {@link dev.quant4j.quantize.ConvBatchNormFolder} (first),
 *       {@link dev.quant4j.quantize.optimize.CrossLayerEqualization} (exact in float) and
 *       {@link dev.quant4j.quantize.optimize.BiasCorrection} (the expected output shift of the
 *       static pass's weight error, removed from the bias).
 * </ul>
 *
 * Statistics ({@link dev.quant4j.quantize.optimize.InputHessian},
 * {@link dev.quant4j.quantize.optimize.ChannelAbsMax}) are sums or maxima over rows: mergeable,
 * with memory independent of the number of calibration samples.
 */
package dev.quant4j.quantize.optimize;
