package dev.quant4j.llm.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Llama-family fields of a Hugging Face {@code config.json} (LlamaForCausalLM, Mistral, Qwen2
 * and similar decoders), with the defaults Hugging Face applies when a field is absent:
 * num_key_value_heads = num_attention_heads, head_dim = hidden_size / num_attention_heads,
 * rope_theta = 10000, rms_norm_eps = 1e-6, tie_word_embeddings = false.
 *
 * <p>Note for whoever loads the weights: Hugging Face stores q_proj/k_proj with the rotary
 * halves de-interleaved (rotate_half convention), unlike GGUF and llama2.c.
 *
 * @param eosTokenIds all end-of-sequence ids ({@code eos_token_id} may be a number or a list)
 * @param ropeScaling the {@code rope_scaling} object as JSON text, or null
 */
public record HfLlamaConfig(
        String modelType, List<String> architectures,
        int hiddenSize, int intermediateSize, int numHiddenLayers, int numAttentionHeads, int numKeyValueHeads,
        int headDim, int vocabSize, int maxPositionEmbeddings, double rmsNormEps, double ropeTheta,
        boolean tieWordEmbeddings, Integer bosTokenId, List<Integer> eosTokenIds, String torchDtype, String ropeScaling) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public HfLlamaConfig {
        architectures = List.copyOf(architectures);
        eosTokenIds = List.copyOf(eosTokenIds);
    }

    /** Reads and checks {@code config.json}; problems are reported naming the file and the field. */
    public static HfLlamaConfig read(Path file) {
        String text;
        try {
            if (Files.size(file) > (16 << 20)) throw new SafetensorsFormatException(file, "config.json larger than 16 MB");
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SafetensorsFormatException(file, "not valid JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) throw new SafetensorsFormatException(file, "not a JSON object");
        int hidden = positive(file, n, "hidden_size", null);
        int heads = positive(file, n, "num_attention_heads", null);
        int kv = positive(file, n, "num_key_value_heads", heads);
        if (heads % kv != 0) throw new SafetensorsFormatException(file, "num_attention_heads " + heads + " is not a multiple of num_key_value_heads " + kv);
        Integer hdDefault = hidden % heads == 0 ? hidden / heads : null;
        int headDim = positive(file, n, "head_dim", hdDefault);
        List<String> arch = new ArrayList<>();
        if (n.path("architectures").isArray()) n.get("architectures").forEach(a -> arch.add(a.asText()));
        List<Integer> eos = new ArrayList<>();
        JsonNode e = n.get("eos_token_id");
        if (e != null && e.isIntegralNumber()) eos.add(e.intValue());
        else if (e != null && e.isArray()) e.forEach(x -> {
            if (!x.isIntegralNumber()) throw new SafetensorsFormatException(file, "eos_token_id holds a non-integer " + x);
            eos.add(x.intValue());
        });
        JsonNode bos = n.get("bos_token_id");
        JsonNode rs = n.get("rope_scaling");
        return new HfLlamaConfig(
                n.path("model_type").asText(""), arch,
                hidden, positive(file, n, "intermediate_size", null), positive(file, n, "num_hidden_layers", null), heads, kv,
                headDim, positive(file, n, "vocab_size", null), positive(file, n, "max_position_embeddings", 2048),
                number(file, n, "rms_norm_eps", 1e-6), number(file, n, "rope_theta", 10000.0),
                n.path("tie_word_embeddings").asBoolean(false),
                bos != null && bos.isIntegralNumber() ? bos.intValue() : null, eos,
                n.path("torch_dtype").isTextual() ? n.get("torch_dtype").textValue() : null,
                rs == null || rs.isNull() ? null : rs.toString());
    }

    private static int positive(Path file, JsonNode n, String field, Integer dflt) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (dflt == null) throw new SafetensorsFormatException(file, "missing required field " + field);
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() <= 0)
            throw new SafetensorsFormatException(file, field + " must be a positive integer, is " + v);
        return v.intValue();
    }

    private static double number(Path file, JsonNode n, String field, double dflt) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) return dflt;
        if (!v.isNumber() || !(v.doubleValue() > 0) || Double.isInfinite(v.doubleValue()))
            throw new SafetensorsFormatException(file, field + " must be a positive number, is " + v);
        return v.doubleValue();
    }
}
