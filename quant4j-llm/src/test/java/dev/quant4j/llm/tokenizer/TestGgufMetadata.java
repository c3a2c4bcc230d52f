package dev.quant4j.llm.tokenizer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TEMPORARY, test only: reads the metadata of the small vocabulary-only GGUF files until the FORMATS
 * engineer's reader (dev.quant4j.llm.gguf) lands; then this class is deleted.
 */
final class TestGgufMetadata {
    private TestGgufMetadata() {}

    static Map<String, Object> read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt() != 0x46554747) throw new IOException(file + ": not GGUF");
        int version = b.getInt();
        if (version < 2) throw new IOException(file + ": GGUF v" + version);
        b.getLong(); // tensor count
        long n = b.getLong();
        Map<String, Object> m = new LinkedHashMap<>();
        for (long i = 0; i < n; i++) {
            String key = str(b);
            m.put(key, value(b, b.getInt()));
        }
        return m;
    }

    private static String str(ByteBuffer b) {
        byte[] s = new byte[Math.toIntExact(b.getLong())];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static Object value(ByteBuffer b, int type) {
        return switch (type) {
            case 0 -> b.get() & 0xFF;
            case 1 -> (int) b.get();
            case 2 -> b.getShort() & 0xFFFF;
            case 3 -> (int) b.getShort();
            case 4 -> b.getInt() & 0xFFFFFFFFL;
            case 5 -> b.getInt();
            case 6 -> b.getFloat();
            case 7 -> b.get() != 0;
            case 8 -> str(b);
            case 9 -> {
                int t = b.getInt();
                int count = Math.toIntExact(b.getLong());
                List<Object> l = new ArrayList<>(count);
                for (int i = 0; i < count; i++) l.add(value(b, t));
                yield l;
            }
            case 10 -> b.getLong();
            case 11 -> b.getLong();
            case 12 -> b.getDouble();
            default -> throw new IllegalStateException("GGUF value type " + type);
        };
    }
}
