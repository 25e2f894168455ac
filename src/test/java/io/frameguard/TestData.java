package io.frameguard;

import io.frameguard.data.DatasetFetcher;
import io.frameguard.data.Datasets;
import io.frameguard.data.ImageSet;
import io.frameguard.data.KnownDataset;
import io.frameguard.data.KnownDataset.Split;
import io.frameguard.data.SkimagePhotos;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** Real MNIST and real photographs for tests, fetched into the checkout's data/ folder on first use (idempotent). */
public final class TestData {
    /** The committed model bundle fixture (shallow, normal = 1s) that must keep loading. */
    public static final Path FIXTURE_BUNDLE = Path.of("src/test/resources/fixtures/shallow-v1.bundle");

    private static Datasets datasets;

    private TestData() {
    }

    public static synchronized Datasets datasets() {
        if (datasets == null) {
            Path dir = Path.of(System.getProperty("frameguard.data.dir", "data")).toAbsolutePath();
            new DatasetFetcher(dir, new PrintWriter(new StringWriter())).fetch(KnownDataset.MNIST);
            datasets = new Datasets(dir);
        }
        return datasets;
    }

    /** The real photographs of Debian's python3-skimage, fetched into the data folder on first use. */
    public static synchronized Path skimage() {
        Path dir = Path.of(System.getProperty("frameguard.data.dir", "data")).toAbsolutePath();
        SkimagePhotos.fetch(dir, new PrintWriter(new StringWriter()));
        return dir;
    }

    public static ImageSet mnist(Split split) {
        return datasets().load("mnist", split);
    }
}
