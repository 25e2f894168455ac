package io.frameguard.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameguard.FrameGuardException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    static byte[] images(int magic, int count, int rows, int cols, int dataBytes) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(magic);
        d.writeInt(count);
        d.writeInt(rows);
        d.writeInt(cols);
        for (int i = 0; i < dataBytes; i++) {
            d.writeByte(i % 256);
        }
        return b.toByteArray();
    }

    static byte[] labels(int... values) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(IdxReader.LABELS_MAGIC);
        d.writeInt(values.length);
        for (int v : values) {
            d.writeByte(v);
        }
        return b.toByteArray();
    }

    Path write(String name, byte[] content, boolean gzip) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            out.write(content);
        }
        return p;
    }

    @Test
    void shouldReadPlainImagesAndLabels() throws IOException {
        Path img = write("img", images(IdxReader.IMAGES_MAGIC, 3, 2, 2, 12), false);
        Path lab = write("lab", labels(7, 1, 255), false);
        ImageSet set = IdxReader.read("t", img, lab);
        assertThat(set.size()).isEqualTo(3);
        assertThat(set.width()).isEqualTo(2);
        assertThat(set.labels()).containsExactly("7", "1", "255");
        assertThat(set.image(2)).containsExactly(8, 9, 10, 11);
    }

    @Test
    void shouldReadGzipDetectedFromContentNotName() throws IOException {
        Path img = write("img.bin", images(IdxReader.IMAGES_MAGIC, 2, 1, 3, 6), true);
        Path lab = write("lab.bin", labels(4, 5), true);
        ImageSet set = IdxReader.read("t", img, lab);
        assertThat(set.labels()).containsExactly("4", "5");
        assertThat(Arrays.copyOf(set.pixels(), 3)).containsExactly(0, 1, 2);
    }

    @Test
    void shouldRejectWrongMagicNamingTheFile() throws IOException {
        Path img = write("img", images(0x00000801, 1, 1, 1, 1), false);
        assertThatThrownBy(() -> IdxReader.readImages(img))
                .isInstanceOf(FrameGuardException.class)
                .hasMessageContaining(img.toString()).hasMessageContaining("not an IDX image file");
    }

    @Test
    void shouldRejectTruncatedData() throws IOException {
        Path img = write("img", images(IdxReader.IMAGES_MAGIC, 10, 28, 28, 100), false);
        assertThatThrownBy(() -> IdxReader.readImages(img))
                .isInstanceOf(FrameGuardException.class).hasMessageContaining("truncated");
    }

    @Test
    void shouldRejectTruncatedHeader() throws IOException {
        Path img = write("img", new byte[] {0, 0, 8, 3, 0, 0}, false);
        assertThatThrownBy(() -> IdxReader.readImages(img))
                .isInstanceOf(FrameGuardException.class).hasMessageContaining("header is incomplete");
    }

    @Test
    void shouldRejectLabelCountThatDiffersFromImageCount() throws IOException {
        Path img = write("img", images(IdxReader.IMAGES_MAGIC, 3, 1, 1, 3), false);
        Path lab = write("lab", labels(1, 2), false);
        assertThatThrownBy(() -> IdxReader.read("t", img, lab))
                .isInstanceOf(FrameGuardException.class).hasMessageContaining("has 2 labels but");
    }

    @Test
    void shouldPointToDataFetchWhenFileIsMissing() {
        assertThatThrownBy(() -> IdxReader.readImages(dir.resolve("nope")))
                .isInstanceOf(FrameGuardException.class).hasMessageContaining("frameguard data fetch");
    }
}
