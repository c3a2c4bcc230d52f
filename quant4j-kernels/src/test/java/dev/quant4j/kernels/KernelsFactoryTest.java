package dev.quant4j.kernels;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class KernelsFactoryTest {
    @Test
    void bothBuiltInProvidersAreRegisteredAndTheRightOneWins() {
        List<String> names = KernelsFactory.providers().stream().map(KernelsProvider::name).toList();
        assertTrue(names.contains("scalar") && names.contains("panama"), names.toString());
        // surefire adds --add-modules=jdk.incubator.vector; then only the vector width decides
        boolean wide = PanamaKernels.preferredBits() >= 256;
        assertEquals(wide, new PanamaProvider().available(), new PanamaProvider().unavailableReason());
        String wanted = System.getProperty(KernelsFactory.PROPERTY);
        assertEquals(wanted != null ? wanted : wide ? "panama" : "scalar", KernelsFactory.provider().name());
    }

    @Test
    void instancesHonourTheThreadCount() {
        assertEquals(3, KernelsFactory.provider("panama").create(3).threads());
        assertEquals(1, KernelsFactory.provider("scalar").create(3).threads());
        assertThrows(IllegalArgumentException.class, () -> KernelsFactory.create(0));
    }

    @Test
    void unknownProviderIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelsFactory.provider("cuda"));
        assertTrue(e.getMessage().contains("cuda") && e.getMessage().contains("scalar"), e.getMessage());
    }
}
