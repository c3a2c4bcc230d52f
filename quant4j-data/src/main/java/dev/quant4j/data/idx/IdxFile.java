package dev.quant4j.data.idx;

import dev.quant4j.data.DataFileException;
import dev.quant4j.data.io.FileBytes;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * An IDX file (the MNIST / Fashion-MNIST format), raw or gzip, mapped and read lazily.
 *
 * <pre>
 *  0    1    2      3       4              4+4·n
 *  +----+----+------+-------+--------------+----------------------------+
 *  | 00 | 00 | type | n dims| n × int32 BE | data, big-endian, row-major |
 *  +----+----+------+-------+--------------+----------------------------+
 *  type: 08 u8, 09 i8, 0B i16, 0C i32, 0D f32, 0E f64
 * </pre>
 */
public final class IdxFile {
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final String source;
    private final int type;
    private final int itemSize;
    private final int[] dims;
    private final MemorySegment data;

    private IdxFile(String source, int type, int itemSize, int[] dims, MemorySegment data) {
        this.source = source;
        this.type = type;
        this.itemSize = itemSize;
        this.dims = dims;
        this.data = data;
    }

    public static IdxFile open(Path file) {
        return parse(FileBytes.open(file), file.toString());
    }

    public static IdxFile parse(MemorySegment s, String source) {
        long size = s.byteSize();
        if (size < 4) throw new DataFileException(source, "too short for an IDX file (" + size + " bytes)");
        if (s.get(ValueLayout.JAVA_BYTE, 0) != 0 || s.get(ValueLayout.JAVA_BYTE, 1) != 0)
            throw new DataFileException(source, "not an IDX file (the first two bytes must be zero)");
        int type = s.get(ValueLayout.JAVA_BYTE, 2) & 0xFF;
        int n = s.get(ValueLayout.JAVA_BYTE, 3) & 0xFF;
        int item = switch (type) {
            case 0x08, 0x09 -> 1;
            case 0x0B -> 2;
            case 0x0C, 0x0D -> 4;
            case 0x0E -> 8;
            default -> throw new DataFileException(source, String.format("unknown IDX element type 0x%02X", type));
        };
        if (n == 0) throw new DataFileException(source, "IDX file with zero dimensions");
        long header = 4L + 4L * n;
        if (header > size) throw new DataFileException(source, "truncated in the dimension list (" + n + " dimensions, " + size + " bytes)");
        int[] dims = new int[n];
        long count = 1;
        for (int i = 0; i < n; i++) {
            dims[i] = s.get(INT, 4 + 4L * i);
            if (dims[i] < 0) throw new DataFileException(source, "negative dimension " + dims[i]);
            count *= dims[i];
            if (count > size) break; // already more elements than bytes: reported below
        }
        long need = count > size ? Long.MAX_VALUE : count * item;
        long have = size - header;
        if (need != have)
            throw new DataFileException(source, (need > have ? "truncated: " : "size mismatch: ") + "dimensions " + Arrays.toString(dims)
                    + " need " + (need == Long.MAX_VALUE ? "more than " + size : need) + " data bytes, the file has " + have);
        return new IdxFile(source, type, item, dims, s.asSlice(header));
    }

    public String source() { return source; }

    public int[] dims() { return dims.clone(); }

    /** Number of items: the first dimension. */
    public int count() { return dims[0]; }

    /** Elements in one item: the product of the other dimensions. */
    public int itemElements() {
        int n = 1;
        for (int i = 1; i < dims.length; i++) n = Math.multiplyExact(n, dims[i]);
        return n;
    }

    /** Element {@code i} (row-major over the whole file) as a double; unsigned bytes read as 0..255. */
    public double get(long i) {
        long off = i * itemSize;
        return switch (type) {
            case 0x08 -> data.get(ValueLayout.JAVA_BYTE, off) & 0xFF;
            case 0x09 -> data.get(ValueLayout.JAVA_BYTE, off);
            case 0x0B -> data.get(SHORT, off);
            case 0x0C -> data.get(INT, off);
            case 0x0D -> data.get(FLOAT, off);
            default -> data.get(DOUBLE, off);
        };
    }

    /** The elements of item {@code index} as floats, times {@code scale}. */
    public float[] item(int index, float scale) {
        if (index < 0 || index >= dims[0]) throw new IndexOutOfBoundsException("item " + index + " of " + dims[0] + " in " + source);
        int per = itemElements();
        float[] out = new float[per];
        long base = (long) index * per;
        if (type == 0x08) {
            for (int i = 0; i < per; i++) out[i] = (data.get(ValueLayout.JAVA_BYTE, (base + i)) & 0xFF) * scale;
        } else {
            for (int i = 0; i < per; i++) out[i] = (float) (get(base + i) * scale);
        }
        return out;
    }

    /** Item {@code index} of a one-dimensional integer file (a label). */
    public int label(int index) {
        if (dims.length != 1) throw new IllegalStateException(source + " is not a label file: dimensions " + Arrays.toString(dims));
        if (index < 0 || index >= dims[0]) throw new IndexOutOfBoundsException("label " + index + " of " + dims[0] + " in " + source);
        return (int) get(index);
    }
}
