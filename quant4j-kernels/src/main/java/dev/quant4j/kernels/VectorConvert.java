package dev.quant4j.kernels;

import static dev.quant4j.kernels.F32Tile.F;
import static dev.quant4j.kernels.F32Tile.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector versions of {@link HalfFloats}: the same bit manipulations lane by lane, every case
 * computed and the right one blended in, so results are bit-identical to the scalar ones.
 * Tails shorter than a vector go through {@link HalfFloats}.
 */
final class VectorConvert {
    private VectorConvert() {}

    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(L * 16));
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;

    static void f16ToF32(short[] src, int so, float[] dst, int d0, int count) {
        int i = 0;
        for (; i + L <= count; i += L) {
            IntVector h = (IntVector) ShortVector.fromArray(S, src, so + i).convertShape(VectorOperators.ZERO_EXTEND_S2I, I, 0);
            IntVector sign = h.and(0x8000).lanewise(VectorOperators.LSHL, 16);
            IntVector em = h.and(0x7FFF);
            IntVector shifted = em.lanewise(VectorOperators.LSHL, 13);
            IntVector finite = shifted.reinterpretAsFloats().mul(HalfFloats.F16_TO_F32_SCALE).reinterpretAsInts();
            IntVector special = shifted.or(0x7F800000);
            special = special.blend(special.or(0x400000), em.compare(VectorOperators.GT, 0x7C00));
            finite.blend(special, em.compare(VectorOperators.GE, 0x7C00)).or(sign)
                    .reinterpretAsFloats().intoArray(dst, d0 + i);
        }
        for (; i < count; i++) dst[d0 + i] = HalfFloats.f16ToF32(src[so + i]);
    }

    static void f32ToF16(float[] src, int so, short[] dst, int d0, int count) {
        int i = 0;
        for (; i + L <= count; i += L) {
            FloatVector f = FloatVector.fromArray(F, src, so + i);
            IntVector x = f.reinterpretAsInts();
            IntVector sign = x.lanewise(VectorOperators.LSHR, 16).and(0x8000);
            IntVector a = x.and(0x7FFFFFFF);
            FloatVector af = a.reinterpretAsFloats();
            IntVector normal = a.add(HalfFloats.REBIAS + 0xFFF).add(a.lanewise(VectorOperators.LSHR, 13).and(1))
                    .lanewise(VectorOperators.LSHR, 13);
            IntVector sub = af.add(0.5f).reinterpretAsInts().sub(HalfFloats.HALF_BITS);
            IntVector nan = a.lanewise(VectorOperators.LSHR, 13).and(0x3FF).or(0x7E00);
            VectorMask<Integer> isSub = a.compare(VectorOperators.LT, HalfFloats.F16_MIN_NORMAL);
            VectorMask<Integer> isInf = a.compare(VectorOperators.GE, HalfFloats.F16_OVERFLOW);
            VectorMask<Integer> isNan = a.compare(VectorOperators.GT, 0x7F800000);
            IntVector o = normal.blend(sub, isSub).blend(0x7C00, isInf).blend(nan, isNan).or(sign);
            ((ShortVector) o.convertShape(VectorOperators.I2S, S, 0)).intoArray(dst, d0 + i);
        }
        for (; i < count; i++) dst[d0 + i] = HalfFloats.f32ToF16(src[so + i]);
    }

    static void bf16ToF32(short[] src, int so, float[] dst, int d0, int count) {
        int i = 0;
        for (; i + L <= count; i += L)
            ((IntVector) ShortVector.fromArray(S, src, so + i).convertShape(VectorOperators.ZERO_EXTEND_S2I, I, 0))
                    .lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(dst, d0 + i);
        for (; i < count; i++) dst[d0 + i] = HalfFloats.bf16ToF32(src[so + i]);
    }

    static void f32ToBf16(float[] src, int so, short[] dst, int d0, int count) {
        int i = 0;
        for (; i + L <= count; i += L) {
            IntVector x = FloatVector.fromArray(F, src, so + i).reinterpretAsInts();
            IntVector hi = x.lanewise(VectorOperators.LSHR, 16);
            IntVector rounded = x.add(0x7FFF).add(hi.and(1)).lanewise(VectorOperators.LSHR, 16);
            VectorMask<Integer> isNan = x.and(0x7FFFFFFF).compare(VectorOperators.GT, 0x7F800000);
            ((ShortVector) rounded.blend(hi.or(0x40), isNan).convertShape(VectorOperators.I2S, S, 0)).intoArray(dst, d0 + i);
        }
        for (; i < count; i++) dst[d0 + i] = HalfFloats.f32ToBf16(src[so + i]);
    }
}
