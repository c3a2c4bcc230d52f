package dev.quant4j.runtime.ops;

import java.util.List;

/**
 * One activation function of a recurrent cell (the "activations" attribute of RNN, GRU and LSTM),
 * with its alpha and beta. Functions that take parameters take them in order from
 * activation_alpha and activation_beta; a missing one takes its default.
 */
record RnnActivation(Kind kind, float alpha, float beta) {

    enum Kind { SIGMOID, TANH, RELU, AFFINE, LEAKY_RELU, THRESHOLDED_RELU, SCALED_TANH, HARD_SIGMOID, ELU, SOFTSIGN, SOFTPLUS }

    float apply(float x) {
        return switch (kind) {
            case SIGMOID -> ElementwiseOps.sigmoid(x);
            case TANH -> (float) Math.tanh(x);
            case RELU -> Math.max(x, 0f);
            case AFFINE -> alpha * x + beta;
            case LEAKY_RELU -> x >= 0 ? x : alpha * x;
            case THRESHOLDED_RELU -> x > alpha ? x : 0f;
            case SCALED_TANH -> alpha * (float) Math.tanh(beta * x);
            case HARD_SIGMOID -> Math.max(0f, Math.min(1f, alpha * x + beta));
            case ELU -> x >= 0 ? x : alpha * (float) Math.expm1(x);
            case SOFTSIGN -> x / (1 + Math.abs(x));
            case SOFTPLUS -> (float) (x > 20 ? x : Math.log1p(Math.exp(x)));
        };
    }

    /**
     * The activations of every direction: {@code names} (null for the defaults), repeated per
     * direction when only one direction's worth is given.
     */
    static RnnActivation[] parse(List<String> names, float[] alphas, float[] betas, List<String> defaults, int directions) {
        List<String> list = names == null || names.isEmpty() ? defaults : names;
        int per = defaults.size();
        if (list.size() != per && list.size() != per * directions)
            throw new IllegalArgumentException("expected " + per + " or " + per * directions + " activations, got " + list);
        RnnActivation[] out = new RnnActivation[per * directions];
        int ai = 0, bi = 0;
        for (int i = 0; i < out.length; i++) {
            String name = list.get(i % list.size());
            Kind k = kind(name);
            float da = switch (k) { case LEAKY_RELU -> 0.01f; case HARD_SIGMOID -> 0.2f; default -> 1f; };
            float db = switch (k) { case HARD_SIGMOID -> 0.5f; case SCALED_TANH -> 1f; default -> 0f; };
            boolean usesAlpha = switch (k) { case AFFINE, LEAKY_RELU, THRESHOLDED_RELU, SCALED_TANH, HARD_SIGMOID, ELU -> true; default -> false; };
            boolean usesBeta = switch (k) { case AFFINE, SCALED_TANH, HARD_SIGMOID -> true; default -> false; };
            float a = usesAlpha && alphas != null && ai < alphas.length && i < list.size() ? alphas[ai++] : da;
            float b = usesBeta && betas != null && bi < betas.length && i < list.size() ? betas[bi++] : db;
            out[i] = new RnnActivation(k, a, b);
        }
        // A list given for one direction serves the other too, with the same parameters.
        if (list.size() < out.length) for (int i = list.size(); i < out.length; i++) out[i] = out[i % list.size()];
        return out;
    }

    private static Kind kind(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "sigmoid" -> Kind.SIGMOID;
            case "tanh" -> Kind.TANH;
            case "relu" -> Kind.RELU;
            case "affine" -> Kind.AFFINE;
            case "leakyrelu" -> Kind.LEAKY_RELU;
            case "thresholdedrelu" -> Kind.THRESHOLDED_RELU;
            case "scaledtanh" -> Kind.SCALED_TANH;
            case "hardsigmoid" -> Kind.HARD_SIGMOID;
            case "elu" -> Kind.ELU;
            case "softsign" -> Kind.SOFTSIGN;
            case "softplus" -> Kind.SOFTPLUS;
            default -> throw new IllegalArgumentException("unknown activation '" + name + "'");
        };
    }
}
