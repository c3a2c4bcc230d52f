package dev.quant4j.tune.auto;

import dev.quant4j.quantize.Precision;
import java.util.List;

/**
 * One step of the automatic search: the plan change tried, what was measured, whether it met the
 * bound, whether the search took it as its current plan, and why.
 *
 * @param index       0 is the fp32 reference
 * @param from        the step whose plan this one changed (-1 for the reference)
 * @param action      what the step tried, e.g. "revert the 4 most harmful layers to fp32"
 * @param changes     the nodes whose precision differs from the plan the step started from
 * @param measurement the candidate as measured on the held-out data
 * @param meets       whether the measured drop is within the bound
 * @param accepted    whether the search continued from this candidate
 * @param reason      the bound check and the objective comparison
 */
public record SearchStep(int index, int from, String action, List<Change> changes, Measurement measurement,
                         boolean meets, boolean accepted, String reason) {
    public SearchStep { changes = List.copyOf(changes); }

    /** One node's precision change. */
    public record Change(String node, Precision from, Precision to) {}
}
