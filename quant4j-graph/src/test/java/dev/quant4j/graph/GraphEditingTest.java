package dev.quant4j.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quant4j.core.DataType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mutation API passes use: splicing Q/DQ pairs, renaming, sorting, dead-node elimination, liveness. */
class GraphEditingTest {
    /** x -> Relu -> a -> MatMul(w) -> y ; a -> Sigmoid -> unused. */
    static Graph small() {
        Graph g = new Graph("g");
        g.inputs().add(ValueInfo.tensor("x", DataType.FLOAT32, 2, 3));
        g.outputs().add(ValueInfo.tensor("y", DataType.FLOAT32, 2, 4));
        g.initializers().put("w", Tensor.of(new float[12], 3, 4));
        g.addNode(Node.of("Relu", "relu", List.of("x"), List.of("a")));
        g.addNode(Node.of("MatMul", "mm", List.of("a", "w"), List.of("y")));
        g.addNode(Node.of("Sigmoid", "dead", List.of("a"), List.of("unused")));
        return g;
    }

    @Test
    void spliceAQuantizeDequantizePairOnAnEdge() {
        Graph g = small();
        Node relu = g.node("relu");
        Node q = new Node("a_q", "QuantizeLinear", "", List.of("a", "a_scale", "a_zp"), List.of("a_quant"), null);
        Node dq = new Node("a_dq", "DequantizeLinear", "", List.of("a_quant", "a_scale", "a_zp"), List.of("a_dq_out"), null);
        g.initializers().put("a_scale", Tensor.scalar(0.1f));
        g.initializers().put("a_zp", Tensor.ofBytes(DataType.UINT8, new byte[] {0}));
        g.insertAfter(relu, q);
        g.insertAfter(q, dq);
        assertEquals(2, g.replaceAllUsesExcept("a", "a_dq_out", q));
        assertEquals(List.of("a_dq_out", "w"), g.node("mm").inputs());
        assertEquals(List.of(q), g.consumers("a"));
        assertSame(dq, g.producer("a_dq_out"));
        assertEquals(List.of(), GraphValidator.problems(g));
    }

    @Test
    void copiesAreIndependentButShareTensors() {
        Graph g = small();
        Graph c = g.copy();
        assertEquals(List.of(), GraphDiff.of(g, c));
        c.node("mm").setInput(0, "x");
        c.node("relu").attributes().put("alpha", 1f);
        c.removeNode(c.node("dead"));
        assertEquals(List.of("a", "w"), g.node("mm").inputs());
        assertEquals(0, g.node("relu").attributes().size());
        assertEquals(3, g.nodes().size());
        assertSame(g.initializers().get("w"), c.initializers().get("w"));
    }

    @Test
    void topologicalSortRepairsOrderAndDetectsCycles() {
        Graph g = small();
        Node mm = g.node("mm");
        g.nodes().remove(mm);
        g.nodes().addFirst(mm);
        g.topologicalSort();
        assertEquals(List.of("relu", "mm", "dead"), g.nodes().stream().map(Node::name).toList());
        g.node("relu").setInput(0, "y");
        g.inputs().clear();
        assertThrows(IllegalStateException.class, g::topologicalSort);
    }

    @Test
    void deadNodesAndUnusedInitializersGo() {
        Graph g = small();
        g.initializers().put("orphan", Tensor.scalar(1));
        assertEquals(1, g.eliminateDeadNodes());
        assertNull(g.node("dead"));
        assertTrue(!g.initializers().containsKey("orphan") && g.initializers().containsKey("w"));
    }

    @Test
    void renameUpdatesDefinitionUsesAndOutputs() {
        Graph g = small();
        g.renameValue("y", "logits");
        assertEquals(List.of("logits"), g.outputNames());
        assertEquals(List.of("logits"), g.node("mm").outputs());
        g.renameValue("w", "weight");
        assertTrue(g.initializers().containsKey("weight"));
        assertEquals("weight", g.node("mm").input(1));
        assertThrows(IllegalArgumentException.class, () -> g.renameValue("a", "x"));
        assertEquals("a_1", g.uniqueName("a"));
    }

    @Test
    void subgraphOuterUsesCountAsUses() {
        Graph g = small();
        Graph body = new Graph("then");
        body.outputs().add(ValueInfo.tensor("b_out", DataType.FLOAT32, Shape.of(2, 3)));
        body.addNode(Node.of("Identity", "id", List.of("a"), List.of("b_out")));   // reads outer "a"
        Node iff = new Node("if", "If", "", List.of("cond"), List.of("z"), new Attributes().put("then_branch", body).put("else_branch", body));
        g.inputs().add(ValueInfo.tensor("cond", DataType.BOOL, Shape.SCALAR));
        g.outputs().add(ValueInfo.tensor("z", DataType.FLOAT32, 2, 3));
        g.nodes().addFirst(iff);
        assertEquals(java.util.Set.of("a"), Topology.implicitInputs(iff));
        g.topologicalSort();
        assertTrue(g.nodes().indexOf(iff) > g.nodes().indexOf(g.node("relu")), "If must follow the producer of what its branch reads");
        assertTrue(g.consumers("a").contains(iff));
        g.replaceAllUses("a", "a2");
        assertEquals("a2", body.nodes().getFirst().input(0));
    }

    @Test
    void livenessReleasesEachValueAfterItsLastReader() {
        Graph g = small();
        Liveness l = Liveness.of(g);
        List<String> order = l.order().stream().map(Node::name).toList();
        assertEquals(List.of("relu", "mm", "dead"), order);
        assertEquals(2, l.lastUse("a"));             // read last by "dead"
        assertEquals(List.of("a", "unused"), l.deadAfter(2));
        assertEquals(List.of(), l.deadAfter(1));     // y is a graph output: never released
        assertEquals(-1, l.lastUse("y"));
        assertEquals(-1, l.lastUse("w"));            // initializers belong to the model
        assertEquals(2, l.peakLiveValues());
    }

    @Test
    void validatorNamesTheNode() {
        Graph g = small();
        g.addNode(Node.of("Add", "bad", List.of("a", "ghost"), List.of("a")));
        List<String> p = GraphValidator.problems(g);
        assertTrue(p.stream().anyMatch(s -> s.contains("'bad'") && s.contains("'ghost'")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.contains("'bad'") && s.contains("already defined")), p.toString());
    }

    @Test
    void typedAttributeGettersSayWhatWasExpected() {
        Attributes a = new Attributes().put("axis", 1L).put("perm", 0L, 2L, 1L).put("alpha", 0.5f).put("mode", "constant");
        assertEquals(1, a.getInt("axis", 0));
        assertEquals(7, a.getInt("missing", 7));
        assertEquals(List.of(0L, 2L, 1L), java.util.Arrays.stream(a.getInts("perm")).boxed().toList());
        assertEquals(0.5f, a.getFloat("alpha", 0));
        assertEquals("constant", a.getString("mode", null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.getInt("mode", 0));
        assertTrue(e.getMessage().contains("'mode'") && e.getMessage().contains("INT"));
    }
}
