package dev.quant4j.llm.quantize;

import dev.quant4j.llm.quant.GgmlType;
import java.util.List;

/**
 * @param defaultType type of every matrix no rule matches
 * @param rules {@code REGEX=TYPE} rules, first match wins, before any default
 * @param keepEmbeddingsHigher store token_embd/output in {@code embeddingsType} when no rule names them
 *        and the default type has fewer bits
 * @param embeddingsType the higher type for embeddings and classifier
 * @param method rounding method
 * @param awq apply AWQ-style scaling (folded into RMSNorms) before rounding
 * @param gptqDamp GPTQ's relative damping
 */
public record QuantizeOptions(GgmlType defaultType, List<TypeRule> rules, boolean keepEmbeddingsHigher, GgmlType embeddingsType,
                              Method method, boolean awq, double gptqDamp) {
    public QuantizeOptions {
        rules = List.copyOf(rules);
    }

    public static QuantizeOptions of(GgmlType type, Method method) {
        return new QuantizeOptions(type, List.of(), true, GgmlType.Q8_0, method, false, 0.01);
    }

    public QuantizeOptions withAwq(boolean on) {
        return new QuantizeOptions(defaultType, rules, keepEmbeddingsHigher, embeddingsType, method, on, gptqDamp);
    }

    public QuantizeOptions withRules(List<TypeRule> r) {
        return new QuantizeOptions(defaultType, r, keepEmbeddingsHigher, embeddingsType, method, awq, gptqDamp);
    }
}
