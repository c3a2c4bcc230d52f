package dev.quant4j.llm.model;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.llm.llama2c.Llama2cCheckpoint;
import dev.quant4j.llm.safetensors.HfLlamaConfig;
import dev.quant4j.llm.safetensors.SafetensorsFile;
import dev.quant4j.testkit.TestData;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlamaSafetensorsTest {

    /** stories260K's weights in Hugging Face's layout: HF names, q/k rows in rotate-half order per head. */
    static Map<String, float[]> toHf(Map<String, float[]> t, LlamaConfig c) {
        Map<String, float[]> hf = new LinkedHashMap<>();
        hf.put("model.embed_tokens.weight", t.get("token_embd.weight"));
        hf.put("model.norm.weight", t.get("output_norm.weight"));
        for (int l = 0; l < c.nLayers(); l++) {
            String p = "blk." + l + ".", h = "model.layers." + l + ".";
            hf.put(h + "input_layernorm.weight", t.get(p + "attn_norm.weight"));
            hf.put(h + "post_attention_layernorm.weight", t.get(p + "ffn_norm.weight"));
            hf.put(h + "self_attn.q_proj.weight", halves(t.get(p + "attn_q.weight"), c.headSize(), c.dim()));
            hf.put(h + "self_attn.k_proj.weight", halves(t.get(p + "attn_k.weight"), c.headSize(), c.dim()));
            hf.put(h + "self_attn.v_proj.weight", t.get(p + "attn_v.weight"));
            hf.put(h + "self_attn.o_proj.weight", t.get(p + "attn_output.weight"));
            hf.put(h + "mlp.gate_proj.weight", t.get(p + "ffn_gate.weight"));
            hf.put(h + "mlp.up_proj.weight", t.get(p + "ffn_up.weight"));
            hf.put(h + "mlp.down_proj.weight", t.get(p + "ffn_down.weight"));
        }
        return hf;
    }

    /** Row 2i + j of a head (interleaved pairs) goes to row j·head/2 + i (real parts first, then imaginary). */
    static float[] halves(float[] w, int hs, int cols) {
        float[] o = new float[w.length];
        int rows = w.length / cols;
        for (int h = 0; h < rows / hs; h++)
            for (int i = 0; i < hs / 2; i++)
                for (int j = 0; j < 2; j++)
                    System.arraycopy(w, (h * hs + 2 * i + j) * cols, o, (h * hs + j * hs / 2 + i) * cols, cols);
        return o;
    }

    static void writeSafetensors(Path f, Map<String, float[]> t, Map<String, int[]> shapes) throws Exception {
        StringBuilder json = new StringBuilder("{");
        long off = 0;
        for (var e : t.entrySet()) {
            int[] s = shapes.get(e.getKey());
            if (json.length() > 1) json.append(',');
            json.append('"').append(e.getKey()).append("\":{\"dtype\":\"F32\",\"shape\":[").append(s[0]);
            if (s.length > 1) json.append(',').append(s[1]);
            json.append("],\"data_offsets\":[").append(off).append(',').append(off + 4L * e.getValue().length).append("]}");
            off += 4L * e.getValue().length;
        }
        json.append('}');
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
        out.write(header);
        for (float[] v : t.values()) {
            ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float x : v) b.putFloat(x);
            out.write(b.array());
        }
        Files.write(f, out.toByteArray());
    }

    @Test
    void huggingFaceLayoutGivesTheSameLogits(@TempDir Path dir) throws Exception {
        try (Llama2cCheckpoint ck = Llama2cCheckpoint.open(TestData.require("llm/stories260K.bin"))) {
            LlamaConfig c = ck.config();
            Map<String, float[]> ours = ck.toArrays();
            Map<String, float[]> hf = toHf(ours, c);

            // Independent check of the layout itself: HF's rotate-half RoPE on HF weights = llama2.c's on the originals.
            Map<String, float[]> hfUnderOurNames = new LinkedHashMap<>(ours);
            for (int l = 0; l < c.nLayers(); l++) {
                hfUnderOurNames.put("blk." + l + ".attn_q.weight", hf.get("model.layers." + l + ".self_attn.q_proj.weight"));
                hfUnderOurNames.put("blk." + l + ".attn_k.weight", hf.get("model.layers." + l + ".self_attn.k_proj.weight"));
            }
            ReferenceForward a = new ReferenceForward(c, ours), b = new ReferenceForward(c, hfUnderOurNames, true);
            for (int i = 0; i < 12; i++) {
                double[] x = a.forward(i * 41 % 512, i), y = b.forward(i * 41 % 512, i);
                for (int j = 0; j < x.length; j++) assertEquals(x[j], y[j], 1e-9 * (1 + Math.abs(x[j])));
            }

            Map<String, int[]> shapes = new LinkedHashMap<>();
            hf.forEach((k, v) -> {
                int cols = k.contains("down_proj") ? c.hiddenDim() : c.dim();
                shapes.put(k, k.endsWith("norm.weight") ? new int[] {v.length} : new int[] {v.length / cols, cols});
            });
            Path st = dir.resolve("model.safetensors"), cfg = dir.resolve("config.json");
            writeSafetensors(st, hf, shapes);
            Files.writeString(cfg, """
                    {"architectures":["LlamaForCausalLM"],"model_type":"llama","hidden_size":64,"intermediate_size":172,
                     "num_hidden_layers":5,"num_attention_heads":8,"num_key_value_heads":4,"vocab_size":512,
                     "max_position_embeddings":512,"rms_norm_eps":1e-5,"rope_theta":10000.0,"tie_word_embeddings":true}""");
            try (SafetensorsFile f = SafetensorsFile.open(st); Arena arena = Arena.ofConfined()) {
                LlamaModel m = LlamaSafetensors.load(List.of(f), HfLlamaConfig.read(cfg), arena);
                assertEquals(c, m.config());
                assertTrue(m.tiedClassifier());
                Forward x = new Forward(LlamaModel.fromLlama2c(ck), 1), y = new Forward(m, 1);
                // Same weights; the fp32 kernels may sum in another order for differently aligned data, and this small
                // model amplifies rounding, so the bound is the one the forward meets against float64.
                for (int i = 0; i < 12; i++) {
                    float[] p = x.forward(i * 41 % 512, i).clone(), q = y.forward(i * 41 % 512, i);
                    double err = 0, scale = 0;
                    for (int j = 0; j < p.length; j++) { err = Math.max(err, Math.abs(p[j] - q[j])); scale = Math.max(scale, Math.abs(p[j])); }
                    assertTrue(err / scale < 1e-4, "position " + i + ": relative difference " + err / scale);
                }
            }
        }
    }
}
