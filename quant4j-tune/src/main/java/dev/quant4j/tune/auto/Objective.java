package dev.quant4j.tune.auto;

/** What automatic precision minimises among the plans that meet the metric bound. */
public enum Objective {
    /** Bytes of the written model (ties: lower latency). */
    SMALLEST,
    /** Measured latency of the whole model on the target engine (ties: fewer bytes). */
    FASTEST
}
