package dev.quant4j.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TensorAgreementTest {

    @Test
    void byHand() {
        TensorAgreement t = new TensorAgreement();
        t.add(new float[] {1, 2, 3}, new float[] {1, 2, 4});   // err 1, signal 14
        t.add(new float[] {0, 4}, new float[] {0, 2});         // err 4, signal 16
        assertEquals(5.0 / 5, t.mse().value(), 1e-15);
        assertEquals(10 * Math.log10(30.0 / 5), t.sqnrDb().value(), 1e-12);
        double cos1 = (1 + 4 + 12) / (Math.sqrt(14) * Math.sqrt(21));
        assertEquals((cos1 + 1.0) / 2, t.cosineSimilarity().value(), 1e-15);
        assertEquals(-1.0, TensorAgreement.cosine(new float[] {1, 0}, new float[] {-2, 0}), 1e-15);
        assertEquals(0.0, TensorAgreement.cosine(new float[] {1, 0}, new float[] {0, 0}));
        assertThrows(IllegalArgumentException.class, () -> t.add(new float[2], new float[3]));
    }

    /** Against a float64 reference over all elements of all samples, and a known noise level. */
    @Test
    void sqnrOfKnownNoise() {
        SplittableRandom rng = new SplittableRandom(6);
        TensorAgreement t = new TensorAgreement();
        double sig = 0, err = 0, n = 0;
        for (int s = 0; s < 200; s++) {
            float[] ref = new float[64], cand = new float[64];
            for (int i = 0; i < 64; i++) {
                ref[i] = (float) rng.nextGaussian();                    // power 1
                cand[i] = ref[i] + (float) (rng.nextGaussian() * 0.1);  // noise power 0.01 -> 20 dB
                sig += (double) ref[i] * ref[i];
                err += ((double) ref[i] - cand[i]) * ((double) ref[i] - cand[i]);
                n++;
            }
            t.add(ref, cand);
        }
        assertEquals(err / n, t.mse().value(), 1e-15);
        assertEquals(10 * Math.log10(sig / err), t.sqnrDb().value(), 1e-12);
        MetricResult r = Bootstrap.of(4).percentile(t.sqnrDb());
        assertTrue(r.covers(20.0), r.toString());
        assertTrue(r.width() < 0.5, r.toString());
    }
}
