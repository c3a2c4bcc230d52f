package dev.quant4j.core.quant;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.core.DataType;
import net.jqwik.api.*;
import net.jqwik.api.constraints.*;

/** Packing then unpacking gives the codes back, for every integer storage type and length. */
class StoragePropertyTest {

    @Property(tries = 300)
    void packUnpackRoundTrips(@ForAll("types") DataType t, @ForAll @Size(max = 37) java.util.List<@IntRange(min = 0, max = 1 << 20) Integer> seeds) {
        long span = t.maxValue() - t.minValue() + 1;
        int[] codes = seeds.stream().mapToInt(s -> (int) (t.minValue() + Math.floorMod((long) s * 2654435761L, span))).toArray();
        byte[] raw = QuantizedStorage.pack(codes, t);
        assertEquals(t.byteSize(codes.length), raw.length);
        assertArrayEquals(codes, QuantizedStorage.unpack(raw, t, codes.length));
    }

    @Provide
    Arbitrary<DataType> types() {
        return Arbitraries.of(DataType.INT4, DataType.UINT4, DataType.INT8, DataType.UINT8, DataType.INT16, DataType.UINT16, DataType.INT32);
    }
}
