package dev.quant4j.data;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;

/**
 * Counts what is reachable from some roots by walking their fields with reflection: objects, plus
 * one per array element. Deterministic (no garbage collector or timing involved), so a test can
 * demand that a reader retains exactly as much after 60,000 samples as after 100.
 *
 * <p>Objects whose fields the module system does not open (JDK internals such as a mapped memory
 * segment) count as one object and are not entered; the surefire configuration opens java.util
 * and java.lang so that collections, where leaks usually hide, are entered.
 */
final class ReachableHeap {
    private ReachableHeap() {}

    static long count(Object... roots) {
        IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Object> todo = new ArrayDeque<>();
        for (Object r : roots) if (r != null) todo.push(r);
        long units = 0;
        while (!todo.isEmpty()) {
            Object o = todo.pop();
            if (seen.put(o, Boolean.TRUE) != null) continue;
            units++;
            Class<?> c = o.getClass();
            if (o instanceof Class<?> || o instanceof ClassLoader || o instanceof Thread || o instanceof Module) continue;
            if (c.isArray()) {
                int n = Array.getLength(o);
                units += n;
                if (!c.getComponentType().isPrimitive())
                    for (int i = 0; i < n; i++) {
                        Object e = Array.get(o, i);
                        if (e != null) todo.push(e);
                    }
                continue;
            }
            for (Class<?> k = c; k != null; k = k.getSuperclass()) {
                for (Field f : k.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) continue;
                    if (!f.trySetAccessible()) continue;
                    try {
                        Object v = f.get(o);
                        if (v != null) todo.push(v);
                    } catch (IllegalAccessException e) {
                        // not opened to us: counted as one object above
                    }
                }
            }
        }
        return units;
    }
}
