package dev.quant4j.llm.quantize;

/** How the weights are rounded onto a type's grid. */
public enum Method {
    /** Round to nearest, scales from each block's range. */
    RTN,
    /** Scales chosen to minimise Σ E[x_j²]·(w − ŵ)², E[x_j²] from calibration. */
    IMPORTANCE,
    /** GPTQ error compensation with the calibration Hessian (block scales importance-weighted). */
    GPTQ
}
