package dev.quant4j.eval;

/**
 * Streaming character or word error rate: sum of edit distances / sum of reference lengths over
 * all samples (a pooled ratio, so long lines weigh more than short ones, as in ASR/OCR practice).
 * Keeps two numbers per sample.
 */
public final class ErrorRate {
    private final boolean words;
    private final SampleValues edits = new SampleValues();
    private final SampleValues lengths = new SampleValues();
    private int exact;

    private ErrorRate(boolean words) {
        this.words = words;
    }

    /** CER: edits on code points. */
    public static ErrorRate characters() {
        return new ErrorRate(false);
    }

    /** WER: edits on whitespace-separated words. */
    public static ErrorRate words() {
        return new ErrorRate(true);
    }

    public void add(String reference, String hypothesis) {
        if (words) {
            add(EditDistance.words(reference, hypothesis), EditDistance.splitWords(reference).length);
        } else {
            add(EditDistance.characters(reference, hypothesis), reference.codePointCount(0, reference.length()));
        }
    }

    /** Records a sample from its edit count and reference length. */
    public void add(int editCount, int referenceLength) {
        if (editCount < 0 || referenceLength < 0) {
            throw new IllegalArgumentException("negative edits " + editCount + " or length " + referenceLength);
        }
        edits.add(editCount);
        lengths.add(referenceLength);
        if (editCount == 0) exact++;
    }

    public int size() { return edits.size(); }

    /** Share of samples decoded without an error. */
    public double exactMatchRate() {
        return size() == 0 ? Double.NaN : (double) exact / size();
    }

    public SampleStatistic statistic() {
        return SampleStatistic.ratio(edits.toArray(), lengths.toArray());
    }

    public MetricResult result(Bootstrap bootstrap) {
        return bootstrap.percentile(statistic());
    }
}
