package dev.quant4j.graph;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node's attributes by name, in insertion order, with typed getters that state the expected
 * type in their error message. Integer getters also accept an INT attribute where a list is read
 * as a one-element list, because exporters differ on that.
 */
public final class Attributes {
    private final Map<String, Attribute> map = new LinkedHashMap<>();

    public Attributes() {}

    public Attributes(Map<String, Attribute> values) { map.putAll(values); }

    public Attributes copy() { return new Attributes(map); }

    public Attributes put(String name, Attribute value) { map.put(name, value); return this; }

    public Attributes put(String name, float v) { return put(name, new Attribute.FloatValue(v)); }

    public Attributes put(String name, long v) { return put(name, new Attribute.IntValue(v)); }

    public Attributes put(String name, String v) { return put(name, new Attribute.StringValue(v)); }

    public Attributes put(String name, Tensor v) { return put(name, new Attribute.TensorValue(v)); }

    public Attributes put(String name, Graph v) { return put(name, new Attribute.GraphValue(v)); }

    public Attributes put(String name, long... v) { return put(name, new Attribute.Ints(v)); }

    public Attributes put(String name, float... v) { return put(name, new Attribute.Floats(v)); }

    public Attribute remove(String name) { return map.remove(name); }

    public boolean has(String name) { return map.containsKey(name); }

    public Attribute get(String name) { return map.get(name); }

    public Set<String> names() { return Collections.unmodifiableSet(map.keySet()); }

    public Map<String, Attribute> asMap() { return Collections.unmodifiableMap(map); }

    public int size() { return map.size(); }

    public float getFloat(String name, float dflt) {
        Attribute a = map.get(name);
        if (a == null) return dflt;
        if (a instanceof Attribute.FloatValue f) return f.value();
        if (a instanceof Attribute.IntValue i) return i.value();
        throw wrongType(name, "FLOAT", a);
    }

    public long getInt(String name, long dflt) {
        Attribute a = map.get(name);
        if (a == null) return dflt;
        if (a instanceof Attribute.IntValue i) return i.value();
        throw wrongType(name, "INT", a);
    }

    public String getString(String name, String dflt) {
        Attribute a = map.get(name);
        if (a == null) return dflt;
        if (a instanceof Attribute.StringValue s) return s.value();
        throw wrongType(name, "STRING", a);
    }

    /** The INTS attribute, or null when absent. */
    public long[] getInts(String name) {
        Attribute a = map.get(name);
        if (a == null) return null;
        if (a instanceof Attribute.Ints i) return i.values();
        if (a instanceof Attribute.IntValue i) return new long[] {i.value()};
        throw wrongType(name, "INTS", a);
    }

    /** The FLOATS attribute, or null when absent. */
    public float[] getFloats(String name) {
        Attribute a = map.get(name);
        if (a == null) return null;
        if (a instanceof Attribute.Floats f) return f.values();
        throw wrongType(name, "FLOATS", a);
    }

    public List<String> getStrings(String name) {
        Attribute a = map.get(name);
        if (a == null) return null;
        if (a instanceof Attribute.Strings s) return s.values();
        throw wrongType(name, "STRINGS", a);
    }

    public Tensor getTensor(String name) {
        Attribute a = map.get(name);
        if (a == null) return null;
        if (a instanceof Attribute.TensorValue t) return t.value();
        throw wrongType(name, "TENSOR", a);
    }

    public Graph getGraph(String name) {
        Attribute a = map.get(name);
        if (a == null) return null;
        if (a instanceof Attribute.GraphValue g) return g.value();
        throw wrongType(name, "GRAPH", a);
    }

    private static IllegalArgumentException wrongType(String name, String want, Attribute got) {
        return new IllegalArgumentException("attribute '" + name + "' should be " + want + " but is " + got.getClass().getSimpleName());
    }

    @Override
    public String toString() { return map.keySet().toString(); }
}
