package dev.quant4j.data.npy;

import dev.quant4j.data.DataFileException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The header of an NPY file, parsed strictly.
 *
 * <pre>
 *  offset 0      6     7     8                 8+L (v1: L=2; v2, v3: L=4)
 *  +-------------+-----+-----+-----------------+-------------------------------------+------
 *  | \x93 NUMPY  | maj | min | header length H | {'descr': '&lt;f4', 'fortran_order': | data
 *  |             |     |     | (little-endian) |  False, 'shape': (2, 3), }  ...   \n |
 *  +-------------+-----+-----+-----------------+-------------------------------------+------
 *                                               H bytes: ASCII (v1, v2) or UTF-8 (v3),
 *                                               padded with spaces, ending in '\n'
 * </pre>
 *
 * The dictionary must hold exactly the keys descr, fortran_order and shape, each once; the
 * data must be exactly {@code product(shape) · itemsize} bytes, checked against the file length
 * before anything is read.
 */
public record NpyHeader(int majorVersion, NpyDtype dtype, boolean fortranOrder, long[] shape, long dataOffset) {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    public long elementCount() {
        long n = 1;
        for (long d : shape) n = Math.multiplyExact(n, d);
        return n;
    }

    public long dataBytes() {
        return Math.multiplyExact(elementCount(), dtype.itemSize());
    }

    /** Parses the header at the start of {@code s} and checks the data size against {@code s}'s length. */
    public static NpyHeader parse(MemorySegment s, String source) {
        long size = s.byteSize();
        if (size < 10) throw new DataFileException(source, "too short for an NPY file (" + size + " bytes)");
        for (int i = 0; i < MAGIC.length; i++)
            if (s.get(ValueLayout.JAVA_BYTE, i) != MAGIC[i]) throw new DataFileException(source, "not an NPY file (bad magic)");
        int major = s.get(ValueLayout.JAVA_BYTE, 6) & 0xFF, minor = s.get(ValueLayout.JAVA_BYTE, 7) & 0xFF;
        if (major < 1 || major > 3 || minor != 0)
            throw new DataFileException(source, "unsupported NPY version " + major + "." + minor);
        long headerLen;
        int prefix;
        if (major == 1) {
            headerLen = s.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 8) & 0xFFFF;
            prefix = 10;
        } else {
            if (size < 12) throw new DataFileException(source, "truncated in the NPY preamble");
            headerLen = s.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 8) & 0xFFFF_FFFFL;
            prefix = 12;
        }
        if (prefix + headerLen > size)
            throw new DataFileException(source, "header length " + headerLen + " runs past the end of the file (" + size + " bytes)");
        byte[] raw = s.asSlice(prefix, headerLen).toArray(ValueLayout.JAVA_BYTE);
        if (major < 3) for (byte b : raw) if (b < 0) throw new DataFileException(source, "non-ASCII byte in a version " + major + " header");
        String text = new String(raw, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        if (text.isEmpty() || text.charAt(text.length() - 1) != '\n')
            throw new DataFileException(source, "header does not end with a newline");
        NpyHeader h;
        try {
            h = new DictParser(text, major, prefix + headerLen).parse();
        } catch (IllegalArgumentException e) {
            throw new DataFileException(source, "bad header: " + e.getMessage() + " in " + text.strip());
        }
        long need;
        try {
            need = h.dataBytes();
        } catch (ArithmeticException e) {
            throw new DataFileException(source, "shape " + Arrays.toString(h.shape) + " overflows a 64-bit size");
        }
        long have = size - h.dataOffset;
        if (have < need)
            throw new DataFileException(source, "truncated: shape " + Arrays.toString(h.shape) + " of " + h.dtype.descr() + " needs "
                    + need + " data bytes, the file has " + have);
        if (have > need)
            throw new DataFileException(source, have - need + " unexpected bytes after the data of shape " + Arrays.toString(h.shape));
        return h;
    }

    /** The header text for writing, padded with spaces so that the data starts at a multiple of 64. */
    static byte[] format(NpyDtype dtype, boolean fortranOrder, long[] shape, int prefix) {
        StringBuilder sb = new StringBuilder("{'descr': '").append(dtype.descr()).append("', 'fortran_order': ")
                .append(fortranOrder ? "True" : "False").append(", 'shape': (");
        for (int i = 0; i < shape.length; i++) sb.append(i > 0 ? ", " : "").append(shape[i]);
        if (shape.length == 1) sb.append(',');
        sb.append("), }");
        while ((prefix + sb.length() + 1) % 64 != 0) sb.append(' ');
        sb.append('\n');
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** A recursive-descent reader for the one Python dict literal an NPY header may hold. */
    private static final class DictParser {
        private final String t;
        private final int major;
        private final long dataOffset;
        private int p;

        DictParser(String t, int major, long dataOffset) {
            this.t = t;
            this.major = major;
            this.dataOffset = dataOffset;
        }

        NpyHeader parse() {
            ws();
            expect('{');
            String descr = null;
            Boolean fortran = null;
            long[] shape = null;
            ws();
            while (peek() != '}') {
                String key = string();
                ws();
                expect(':');
                ws();
                switch (key) {
                    case "descr" -> {
                        if (descr != null) throw dup(key);
                        if (peek() == '[') throw new IllegalArgumentException("structured dtypes are not supported");
                        descr = string();
                    }
                    case "fortran_order" -> {
                        if (fortran != null) throw dup(key);
                        fortran = bool();
                    }
                    case "shape" -> {
                        if (shape != null) throw dup(key);
                        shape = tuple();
                    }
                    default -> throw new IllegalArgumentException("unexpected key '" + key + "'");
                }
                ws();
                if (peek() == ',') { p++; ws(); } else if (peek() != '}') throw new IllegalArgumentException("expected ',' or '}' at " + p);
            }
            p++;
            ws();
            if (p != t.length()) throw new IllegalArgumentException("text after the dictionary at " + p);
            if (descr == null || fortran == null || shape == null)
                throw new IllegalArgumentException("missing key " + (descr == null ? "descr" : fortran == null ? "fortran_order" : "shape"));
            NpyDtype dt = NpyDtype.fromDescr(descr);
            if (dt == null) throw new IllegalArgumentException("unsupported dtype '" + descr + "' (supported: <f2 <f4 <f8 |i1 |u1 <i4 <i8)");
            return new NpyHeader(major, dt, fortran, shape, dataOffset);
        }

        private IllegalArgumentException dup(String key) {
            return new IllegalArgumentException("key '" + key + "' given twice");
        }

        private char peek() {
            if (p >= t.length()) throw new IllegalArgumentException("unexpected end");
            return t.charAt(p);
        }

        private void expect(char c) {
            if (peek() != c) throw new IllegalArgumentException("expected '" + c + "' at " + p + ", found '" + peek() + "'");
            p++;
        }

        private void ws() {
            while (p < t.length() && (t.charAt(p) == ' ' || t.charAt(p) == '\n' || t.charAt(p) == '\t')) p++;
        }

        private String string() {
            char q = peek();
            if (q != '\'' && q != '"') throw new IllegalArgumentException("expected a quoted string at " + p);
            int end = t.indexOf(q, p + 1);
            if (end < 0) throw new IllegalArgumentException("unterminated string at " + p);
            String s = t.substring(p + 1, end);
            if (s.indexOf('\\') >= 0) throw new IllegalArgumentException("escapes in strings are not supported");
            p = end + 1;
            return s;
        }

        private boolean bool() {
            if (t.startsWith("True", p)) { p += 4; return true; }
            if (t.startsWith("False", p)) { p += 5; return false; }
            throw new IllegalArgumentException("expected True or False at " + p);
        }

        private long[] tuple() {
            expect('(');
            List<Long> dims = new ArrayList<>();
            boolean comma = false;
            ws();
            while (peek() != ')') {
                int start = p;
                while (p < t.length() && Character.isDigit(t.charAt(p))) p++;
                if (p == start) throw new IllegalArgumentException("expected a non-negative integer at " + p);
                try {
                    dims.add(Long.parseLong(t.substring(start, p)));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("dimension too large: " + t.substring(start, p));
                }
                if (peek() == 'L') p++; // Python 2 long literal, as numpy files from Python 2 have
                ws();
                comma = false;
                if (peek() == ',') { p++; comma = true; ws(); } else if (peek() != ')') throw new IllegalArgumentException("expected ',' or ')' at " + p);
            }
            p++;
            if (dims.size() == 1 && !comma) throw new IllegalArgumentException("a one-dimensional shape needs a trailing comma: (n,)");
            long[] out = new long[dims.size()];
            for (int i = 0; i < out.length; i++) out[i] = dims.get(i);
            return out;
        }
    }
}
