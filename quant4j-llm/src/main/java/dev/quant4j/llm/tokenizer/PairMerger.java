package dev.quant4j.llm.tokenizer;

import java.util.PriorityQueue;

/**
 * The BPE merge loop shared by SentencePiece BPE and GPT-2 byte-level BPE: the text starts as a
 * row of symbols; the adjacent pair with the best priority is joined, its neighbours' pairs are
 * re-ranked, until no adjacent pair may be joined. Ties go to the leftmost pair.
 *
 * <p>Symbols are spans of one string kept in a doubly linked list; a queued pair whose symbols have
 * changed since it was queued is recognised by its length and skipped (a symbol only ever grows to
 * the right or is emptied, so a changed pair never keeps its total length).
 */
final class PairMerger {

    /** The priority of joining text[start, mid) with text[mid, end): higher joins first; NaN = never. */
    interface Priority {
        double of(String text, int start, int mid, int end);
    }

    private record Pair(int left, int right, double priority, int length) {}

    private PairMerger() {}

    /**
     * @param text   the string whose spans are symbols
     * @param bounds the initial symbol boundaries: bounds[0] = 0, ascending, last = text.length()
     * @return the boundaries of the symbols after merging, in the same form
     */
    static int[] merge(String text, int[] bounds, Priority priority) {
        int n = bounds.length - 1;
        if (n <= 1) return bounds;
        int[] start = new int[n];
        int[] len = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            start[i] = bounds[i];
            len[i] = bounds[i + 1] - bounds[i];
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        PriorityQueue<Pair> queue = new PriorityQueue<>(n, (a, b) -> {
            int c = Double.compare(b.priority, a.priority);
            return c != 0 ? c : Integer.compare(a.left, b.left);
        });
        for (int i = 0; i + 1 < n; i++) offer(queue, text, start, len, i, i + 1, priority);
        while (!queue.isEmpty()) {
            Pair p = queue.poll();
            if (len[p.left] == 0 || len[p.right] == 0 || len[p.left] + len[p.right] != p.length) continue;
            len[p.left] += len[p.right];
            len[p.right] = 0;
            next[p.left] = next[p.right];
            if (next[p.right] >= 0) prev[next[p.right]] = p.left;
            if (prev[p.left] >= 0) offer(queue, text, start, len, prev[p.left], p.left, priority);
            if (next[p.left] >= 0) offer(queue, text, start, len, p.left, next[p.left], priority);
        }
        IntList out = new IntList();
        for (int i = 0; i >= 0; i = next[i]) out.add(start[i]);
        out.add(text.length());
        return out.toArray();
    }

    private static void offer(PriorityQueue<Pair> queue, String text, int[] start, int[] len, int left, int right, Priority priority) {
        int s = start[left];
        int mid = s + len[left];
        int end = mid + len[right];
        double p = priority.of(text, s, mid, end);
        if (!Double.isNaN(p)) queue.add(new Pair(left, right, p, end - s));
    }
}
