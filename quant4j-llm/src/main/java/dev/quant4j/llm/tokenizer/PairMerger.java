package dev.quant4j.llm.tokenizer;

import java.util.PriorityQueue;

/**
 * The BPE merge loop shared by SentencePiece BPE and GPT-2 byte-level BPE: the text starts as a
 * row of symbols; the adjacent pair with the best priority is joined, its neighbours' pairs are
 * re-ranked, until no adjacent pair may be joined. Ties go to the leftmost pair.
 *
 * <p>Symbols are spans of one string, each with its token id (-1 when the span is no token), kept
 * in a doubly linked list. A queued pair whose symbols have changed since it was queued is
 * recognised by its length and skipped: a symbol only ever grows to the right or is emptied, so a
 * changed pair never keeps its total length.
 */
final class PairMerger {
    /** What {@link Rule#join} returns when the two symbols may not be joined. */
    static final long NO_JOIN = Long.MIN_VALUE;

    interface Rule {
        /**
         * Whether text[start, mid) (token {@code left}) and text[mid, end) (token {@code right}) may be
         * joined: {@link #NO_JOIN}, or {@link #join(int, int)} of the priority and the joined token's id.
         */
        long join(int left, int right, int start, int mid, int end);
    }

    /** Packs a priority (higher joins first) and the joined token's id into a {@link Rule#join} result. */
    static long join(int priority, int joinedId) {
        return (long) priority << 32 | (joinedId & 0xFFFF_FFFFL);
    }

    /** An int that orders like the float {@code f} (for scores used as priorities). */
    static int sortable(float f) {
        int bits = Float.floatToIntBits(f);
        return bits >= 0 ? bits : bits ^ 0x7FFF_FFFF;
    }

    private record Pair(int left, int right, long join, int length) {}

    private PairMerger() {}

    /** The symbols after merging: their boundaries (first 0, last text.length()) and their ids. */
    record Result(int[] bounds, int[] ids) {}

    /**
     * @param text   the string whose spans are symbols
     * @param bounds the initial symbol boundaries: bounds[0] = 0, ascending, last = text.length()
     * @param ids    the initial symbols' token ids (-1 for none)
     */
    static Result merge(String text, int[] bounds, int[] ids, Rule rule) {
        int n = ids.length;
        if (n <= 1) return new Result(bounds, ids);
        int[] start = new int[n];
        int[] len = new int[n];
        int[] id = ids.clone();
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            start[i] = bounds[i];
            len[i] = bounds[i + 1] - bounds[i];
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        PriorityQueue<Pair> queue = new PriorityQueue<>(n, (a, b) -> {
            int c = Integer.compare((int) (b.join >> 32), (int) (a.join >> 32));
            return c != 0 ? c : Integer.compare(a.left, b.left);
        });
        for (int i = 0; i + 1 < n; i++) offer(queue, start, len, id, i, i + 1, rule);
        while (!queue.isEmpty()) {
            Pair p = queue.poll();
            if (len[p.left] == 0 || len[p.right] == 0 || len[p.left] + len[p.right] != p.length) continue;
            len[p.left] += len[p.right];
            len[p.right] = 0;
            id[p.left] = (int) p.join;
            next[p.left] = next[p.right];
            if (next[p.right] >= 0) prev[next[p.right]] = p.left;
            if (prev[p.left] >= 0) offer(queue, start, len, id, prev[p.left], p.left, rule);
            if (next[p.left] >= 0) offer(queue, start, len, id, p.left, next[p.left], rule);
        }
        IntList outBounds = new IntList();
        IntList outIds = new IntList();
        for (int i = 0; i >= 0; i = next[i]) {
            outBounds.add(start[i]);
            outIds.add(id[i]);
        }
        outBounds.add(text.length());
        return new Result(outBounds.toArray(), outIds.toArray());
    }

    private static void offer(PriorityQueue<Pair> queue, int[] start, int[] len, int[] id, int left, int right, Rule rule) {
        int s = start[left];
        int mid = s + len[left];
        int end = mid + len[right];
        long j = rule.join(id[left], id[right], s, mid, end);
        if (j != NO_JOIN) queue.add(new Pair(left, right, j, end - s));
    }
}
