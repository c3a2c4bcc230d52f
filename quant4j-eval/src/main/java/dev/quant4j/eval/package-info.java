/**
 * Task metrics with confidence intervals, and paired comparisons of two models on the same samples.
 *
 * <p>Every metric is kept as per-sample records, never as the model outputs: a mean of per-sample
 * values (accuracy, cosine similarity), a ratio of sums (CER = sum of edits / sum of reference
 * lengths, MSE, mean KL, perplexity = exp of NLL per token), or a rank statistic (ROC AUC). Each is
 * a {@link dev.quant4j.eval.SampleStatistic}, which evaluates the metric on a resample given as
 * per-sample counts. So one {@link dev.quant4j.eval.Bootstrap} serves all metrics, and a paired
 * comparison applies the same resample to both models, which cancels the variation they share.
 *
 * <pre>
 *   outputs ──accumulator.add()──▶ per-sample records ──statistic()──▶ SampleStatistic
 *                                                                         │
 *            Bootstrap(seed).percentile / bca / pairedDifference ◀────────┘
 *                                  │
 *                                  ▼
 *            MetricResult(value, ciLow, ciHigh, n, method)   PairedComparison(a, b, a-b, McNemar)
 * </pre>
 */
package dev.quant4j.eval;
