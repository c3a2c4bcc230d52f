/**
 * Exact conversions between float32 and the narrower number formats ONNX stores:
 * {@link dev.quant4j.core.numerics.Float16} (IEEE half), {@link dev.quant4j.core.numerics.BFloat16},
 * {@link dev.quant4j.core.numerics.Float8Format} (E4M3FN, E4M3FNUZ, E5M2, E5M2FNUZ, with the ONNX
 * saturation rules) and {@link dev.quant4j.core.numerics.Int4} packing (element 2i in the low nibble).
 * Every float-to-narrow conversion rounds to nearest, ties to even; every narrow-to-float conversion
 * is exact. Each has a scalar and a bulk array form.
 */
package dev.quant4j.core.numerics;
