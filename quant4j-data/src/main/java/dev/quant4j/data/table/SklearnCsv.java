package dev.quant4j.data.table;

import dev.quant4j.data.DataFileException;
import dev.quant4j.data.Dataset;
import dev.quant4j.data.Sample;
import dev.quant4j.data.io.FileBytes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * scikit-learn's bundled classification tables (iris, wine, breast cancer, digits): CSV, plain or
 * gzip, each row the features then an integer class label. A first line
 * {@code n_samples,n_features,class names...} is read as a header when present (digits has none)
 * and every count it states is checked. The tables are small, so they are held in memory; each
 * sample is {@code [n_features]}.
 */
public final class SklearnCsv implements Dataset<Sample> {
    /** Refuse tables larger than this many values rather than risk running out of memory. */
    static final long MAX_VALUES = 50_000_000;

    private final String source;
    private final int features;
    private final float[] values;
    private final int[] labels;
    private final List<String> classNames;

    private SklearnCsv(String source, int features, float[] values, int[] labels, List<String> classNames) {
        this.source = source;
        this.features = features;
        this.values = values;
        this.labels = labels;
        this.classNames = classNames;
    }

    public static SklearnCsv read(Path file) {
        String src = file.toString();
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int expectRows = -1, features = -1;
        List<String> classes = List.of();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(FileBytes.openStream(file), StandardCharsets.UTF_8))) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                String[] f = line.strip().split(",", -1);
                if (lineNo == 1 && isHeader(f)) {
                    expectRows = parseCount(f[0], src, lineNo);
                    features = parseCount(f[1], src, lineNo);
                    classes = List.of(f).subList(2, f.length);
                    if ((long) expectRows * features > MAX_VALUES) throw new DataFileException(src, "header announces " + expectRows + " × " + features + " values, more than " + MAX_VALUES);
                    continue;
                }
                if (features < 0) features = f.length - 1;
                if (features < 1 || f.length != features + 1)
                    throw new DataFileException(src, "line " + lineNo + " has " + f.length + " fields, expected " + (features + 1) + " (features, then the label)");
                if ((long) (rows.size() + 1) * features > MAX_VALUES) throw new DataFileException(src, "more than " + MAX_VALUES + " values");
                float[] row = new float[features];
                for (int i = 0; i < features; i++) row[i] = parseFloat(f[i], src, lineNo);
                int label = parseCount(f[features], src, lineNo);
                if (!classes.isEmpty() && label >= classes.size())
                    throw new DataFileException(src, "line " + lineNo + ": label " + label + " but only " + classes.size() + " classes " + classes);
                rows.add(row);
                labels.add(label);
            }
        } catch (IOException e) {
            throw new DataFileException(src, "cannot read (truncated or corrupt?)", e);
        }
        if (rows.isEmpty()) throw new DataFileException(src, "no data rows");
        if (expectRows >= 0 && rows.size() != expectRows)
            throw new DataFileException(src, "header announces " + expectRows + " rows, the file has " + rows.size());
        float[] values = new float[rows.size() * features];
        for (int i = 0; i < rows.size(); i++) System.arraycopy(rows.get(i), 0, values, i * features, features);
        return new SklearnCsv(src, features, values, labels.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(classes));
    }

    /** A header has integer counts first and class names (not numbers) after them. */
    private static boolean isHeader(String[] f) {
        if (f.length < 3) return false;
        for (int i = 2; i < f.length; i++) if (!isNumber(f[i])) return true;
        return false;
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s.strip());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static int parseCount(String s, String src, int line) {
        try {
            int v = Integer.parseInt(s.strip());
            if (v < 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new DataFileException(src, "line " + line + ": '" + s + "' is not a non-negative integer");
        }
    }

    private static float parseFloat(String s, String src, int line) {
        try {
            return Float.parseFloat(s.strip());
        } catch (NumberFormatException e) {
            throw new DataFileException(src, "line " + line + ": '" + s + "' is not a number");
        }
    }

    public int features() { return features; }

    /** Class names from the header, in label order (empty for digits, whose labels are the digits). */
    public List<String> classNames() { return classNames; }

    @Override public int size() { return labels.length; }

    @Override
    public Sample get(int index) {
        float[] row = new float[features];
        System.arraycopy(values, index * features, row, 0, features);
        return new Sample(row, new long[] {features}, labels[index]);
    }

    @Override public String name() { return source; }
}
