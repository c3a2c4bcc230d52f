package dev.quant4j.llm.bench;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.llm.llama2c.Llama2cCheckpoint;
import dev.quant4j.llm.model.LlamaModel;
import dev.quant4j.llm.quant.GgmlType;
import dev.quant4j.llm.quantize.Method;
import dev.quant4j.testkit.TestData;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The expected ordering of the quality figures, on a smaller held-out set than {@link QualityFigures#main}. */
class QualityOrderingTest {

    @Test
    void q8IsCloseAndGptqAndImportanceBeatRoundToNearestAt4Bits() throws IOException {
        try (Llama2cCheckpoint ck = Llama2cCheckpoint.open(TestData.require("llm/stories260K.bin"))) {
            LlamaModel fp32 = LlamaModel.fromLlama2c(ck);
            List<QualityFigures.Row> rows = QualityFigures.run(fp32, 10, 96, 8, 2, false, GgmlType.Q8_0, GgmlType.Q4_K, GgmlType.Q4_0);
            rows.forEach(r -> System.out.printf("%s %s KL %.5f ± %.5f top-1 %.3f ppl %.3f (fp32 %.3f)%n", r.type(), r.method(),
                    r.m().klMean(), r.m().klStdErr(), r.m().top1(), r.m().pplCandidate(), r.m().pplReference()));
            double q8 = kl(rows, GgmlType.Q8_0, Method.RTN), q4 = kl(rows, GgmlType.Q4_0, Method.RTN);
            assertTrue(q8 < 0.05 && q8 < q4 / 20, "Q8_0 KL " + q8 + " vs Q4_0 " + q4);
            assertTrue(top1(rows, GgmlType.Q8_0, Method.RTN) > 0.8);
            for (GgmlType t : new GgmlType[] {GgmlType.Q4_0, GgmlType.Q4_K}) {
                double rtn = kl(rows, t, Method.RTN);
                assertTrue(kl(rows, t, Method.GPTQ) < 0.85 * rtn, t + ": GPTQ " + kl(rows, t, Method.GPTQ) + " vs RTN " + rtn);
                assertTrue(kl(rows, t, Method.IMPORTANCE) < rtn, t + ": importance-weighted " + kl(rows, t, Method.IMPORTANCE) + " vs RTN " + rtn);
            }
            assertTrue(kl(rows, GgmlType.Q4_0, Method.IMPORTANCE) < 0.97 * q4);
        }
    }

    static double kl(List<QualityFigures.Row> rows, GgmlType t, Method m) { return row(rows, t, m).m().klMean(); }

    static double top1(List<QualityFigures.Row> rows, GgmlType t, Method m) { return row(rows, t, m).m().top1(); }

    static QualityFigures.Row row(List<QualityFigures.Row> rows, GgmlType t, Method m) {
        return rows.stream().filter(r -> r.type() == t && r.method() == m && !r.awq()).findFirst().orElseThrow();
    }
}
