package dev.quant4j.report;

import java.util.List;

/**
 * What the page's script draws for one chart, computed in Java so the script stays a thin layer over uPlot.
 *
 * @param kind       "bars" (categories, whiskers from low/high), "pareto" (x/y scatter with the front) or
 *                   "histogram" (bins with grid lines)
 * @param categories bar labels ("bars"), or the x-value labels shown in the legend
 * @param x          x values ("pareto", "histogram")
 * @param marks      vertical grid lines ("histogram")
 * @param clip       vertical clip bounds ("histogram")
 * @param bound      a horizontal line, e.g. the --max-drop bound ("pareto")
 */
record ChartSpec(String id, String kind, String title, String xLabel, String yLabel, List<String> categories,
                 List<Double> x, List<Series> series, List<Double> marks, List<Double> clip, Double bound) {

    /**
     * @param y      one value per category or x; null where absent
     * @param low    whisker bottoms, or null for no whiskers
     * @param colors one fill colour per bar, or null for the series colour
     * @param style  "bar" (from zero), "dot" (a value and its interval on a zoomed axis), "points", "line" (the
     *               Pareto front) or "highlight" (the chosen candidate)
     */
    record Series(String label, String style, String color, List<Double> y, List<Double> low, List<Double> high,
                  List<String> colors) {}
}
