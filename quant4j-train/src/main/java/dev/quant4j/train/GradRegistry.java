package dev.quant4j.train;

import dev.quant4j.graph.Node;
import dev.quant4j.train.grad.ActivationGrad;
import dev.quant4j.train.grad.BatchNormGrad;
import dev.quant4j.train.grad.ConvGrad;
import dev.quant4j.train.grad.ElementwiseGrad;
import dev.quant4j.train.grad.IndexGrad;
import dev.quant4j.train.grad.NormGrad;
import dev.quant4j.train.grad.MatMulGrad;
import dev.quant4j.train.grad.PoolGrad;
import dev.quant4j.train.grad.QdqGrad;
import dev.quant4j.train.grad.ShapeGrad;
import dev.quant4j.train.grad.SoftmaxGrad;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Backward rules keyed like the runtime's OpRegistry: (domain, op type). */
public final class GradRegistry {
    private final Map<String, GradRule> rules = new TreeMap<>();

    public GradRegistry register(String opType, GradRule rule) {
        rules.put(opType, rule);
        return this;
    }

    public GradRegistry register(String domain, String opType, GradRule rule) {
        rules.put(key(domain, opType), rule);
        return this;
    }

    /** The rule for {@code node}; throws naming the node when the operator has no backward. */
    public GradRule find(Node node) {
        GradRule r = rules.get(key(node.isOnnxDomain() ? "" : node.domain(), node.opType()));
        if (r == null) throw new IllegalArgumentException(node.label() + ": operator " + node.opType() + " has no backward rule in quant4j-train");
        return r;
    }

    public Set<String> claimed() { return Collections.unmodifiableSet(rules.keySet()); }

    private static String key(String domain, String opType) {
        return domain == null || domain.isEmpty() || domain.equals("ai.onnx") ? opType : domain + "." + opType;
    }

    private static final GradRegistry STANDARD = registerAll(new GradRegistry());

    /** Every backward rule quant4j-train has (shared; do not register into it). */
    public static GradRegistry standard() { return STANDARD; }

    public static GradRegistry registerAll(GradRegistry r) {
        ConvGrad.register(r);
        MatMulGrad.register(r);
        ElementwiseGrad.register(r);
        ActivationGrad.register(r);
        SoftmaxGrad.register(r);
        BatchNormGrad.register(r);
        PoolGrad.register(r);
        ShapeGrad.register(r);
        NormGrad.register(r);
        IndexGrad.register(r);
        QdqGrad.register(r);
        return r;
    }
}
