package dev.quant4j.quantize;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The precisions a policy can ask for a node, named in policy files as {@link #id()} (e.g. "int4-weight"). */
public enum Precision {
    FP32("fp32"),
    FP16("fp16"),
    BF16("bf16"),
    INT8_DYNAMIC("int8-dynamic"),
    INT8_STATIC("int8-static"),
    INT8_WEIGHT("int8-weight"),
    INT4_WEIGHT("int4-weight");

    private final String id;

    Precision(String id) { this.id = id; }

    @JsonValue
    public String id() { return id; }

    @JsonCreator
    public static Precision parse(String id) {
        for (Precision p : values()) if (p.id.equalsIgnoreCase(id) || p.name().equalsIgnoreCase(id)) return p;
        throw new IllegalArgumentException("unknown precision '" + id + "'; known: "
                + java.util.Arrays.stream(values()).map(Precision::id).toList());
    }
}
