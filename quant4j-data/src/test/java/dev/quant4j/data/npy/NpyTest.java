package dev.quant4j.data.npy;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.data.DataFileException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads files that numpy itself wrote (src/test/resources/npy/make_fixtures.py) and round-trips ours. */
class NpyTest {
    @TempDir Path tmp;

    static Path fixture(String name) {
        try {
            return Path.of(NpyTest.class.getResource("/npy/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** The values make_fixtures.py writes: arange(24).reshape(2,3,4)·0.5 − 3. */
    static double a(int i) {
        return i * 0.5 - 3;
    }

    @Test
    void readsNumpyC_orderFloat32() {
        NpyArray x = Npy.read(fixture("f4_c.npy"));
        assertEquals(NpyDtype.F4, x.dtype());
        assertArrayEquals(new long[] {2, 3, 4}, x.shape());
        float[] f = x.toFloats();
        for (int i = 0; i < 24; i++) assertEquals(a(i), f[i], 0.0);
    }

    @Test
    void readsVersion2And3Headers() {
        for (String n : new String[] {"f4_v2.npy", "f4_v3.npy"}) {
            NpyArray x = Npy.read(fixture(n));
            assertEquals(Integer.parseInt(n.substring(4, 5)), x.header().majorVersion());
            assertArrayEquals(new long[] {2, 3, 4}, x.shape());
            assertEquals(a(23), x.getDouble(23), 0.0);
        }
    }

    @Test
    void fortranOrderReadsInRowMajorOrder() {
        NpyArray x = Npy.read(fixture("f8_fortran.npy"));
        assertTrue(x.header().fortranOrder());
        assertArrayEquals(new long[] {6, 4}, x.shape());
        double[] d = x.toDoubles();
        for (int i = 0; i < 24; i++) assertEquals(a(i), d[i], 0.0);
        NpyArray y = Npy.read(fixture("i4_fortran.npy"));
        long[] l = y.toLongs();
        for (int i = 0; i < 12; i++) assertEquals(i * 1000L - 5000, l[i]);
    }

    @Test
    void integerTypesAreExact() {
        assertArrayEquals(new long[] {(1L << 60) + 1, -(1L << 62) - 3, 0, 7}, Npy.read(fixture("i8.npy")).toLongs());
        long[] u = Npy.read(fixture("u1.npy")).toLongs();
        for (int i = 0; i < 256; i++) assertEquals(i, u[i]);
        long[] s = Npy.read(fixture("i1.npy")).toLongs();
        for (int i = 0; i < 256; i++) assertEquals(i - 128, s[i]);
    }

    @Test
    void float16MatchesNumpysOwnWideningToFloat32() {
        float[] h = Npy.read(fixture("f2.npy")).toFloats();
        float[] ref = Npy.read(fixture("f2_as_f4.npy")).toFloats();
        assertEquals(7, h.length);
        for (int i = 0; i < h.length; i++) assertEquals(Float.floatToRawIntBits(ref[i]), Float.floatToRawIntBits(h[i]), "element " + i);
    }

    @Test
    void scalarAndEmptyArrays() {
        NpyArray s = Npy.read(fixture("scalar.npy"));
        assertEquals(0, s.shape().length);
        assertEquals(42.5, s.getDouble(0));
        NpyArray e = Npy.read(fixture("empty.npy"));
        assertArrayEquals(new long[] {0, 3}, e.shape());
        assertEquals(0, e.toFloats().length);
    }

    @Test
    void ourWriterIsByteIdenticalToNumpySave() throws IOException {
        float[] v = new float[24];
        for (int i = 0; i < 24; i++) v[i] = (float) a(i);
        Path out = tmp.resolve("ours.npy");
        Npy.write(out, NpyArray.ofFloats(new long[] {2, 3, 4}, v));
        assertArrayEquals(Files.readAllBytes(fixture("f4_c.npy")), Files.readAllBytes(out));
        double[] d = new double[24];
        for (int i = 0; i < 24; i++) d[i] = a(i);
        Npy.write(out, NpyArray.of(NpyDtype.F8, new long[] {6, 4}, true, d));
        assertArrayEquals(Files.readAllBytes(fixture("f8_fortran.npy")), Files.readAllBytes(out));
        Npy.write(out, NpyArray.ofLongs(new long[] {4}, new long[] {(1L << 60) + 1, -(1L << 62) - 3, 0, 7}));
        assertArrayEquals(Files.readAllBytes(fixture("i8.npy")), Files.readAllBytes(out));
    }

    @Test
    void roundTripsEveryDtypeInBothOrders() throws IOException {
        double[] v = {0, 1, -2, 3, 100, -100, 5};
        for (NpyDtype t : NpyDtype.values()) {
            for (boolean fortran : new boolean[] {false, true}) {
                double[] w = v.clone();
                if (t == NpyDtype.U1) for (int i = 0; i < w.length; i++) w[i] = Math.abs(w[i]);
                Path f = tmp.resolve(t + "-" + fortran + ".npy");
                Npy.write(f, NpyArray.of(t, new long[] {7, 1}, fortran, w));
                NpyArray r = Npy.read(f);
                assertEquals(t, r.dtype());
                assertEquals(fortran, r.header().fortranOrder());
                assertArrayEquals(w, r.toDoubles(), 0.0, t.descr());
                assertEquals(r.header().dataOffset() + 7L * t.itemSize(), Files.size(f), "file size");
                assertEquals(0, r.header().dataOffset() % 64, "data aligned to 64 bytes");
            }
        }
    }

    @Test
    void npzStoredAndDeflated() throws IOException {
        for (String n : new String[] {"stored.npz", "deflated.npz"}) {
            Map<String, NpyArray> m = Npz.read(fixture(n));
            assertEquals(java.util.List.of("x", "labels"), java.util.List.copyOf(m.keySet()));
            assertEquals(a(17), m.get("x").getDouble(17), 0.0);
            assertArrayEquals(new long[] {3, 1, 4}, m.get("labels").toLongs());
        }
        for (boolean compress : new boolean[] {false, true}) {
            Map<String, NpyArray> w = new LinkedHashMap<>();
            w.put("a", NpyArray.ofFloats(new long[] {2}, new float[] {1.5f, -2f}));
            w.put("b", NpyArray.ofLongs(new long[] {1}, new long[] {9}));
            Path f = tmp.resolve("w" + compress + ".npz");
            Npz.write(f, w, compress);
            Map<String, NpyArray> r = Npz.read(f);
            assertArrayEquals(new float[] {1.5f, -2f}, r.get("a").toFloats());
            assertArrayEquals(new long[] {9}, r.get("b").toLongs());
        }
    }

    // ---- malformed input: a clear exception that names the file ----

    private DataFileException readBad(byte[] bytes) throws IOException {
        Path f = tmp.resolve("bad.npy");
        Files.write(f, bytes);
        DataFileException e = assertThrows(DataFileException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        return e;
    }

    private static byte[] withHeader(String dict, int dataBytes) {
        String text = dict;
        while ((10 + text.length() + 1) % 64 != 0) text += " ";
        text += "\n";
        byte[] out = new byte[10 + text.length() + dataBytes];
        System.arraycopy(NpyHeader.MAGIC, 0, out, 0, 6);
        out[6] = 1;
        out[8] = (byte) text.length();
        out[9] = (byte) (text.length() >> 8);
        System.arraycopy(text.getBytes(), 0, out, 10, text.length());
        return out;
    }

    @Test
    void truncatedDataIsRejectedBeforeReading() throws IOException {
        byte[] full = Files.readAllBytes(fixture("f4_c.npy"));
        assertTrue(readBad(java.util.Arrays.copyOf(full, full.length - 4)).getMessage().contains("truncated"));
        assertTrue(readBad(java.util.Arrays.copyOf(full, 7)).getMessage().contains("too short"));
        assertTrue(readBad(java.util.Arrays.copyOf(full, 40)).getMessage().contains("runs past the end"));
    }

    @Test
    void badHeadersAreRejected() throws IOException {
        byte[] ok = withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 8);
        assertArrayEquals(new long[] {2}, Npy.parse(java.lang.foreign.MemorySegment.ofArray(ok), "ok").shape());
        assertTrue(readBad(withHeader("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", 8)).getMessage().contains("unsupported dtype"));
        assertTrue(readBad(withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2), }", 8)).getMessage().contains("trailing comma"));
        assertTrue(readBad(withHeader("{'descr': '<f4', 'fortran_order': False}", 8)).getMessage().contains("missing key shape"));
        assertTrue(readBad(withHeader("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", 8)).getMessage().contains("twice"));
        assertTrue(readBad(withHeader("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}", 8)).getMessage().contains("True or False"));
        assertTrue(readBad(withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", 8)).getMessage().contains("unexpected key"));
        assertTrue(readBad(withHeader("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,)}", 8)).getMessage().contains("structured"));
        assertTrue(readBad(withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4)}", 8)).getMessage().contains("overflows"));
        assertTrue(readBad(withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 12)).getMessage().contains("unexpected bytes"));
        byte[] magic = withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 8);
        magic[1] = 'X';
        assertTrue(readBad(magic).getMessage().contains("bad magic"));
        byte[] version = withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 8);
        version[6] = 4;
        assertTrue(readBad(version).getMessage().contains("version 4.0"));
    }

    @Test
    void corruptNpzNamesTheFile() throws IOException {
        Path f = tmp.resolve("bad.npz");
        byte[] full = Files.readAllBytes(fixture("deflated.npz"));
        Files.write(f, java.util.Arrays.copyOf(full, full.length / 2));
        DataFileException e = assertThrows(DataFileException.class, () -> Npz.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }
}
