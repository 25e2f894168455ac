package io.frameguard.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameguard.FrameGuardException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
    @TempDir
    Path dir;

    static void writeImage(Path file, String format, int w, int h, Color fill) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(fill);
        g.fillRect(0, 0, w, h);
        g.dispose();
        Files.createDirectories(file.getParent());
        ImageIO.write(img, format, file.toFile());
    }

    /** The in-memory PNG writer: any decoder must read back exactly the bytes written (here ImageIO's). */
    @Test
    void shouldEncodeGrayPixelsAsAPngThatDecodesToTheSameBytes() throws IOException {
        int w = 28;
        int h = 17;
        byte[] px = new byte[w * h];
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i % 5 == 0 ? r.nextInt(256) : i / w * 15);
        }
        for (int level : new int[] {0, 1, 9}) {
            byte[] png = ImageFiles.png(px, w, h, level);
            BufferedImage img = ImageIO.read(new java.io.ByteArrayInputStream(png));
            assertThat(img.getWidth()).as("level %d", level).isEqualTo(w);
            assertThat(img.getHeight()).isEqualTo(h);
            assertThat(img.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
            assertThat((byte[]) img.getRaster().getDataElements(0, 0, w, h, null)).as("level %d", level).isEqualTo(px);
        }
        assertThat(ImageFiles.png(px, w, h)).isEqualTo(ImageFiles.png(px, w, h, 1));
        assertThat(ImageFiles.png(px, w, h, 9).length).isLessThan(ImageFiles.png(px, w, h, 0).length);
        assertThatThrownBy(() -> ImageFiles.png(px, w, w)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldReadRgbPngAndJpegAsResizedGrayWithFolderLabels() throws IOException {
        writeImage(dir.resolve("1/a.png"), "png", 56, 56, Color.WHITE);
        writeImage(dir.resolve("7/b.jpg"), "jpg", 100, 80, Color.BLACK);
        writeImage(dir.resolve("c.png"), "png", 28, 28, new Color(128, 128, 128));
        ImageSet set = ImageFiles.readFolder(dir, 28, 28);
        assertThat(set.size()).isEqualTo(3);
        assertThat(set.width()).isEqualTo(28);
        assertThat(set.labels()).containsExactly("1", "7", ImageFiles.UNLABELLED);
        assertThat(set.image(0)[100] & 0xff).isEqualTo(255);
        assertThat(set.image(1)[100] & 0xff).isLessThan(5);
        assertThat(set.image(2)[100] & 0xff).isBetween(120, 136);
    }

    @Test
    void shouldNameFilesThatAreNotImages() throws IOException {
        writeImage(dir.resolve("ok.png"), "png", 28, 28, Color.WHITE);
        Files.writeString(dir.resolve("notes.txt"), "not an image");
        assertThatThrownBy(() -> ImageFiles.readFolder(dir, 28, 28))
                .isInstanceOf(FrameGuardException.class).hasMessageContaining("notes.txt");
    }

    @Test
    void shouldRejectEmptyFolder() {
        assertThatThrownBy(() -> ImageFiles.readFolder(dir, 28, 28))
                .isInstanceOf(FrameGuardException.class).hasMessageContaining("holds no image files");
    }

    @Test
    void shouldRejectCorruptPng() {
        byte[] header = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0};
        assertThatThrownBy(() -> ImageFiles.decodeGray(header, 28, 28, "frame 7"))
                .isInstanceOf(FrameGuardException.class).hasMessageStartingWith("frame 7 ");
    }
}
