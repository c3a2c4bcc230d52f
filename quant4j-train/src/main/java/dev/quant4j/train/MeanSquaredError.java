package dev.quant4j.train;

/** Mean squared error ½·mean((y − t)²)·2 = mean((y − t)²); gradient 2(y − t)/count. */
public final class MeanSquaredError {
    private MeanSquaredError() {}

    public record Result(double loss, float[] grad) {}

    public static Result of(float[] y, float[] target) {
        if (y.length != target.length) throw new IllegalArgumentException(y.length + " outputs for " + target.length + " targets");
        double s = 0;
        float[] g = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            double d = y[i] - (double) target[i];
            s += d * d;
            g[i] = (float) (2 * d / y.length);
        }
        return new Result(s / y.length, g);
    }
}
