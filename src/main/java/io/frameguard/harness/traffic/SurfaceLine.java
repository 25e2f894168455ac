package io.frameguard.harness.traffic;

import io.frameguard.avro.Encoding;
import io.frameguard.avro.ImageFrame;
import io.frameguard.data.Raster;
import io.frameguard.data.synth.Defect;
import io.frameguard.data.synth.DefectFolder;
import io.frameguard.data.synth.DefectGenerator;
import io.frameguard.data.synth.DefectKind;
import io.frameguard.model.ErrorRegion;
import java.awt.Rectangle;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Cameras over one photographed surface: square frames cut at random positions from it, a share of
 * them with one synthetic defect of a random kind ({@link DefectGenerator}), labelled with the kind,
 * clean ones {@value DefectFolder#GOOD}. Frames are quantised to 8 bits as a camera sends them, so an
 * offline scorer sees the bytes the stream saw. Seeded: two lines built alike draw the same frames
 * in the same order, which is how a report finds the frames a run sent ({@link #shots(long, Set)}).
 */
public final class SurfaceLine implements CameraSimulator.FrameSource {
    private final Raster surface;
    private final int size;
    private final double defectRate;
    private final DefectGenerator defects;
    private final Random random;

    /**
     * @param surface the part of the photograph the cameras see, at least {@code size} a side
     * @param size frame side in pixels
     * @param defectRate share of frames with a defect
     * @param defects the generator of defects (with its foreign textures)
     */
    public SurfaceLine(Raster surface, int size, double defectRate, DefectGenerator defects, long seed) {
        if (surface.width() < size || surface.height() < size) {
            throw new IllegalArgumentException("a " + surface.width() + "x" + surface.height()
                    + " surface cannot give frames of " + size + "x" + size);
        }
        this.surface = surface;
        this.size = size;
        this.defectRate = defectRate;
        this.defects = defects;
        this.random = new Random(seed);
    }

    /**
     * One frame as sent.
     *
     * @param mask the defect's ground-truth mask, null on a clean frame
     */
    public record Shot(Raster image, String label, Raster mask) {
        /** The ground-truth boxes: the defect mask's connected parts, in frame coordinates; empty on a clean frame. */
        public List<Rectangle> truth() {
            return mask == null ? List.of() : ErrorRegion.regions(mask.pixels(), mask.width(), mask.height());
        }
    }

    /** The next frame the cameras film. */
    public Shot next() {
        Raster clean = surface.crop(random.nextInt(surface.width() - size + 1), random.nextInt(surface.height() - size + 1),
                size, size);
        if (random.nextDouble() < defectRate) {
            DefectKind kind = DefectKind.values()[random.nextInt(DefectKind.values().length)];
            Defect d = defects.apply(clean, kind, random);
            return new Shot(quantised(d.image()), kind.cliName(), d.mask());
        }
        return new Shot(quantised(clean), DefectFolder.GOOD, null);
    }

    @Override
    public ImageFrame next(String source, String frameId) {
        Shot shot = next();
        Raster r = shot.image();
        return ImageFrame.newBuilder().setFrameId(frameId).setSourceId(source).setCaptureTime(Instant.now())
                .setWidth(r.width()).setHeight(r.height()).setChannels(r.channels()).setEncoding(Encoding.RAW_U8)
                .setPixels(ByteBuffer.wrap(r.toBytes())).setLabel(shot.label()).setAttributes(Map.of()).build();
    }

    /**
     * The frames numbered {@code wanted} (0 is the first) of the first {@code count} this line draws:
     * called on a fresh line built like the one that sent them, the frames that were sent.
     */
    public Map<Integer, Shot> shots(long count, Set<Integer> wanted) {
        Map<Integer, Shot> out = new HashMap<>();
        for (int i = 0; i < count && out.size() < wanted.size(); i++) {
            Shot s = next();
            if (wanted.contains(i)) {
                out.put(i, s);
            }
        }
        return out;
    }

    private static Raster quantised(Raster r) {
        return Raster.ofBytes(r.toBytes(), 0, r.width(), r.height(), r.channels());
    }
}
