package dev.quant4j.tune;

/**
 * What a task measures.
 *
 * @param name           e.g. "top-1 accuracy", "CER", "mean cosine to fp32"
 * @param unit           how to read values, e.g. "fraction", "dB"
 * @param higherIsBetter true for accuracy, AUC, cosine; false for error rates and KL divergence
 */
public record Metric(String name, String unit, boolean higherIsBetter) {

    /** How much worse {@code candidate} is than {@code reference}: positive means worse, whichever the direction. */
    public double drop(double reference, double candidate) {
        return higherIsBetter ? reference - candidate : candidate - reference;
    }
}
