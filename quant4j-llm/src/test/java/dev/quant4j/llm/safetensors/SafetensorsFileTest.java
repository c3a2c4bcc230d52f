package dev.quant4j.llm.safetensors;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quant4j.llm.quant.GgmlType;
import dev.quant4j.llm.quant.WeightMatrix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written here following the safetensors specification (8-byte header length, JSON header,
 * data), with values whose encodings are known: F16 1.0 = 0x3C00, BF16 1.0 = 0x3F80.
 */
class SafetensorsFileTest {
    @TempDir Path tmp;
    static final ObjectMapper JSON = new ObjectMapper();

    static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return b.array();
    }

    static byte[] le(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }

    static byte[] le16(int... v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int s : v) b.putShort((short) s);
        return b.array();
    }

    Path sample() throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.write(le(1, 2, 3, 4, 5, 6));                 // [0, 24)  F32 [2,3]
        data.write(le16(0x3C00, 0xC000, 0x3800));         // [24, 30) F16 [3]: 1, -2, 0.5
        data.write(le16(0x3F80, 0xC0A0));                 // [30, 34) BF16 [2]: 1, -5
        String header = """
            {"__metadata__": {"format": "pt"},
             "w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
             "h": {"dtype": "F16", "shape": [3], "data_offsets": [24, 30]},
             "b": {"dtype": "BF16", "shape": [2], "data_offsets": [30, 34]}}""";
        Path f = tmp.resolve("model.safetensors");
        Files.write(f, file(header, data.toByteArray()));
        return f;
    }

    @Test void readsF32F16Bf16Tensors() throws IOException {
        try (SafetensorsFile s = SafetensorsFile.open(sample())) {
            assertEquals("pt", s.metadata().get("format"));
            assertEquals(List.of("w", "h", "b"), s.tensors().stream().map(SafetensorsTensor::name).toList());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, s.toFloat("w"));
            assertArrayEquals(new float[] {1, -2, 0.5f}, s.toFloat("h"));
            assertArrayEquals(new float[] {1, -5}, s.toFloat("b"));
            WeightMatrix m = s.matrix("w");
            assertEquals(GgmlType.F32, m.type());
            assertEquals(2, m.rows());
            assertEquals(3, m.cols());
            float[] y = new float[2];
            m.matvec(new float[] {1, 0, -1}, y, 1);
            assertArrayEquals(new float[] {-2, -2}, y);
        }
    }

    void fails(String header, int dataBytes, String expect) throws IOException {
        Path f = tmp.resolve("bad.safetensors");
        Files.write(f, file(header, new byte[dataBytes]));
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(f).close());
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains(expect), e.getMessage());
    }

    @Test void rejectsMalformedHeaders() throws IOException {
        fails("{\"w\": {\"dtype\": \"F32\", \"shape\": [2, 3], \"data_offsets\": [0, 24]}}", 20, "outside the data section");
        fails("{\"w\": {\"dtype\": \"F32\", \"shape\": [2, 3], \"data_offsets\": [0, 20]}}", 24, "needs 24 bytes");
        fails("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}, \"v\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [2, 6]}}", 8, "overlap");
        fails("{\"w\": {\"dtype\": \"Q9\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 4, "unknown dtype");
        fails("{\"w\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", 4, "invalid dimension");
        fails("{\"w\": {\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296, 4294967296], \"data_offsets\": [0, 4]}}", 4, "overflows");
        fails("{\"w\": ", 4, "not valid JSON");
        fails("[1, 2]", 4, "not a JSON object");
        Path f = tmp.resolve("short.safetensors");
        Files.write(f, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 0, 0, 0, '{', '}'});
        assertTrue(assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(f)).getMessage().contains("header length"));
        Files.write(f, new byte[] {1, 2, 3});
        assertTrue(assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(f)).getMessage().contains("too short"));
    }

    @Test void readsLlamaConfigWithDefaults() throws IOException {
        ObjectNode c = JSON.createObjectNode();
        c.put("model_type", "llama").putArray("architectures").add("LlamaForCausalLM");
        c.put("hidden_size", 2048).put("intermediate_size", 8192).put("num_hidden_layers", 16)
         .put("num_attention_heads", 32).put("num_key_value_heads", 8).put("vocab_size", 128256)
         .put("max_position_embeddings", 131072).put("rms_norm_eps", 1e-5).put("rope_theta", 500000.0)
         .put("tie_word_embeddings", true).put("bos_token_id", 128000).put("torch_dtype", "bfloat16");
        c.putArray("eos_token_id").add(128001).add(128008).add(128009);
        c.putObject("rope_scaling").put("rope_type", "llama3").put("factor", 32.0);
        Path f = tmp.resolve("config.json");
        Files.writeString(f, c.toString());
        HfLlamaConfig h = HfLlamaConfig.read(f);
        assertEquals(2048, h.hiddenSize()); assertEquals(8, h.numKeyValueHeads()); assertEquals(64, h.headDim());
        assertEquals(500000.0, h.ropeTheta()); assertEquals(1e-5, h.rmsNormEps()); assertTrue(h.tieWordEmbeddings());
        assertEquals(List.of(128001, 128008, 128009), h.eosTokenIds()); assertEquals(128000, h.bosTokenId());
        assertTrue(h.ropeScaling().contains("llama3"));

        Files.writeString(f, "{\"hidden_size\": 64, \"intermediate_size\": 172, \"num_hidden_layers\": 5, \"num_attention_heads\": 8, \"vocab_size\": 512, \"eos_token_id\": 2}");
        h = HfLlamaConfig.read(f);
        assertEquals(8, h.numKeyValueHeads()); assertEquals(8, h.headDim()); assertEquals(10000.0, h.ropeTheta());
        assertFalse(h.tieWordEmbeddings()); assertEquals(List.of(2), h.eosTokenIds());

        Files.writeString(f, "{\"hidden_size\": 64, \"num_hidden_layers\": 5, \"num_attention_heads\": 8, \"vocab_size\": 512}");
        assertTrue(assertThrows(SafetensorsFormatException.class, () -> HfLlamaConfig.read(f)).getMessage().contains("intermediate_size"));
        Files.writeString(f, "{\"hidden_size\": 64, \"intermediate_size\": 172, \"num_hidden_layers\": 5, \"num_attention_heads\": 8, \"num_key_value_heads\": 3, \"vocab_size\": 512}");
        assertTrue(assertThrows(SafetensorsFormatException.class, () -> HfLlamaConfig.read(f)).getMessage().contains("multiple"));
    }
}
