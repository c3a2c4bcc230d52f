package dev.quant4j.data.table;

import static org.junit.jupiter.api.Assertions.*;

import dev.quant4j.data.DataFileException;
import dev.quant4j.data.Sample;
import dev.quant4j.testkit.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SklearnCsvTest {
    @TempDir Path tmp;

    /** Sizes and class balance as scikit-learn documents them for its bundled data sets. */
    @Test
    void theFourBundledTables() {
        SklearnCsv iris = SklearnCsv.read(TestData.require("datasets/sklearn/iris.csv"));
        assertEquals(150, iris.size());
        assertEquals(4, iris.features());
        assertEquals(List.of("setosa", "versicolor", "virginica"), iris.classNames());
        assertArrayEquals(new float[] {5.1f, 3.5f, 1.4f, 0.2f}, iris.get(0).data());
        assertArrayEquals(new int[] {50, 50, 50}, counts(iris, 3));
        SklearnCsv wine = SklearnCsv.read(TestData.require("datasets/sklearn/wine_data.csv"));
        assertEquals(13, wine.features());
        assertArrayEquals(new int[] {59, 71, 48}, counts(wine, 3));
        SklearnCsv bc = SklearnCsv.read(TestData.require("datasets/sklearn/breast_cancer.csv"));
        assertEquals(30, bc.features());
        assertArrayEquals(new int[] {212, 357}, counts(bc, 2));
        SklearnCsv digits = SklearnCsv.read(TestData.require("datasets/sklearn/digits.csv.gz"));
        assertEquals(1797, digits.size());
        assertEquals(64, digits.features());
        assertTrue(digits.classNames().isEmpty());
        Sample d = digits.get(0);
        assertEquals(0, d.label());
        for (float v : d.data()) assertTrue(v >= 0 && v <= 16);
    }

    static int[] counts(SklearnCsv t, int k) {
        int[] c = new int[k];
        for (int i = 0; i < t.size(); i++) c[t.get(i).label()]++;
        return c;
    }

    private void assertBad(String text, String fragment) throws IOException {
        Path f = tmp.resolve("t.csv");
        Files.writeString(f, text);
        DataFileException e = assertThrows(DataFileException.class, () -> SklearnCsv.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void malformedTables() throws IOException {
        assertBad("3,2,a,b\n1,2,0\n3,4,1\n", "announces 3 rows");
        assertBad("2,2,a,b\n1,2,0\n3,4\n", "line 3 has 2 fields");
        assertBad("2,2,a,b\n1,x,0\n3,4,1\n", "'x' is not a number");
        assertBad("2,2,a,b\n1,2,0\n3,4,2\n", "label 2");
        assertBad("1,2,0.5\n", "'0.5' is not a non-negative integer");
        assertBad("", "no data rows");
    }
}
