package dev.quant4j.cli;

import dev.quant4j.quantize.Precision;
import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;

/** {@code quantize --mode}: which precision nodes get unless a policy says otherwise. */
enum Mode {
    DYNAMIC, STATIC, WEIGHT_ONLY, FP16, BF16, AUTO;

    String id() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

    /** The default precision of this mode ({@code bits} chooses INT4 or INT8 weight-only). */
    Precision precision(int bits) {
        return switch (this) {
            case DYNAMIC -> Precision.INT8_DYNAMIC;
            case STATIC -> Precision.INT8_STATIC;
            case WEIGHT_ONLY -> bits == 8 ? Precision.INT8_WEIGHT : Precision.INT4_WEIGHT;
            case FP16 -> Precision.FP16;
            case BF16 -> Precision.BF16;
            case AUTO -> throw new IllegalStateException("auto chooses per layer");
        };
    }

    /** Accepts the ids ("weight-only") and the enum names, in any case. */
    static final class Converter implements ITypeConverter<Mode> {
        @Override
        public Mode convert(String value) {
            for (Mode m : values()) if (m.id().equalsIgnoreCase(value) || m.name().equalsIgnoreCase(value)) return m;
            throw new IllegalArgumentException("unknown mode '" + value + "'; known: " + Arrays.stream(values()).map(Mode::id).toList());
        }
    }
}
