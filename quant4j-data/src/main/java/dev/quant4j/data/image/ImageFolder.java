package dev.quant4j.data.image;

import dev.quant4j.data.DataFileException;
import dev.quant4j.data.Dataset;
import dev.quant4j.data.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Images in a folder, decoded and preprocessed one at a time when asked. With class sub-folders
 * ({@code root/<class>/*.png}) each image is labelled by its folder's position among the sorted
 * folder names; images directly in {@code root} are unlabelled. Only the file names are held.
 */
public final class ImageFolder implements Dataset<Sample> {
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    private final Path root;
    private final Path[] files;
    private final int[] labels;
    private final List<String> classes;
    private final Preprocessing preprocessing;

    private ImageFolder(Path root, Path[] files, int[] labels, List<String> classes, Preprocessing preprocessing) {
        this.root = root;
        this.files = files;
        this.labels = labels;
        this.classes = classes;
        this.preprocessing = preprocessing;
    }

    public static ImageFolder open(Path root, Preprocessing preprocessing) {
        if (!Files.isDirectory(root)) throw new DataFileException(root, "not a folder");
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        try {
            for (Path p : sorted(root)) if (isImage(p)) { files.add(p); labels.add(Sample.NO_LABEL); }
            for (Path dir : sorted(root)) {
                if (!Files.isDirectory(dir)) continue;
                int label = classes.size();
                classes.add(dir.getFileName().toString());
                for (Path p : sorted(dir)) if (isImage(p)) { files.add(p); labels.add(label); }
            }
        } catch (IOException e) {
            throw new DataFileException(root, "cannot list the folder", e);
        }
        if (files.isEmpty()) throw new DataFileException(root, "holds no images (" + String.join(" ", EXTENSIONS) + ")");
        return new ImageFolder(root, files.toArray(Path[]::new), labels.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(classes),
                preprocessing);
    }

    private static List<Path> sorted(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && EXTENSIONS.stream().anyMatch(n::endsWith);
    }

    /** Class names in label order (empty when the images are unlabelled). */
    public List<String> classes() { return classes; }

    public Path file(int index) { return files[index]; }

    @Override public int size() { return files.length; }

    @Override
    public Sample get(int index) {
        return preprocessing.apply(Images.read(files[index]), labels[index], null);
    }

    @Override public String name() { return root.toString(); }
}
