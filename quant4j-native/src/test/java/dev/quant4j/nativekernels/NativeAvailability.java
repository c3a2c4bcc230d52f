package dev.quant4j.nativekernels;

import dev.quant4j.testkit.TestData;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Native tests run where libquant4j.so loads; under CI a missing library is a failure, not a skip. */
final class NativeAvailability {
    private NativeAvailability() {}

    static void require() {
        if (NativeLibrary.get() != null) return;
        if (TestData.isCi()) Assertions.fail("native library must be built under CI: " + NativeLibrary.failure());
        Assumptions.abort("native library unavailable: " + NativeLibrary.failure());
    }

    /** Every ISA level this CPU can run, so each micro-kernel present here is tested. */
    static List<Isa> isas() {
        require();
        return Arrays.stream(Isa.values()).filter(Isa::supported).toList();
    }
}
