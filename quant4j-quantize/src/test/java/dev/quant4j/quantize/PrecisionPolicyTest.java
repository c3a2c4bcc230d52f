package dev.quant4j.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.graph.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrecisionPolicyTest {
    private static Node node(String name, String op) { return Node.of(op, name, List.of("a", "b"), List.of(name + "_out")); }

    private static final String JSON = """
            {"default": "int8-dynamic",
             "rules": [{"opType": "MatMul", "precision": "int4-weight"},
                       {"nameRegex": ".*attention.*", "precision": "fp16"},
                       {"node": "/layer.0/attention/self/query/MatMul", "precision": "fp32"},
                       {"opType": "MatMul", "precision": "int8-weight"}]}
            """;

    @Test
    void mostSpecificRuleWinsAndTheReasonNamesIt() {
        PrecisionPolicy p = PrecisionPolicy.parse(JSON);
        assertEquals(new PrecisionPolicy.Decision(Precision.FP32, "rule 2 (node '/layer.0/attention/self/query/MatMul')"),
                p.decide(node("/layer.0/attention/self/query/MatMul", "MatMul")));
        assertEquals(new PrecisionPolicy.Decision(Precision.FP16, "rule 1 (name matches /.*attention.*/)"),
                p.decide(node("/layer.1/attention/self/key/MatMul", "MatMul")));
        // two op-type rules: the first listed wins
        assertEquals(new PrecisionPolicy.Decision(Precision.INT4_WEIGHT, "rule 0 (op type MatMul)"), p.decide(node("/ffn/MatMul", "MatMul")));
        assertEquals(new PrecisionPolicy.Decision(Precision.INT8_DYNAMIC, "policy default"), p.decide(node("g", "Gemm")));
    }

    @Test
    void roundTripsThroughJson() {
        PrecisionPolicy p = PrecisionPolicy.parse(JSON);
        assertEquals(p, PrecisionPolicy.parse(p.toJson()));
        assertTrue(p.toJson().contains("\"int4-weight\""), p.toJson());
    }

    @Test
    void badPoliciesAreRefusedWithTheProblemNamed(@TempDir Path dir) throws IOException {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PrecisionPolicy.parse("{\"default\": \"int3\"}"))
                .getMessage().contains("unknown precision 'int3'"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> PrecisionPolicy.parse("{\"rules\": [{\"node\": \"a\", \"opType\": \"MatMul\", \"precision\": \"fp16\"}]}"))
                .getMessage().contains("exactly one of node, opType, nameRegex"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> PrecisionPolicy.parse("{\"rules\": [{\"nameRegex\": \"(\", \"precision\": \"fp16\"}]}"))
                .getMessage().contains("Unclosed group"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PrecisionPolicy.parse("{\"defualt\": \"fp16\"}"))
                .getMessage().contains("defualt"));
        Path f = dir.resolve("policy.json");
        Files.writeString(f, "{\"rules\": [{\"opType\": \"Conv\"}]}");
        IOException e = assertThrows(IOException.class, () -> PrecisionPolicy.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("without a precision"), e.getMessage());
    }

    @Test
    void noRulesMeansFp32() {
        assertEquals(Precision.FP32, PrecisionPolicy.parse("{}").decide(node("x", "Conv")).precision());
    }

    private static final String YAML = """
            # the JSON policy above, written as a YAML file
            default: int8-dynamic
            rules:
              - {opType: MatMul, precision: int4-weight}
              - nameRegex: ".*attention.*"
                precision: fp16
              - node: /layer.0/attention/self/query/MatMul
                precision: fp32
              - {opType: MatMul, precision: int8-weight}
            """;

    @Test
    void yamlPolicyIsTheSamePolicyAsItsJsonTwin(@TempDir Path dir) throws IOException {
        assertEquals(PrecisionPolicy.parse(JSON), PrecisionPolicy.parseYaml(YAML));
        Path f = dir.resolve("policy.yaml");
        Files.writeString(f, YAML);
        PrecisionPolicy p = PrecisionPolicy.read(f);
        assertEquals(new PrecisionPolicy.Decision(Precision.FP16, "rule 1 (name matches /.*attention.*/)"),
                p.decide(node("/layer.1/attention/self/key/MatMul", "MatMul")));
        assertEquals(p, PrecisionPolicy.parseYaml(p.toYaml()));
    }

    @Test
    void badYamlNamesTheFileAndTheProblem(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("policy.yml");
        Files.writeString(f, "default: int3\n");
        IOException e = assertThrows(IOException.class, () -> PrecisionPolicy.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("unknown precision 'int3'"), e.getMessage());
        Files.writeString(f, "rules: [{opType: Conv, precision: fp16\n");
        e = assertThrows(IOException.class, () -> PrecisionPolicy.read(f));
        assertTrue(e.getMessage().startsWith(f.toString() + ": bad precision policy"), e.getMessage());
        Files.writeString(f, "");
        e = assertThrows(IOException.class, () -> PrecisionPolicy.read(f));
        assertTrue(e.getMessage().contains("end-of-input") || e.getMessage().contains("empty"), e.getMessage());
    }
}
