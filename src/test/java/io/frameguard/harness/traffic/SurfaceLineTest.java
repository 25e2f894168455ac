package io.frameguard.harness.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameguard.TestData;
import io.frameguard.avro.Encoding;
import io.frameguard.avro.ImageFrame;
import io.frameguard.data.Raster;
import io.frameguard.data.SkimagePhotos;
import io.frameguard.data.synth.DefectGenerator;
import io.frameguard.data.synth.DefectKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SurfaceLineTest {
    static final Raster BOTTOM = SkimagePhotos.read(TestData.skimage(), "gravel").crop(0, 256, 512, 256);

    static SurfaceLine line() {
        return new SurfaceLine(BOTTOM, 256, 0.25, new DefectGenerator(List.of()), 5);
    }

    @Test
    void shouldDrawTheFramesItSentAgainWhenBuiltAlike() {
        SurfaceLine sent = line();
        List<SurfaceLine.Shot> shots = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            shots.add(sent.next());
        }

        Map<Integer, SurfaceLine.Shot> again = line().shots(30, Set.of(3, 17, 29));

        assertThat(again).containsOnlyKeys(3, 17, 29);
        for (int i : again.keySet()) {
            assertThat(again.get(i).image().pixels()).isEqualTo(shots.get(i).image().pixels());
            assertThat(again.get(i).label()).isEqualTo(shots.get(i).label());
        }
    }

    @Test
    void shouldLabelDefectFramesWithTheirKindAndBoxInsideTheFrame() {
        SurfaceLine line = line();
        int defects = 0;
        for (int i = 0; i < 60; i++) {
            SurfaceLine.Shot s = line.next();
            assertThat(s.image().width()).isEqualTo(256);
            if (s.mask() == null) {
                assertThat(s.label()).isEqualTo("good");
                assertThat(s.truth()).isEmpty();
            } else {
                defects++;
                assertThat(DefectKind.names()).contains(s.label());
                assertThat(s.truth()).isNotEmpty().allSatisfy(b -> assertThat(new java.awt.Rectangle(0, 0, 256, 256).contains(b)).isTrue());
            }
        }
        assertThat(defects).isBetween(5, 30);
    }

    @Test
    void shouldSendRawEightBitFramesWithTheirLabel() {
        ImageFrame f = line().next("cam-1", "cam-1-0");

        assertThat(f.getEncoding()).isEqualTo(Encoding.RAW_U8);
        assertThat(f.getWidth()).isEqualTo(256);
        assertThat(f.getHeight()).isEqualTo(256);
        assertThat(f.getPixels().remaining()).isEqualTo(256 * 256);
        assertThat(f.getLabel()).isNotNull();
        assertThat(CameraSimulator.frameNumber(f.getFrameId())).isZero();
    }
}
