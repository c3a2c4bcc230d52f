package dev.quant4j.data;

/** The items of a base data set at given indices; holds the indices, never the items. */
final class Subset<T> implements Dataset<T> {
    private final Dataset<T> base;
    private final int[] indices;

    Subset(Dataset<T> base, int[] indices) {
        int n = base.size();
        for (int i : indices)
            if (i < 0 || i >= n) throw new IndexOutOfBoundsException("index " + i + " outside " + base.name() + " of " + n + " items");
        this.base = base;
        this.indices = indices;
    }

    @Override public int size() { return indices.length; }

    @Override
    public T get(int index) {
        return base.get(indices[index]);
    }

    /** The index in the base data set of item {@code index} of this view. */
    public int baseIndex(int index) {
        return indices[index];
    }

    @Override public String name() { return base.name(); }
}
