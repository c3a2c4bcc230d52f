package dev.quant4j.tune.auto;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The candidates no other candidate beats on both axes: lower cost (bytes or milliseconds) and lower
 * metric drop. Sorted by cost, so the drop falls along the list.
 */
public final class ParetoFront {
    private ParetoFront() {}

    /** One point of a front. */
    public record Point(int step, double cost, double drop, boolean meets) {}

    public static List<Point> of(List<SearchStep> steps, ToDoubleFunction<Measurement> cost) {
        List<Point> all = new ArrayList<>();
        for (SearchStep s : steps) all.add(new Point(s.index(), cost.applyAsDouble(s.measurement()), s.measurement().drop().value(), s.meets()));
        all.sort(Comparator.comparingDouble(Point::cost).thenComparingDouble(Point::drop));
        List<Point> front = new ArrayList<>();
        double bestDrop = Double.POSITIVE_INFINITY;
        for (Point p : all) {
            if (p.drop() < bestDrop) { front.add(p); bestDrop = p.drop(); }   // cheaper points came first
        }
        return front;
    }
}
