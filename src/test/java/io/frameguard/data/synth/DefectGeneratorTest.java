package io.frameguard.data.synth;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameguard.data.Raster;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DefectGeneratorTest {
    private static final int SEEDS = 25;
    private final DefectGenerator generator = new DefectGenerator(List.of(TestTextures.surface(300, 300, 1, 99)));
    private final DefectGenerator procedural = new DefectGenerator(List.of());

    @ParameterizedTest
    @EnumSource(DefectKind.class)
    void shouldDrawTheSameDefectGivenTheSameSeed(DefectKind kind) {
        Raster clean = TestTextures.surface(64, 64, 3, 1);
        Defect a = generator.apply(clean, kind, new Random(7));
        Defect b = generator.apply(clean, kind, new Random(7));
        Defect other = generator.apply(clean, kind, new Random(8));
        assertThat(a.image().toBytes()).isEqualTo(b.image().toBytes());
        assertThat(a.mask().toBytes()).isEqualTo(b.mask().toBytes());
        assertThat(other.mask().toBytes()).isNotEqualTo(a.mask().toBytes());
    }

    @ParameterizedTest
    @EnumSource(DefectKind.class)
    void shouldChangeVisiblePixelsOnlyInsideTheMask(DefectKind kind) {
        for (int size : new int[] {64, 256}) {
            for (int seed = 0; seed < SEEDS; seed++) {
                Raster clean = TestTextures.surface(size, size, 1, seed);
                Defect d = (seed % 2 == 0 ? generator : procedural).apply(clean, kind, new Random(seed));
                float maxInside = 0;
                for (int i = 0; i < clean.pixelCount(); i++) {
                    float change = Math.abs(d.image().pixels()[i] - clean.pixels()[i]);
                    if (d.mask().pixels()[i] > 0.5f) {
                        maxInside = Math.max(maxInside, change);
                    } else {
                        assertThat(change).as("%s seed %d size %d, pixel %d outside the mask", kind, seed, size, i)
                                .isLessThanOrEqualTo(1 / 255f);
                    }
                }
                assertThat(maxInside).as("%s seed %d size %d: strongest change inside the mask", kind, seed, size)
                        .isGreaterThan(0.05f);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DefectKind.class)
    void shouldDrawOnlyDefectsThatChangeThePixelsUnderTheirMask(DefectKind kind) {
        // mostly flat: a smear drawn over a brick's face leaves it as it was; it must land where it shows
        for (int seed = 0; seed < SEEDS; seed++) {
            Raster clean = TestTextures.bricks(64, 64, seed);
            Defect d = generator.apply(clean, kind, new Random(seed));
            assertThat(DefectGenerator.meanChangeUnderMask(clean, d)).as("%s seed %d: mean change under the mask", kind, seed)
                    .isGreaterThanOrEqualTo(DefectGenerator.MIN_VISIBLE_CHANGE);
        }
    }

    @ParameterizedTest
    @EnumSource(DefectKind.class)
    void shouldDrawDefectsThatStandOutFromABusySurface(DefectKind kind) {
        // among stones a 15 % brightness step or a short smear changes less than the stones differ
        for (int size : new int[] {64, 256}) {
            for (int seed = 0; seed < SEEDS; seed++) {
                Raster clean = TestTextures.stones(size, size, size / 8, seed);
                Defect d = generator.apply(clean, kind, new Random(seed));
                assertThat(DefectGenerator.contrastRatio(clean, d)).as("%s seed %d size %d: change over local contrast", kind,
                        seed, size).isGreaterThanOrEqualTo(DefectGenerator.MIN_CONTRAST_RATIO);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = DefectKind.class, names = {"SCRATCH", "SPOT", "CRACK", "SMEAR", "BRIGHTNESS"})
    void shouldDrawStrongerOnLaterAttempts(DefectKind kind) {
        // the same shape and place (same seed) at the first attempt's strength and at the last one's
        double first = 0;
        double last = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
            Raster clean = TestTextures.stones(64, 64, 8, seed);
            first += DefectGenerator.meanChangeUnderMask(clean,
                    generator.draw(clean, kind, DefectGenerator.strength(0), new Random(seed)));
            last += DefectGenerator.meanChangeUnderMask(clean,
                    generator.draw(clean, kind, DefectGenerator.strength(DefectGenerator.ATTEMPTS - 1), new Random(seed)));
        }
        assertThat(DefectGenerator.strength(0)).isEqualTo(1.0);
        assertThat(last).as("%s: mean change under the mask at the last attempt's strength", kind).isGreaterThan(1.1 * first);
    }

    @ParameterizedTest
    @EnumSource(value = DefectKind.class, names = {"SMEAR", "BRIGHTNESS"})
    void shouldKeepTheMostVisibleDrawWhereNoneIsVisible(DefectKind kind) {
        // black: neither blurring nor re-lighting changes a pixel
        Raster flat = Raster.blank(64, 64, 1);
        Defect d = generator.apply(flat, kind, new Random(3));
        assertThat(d.maskArea()).isPositive();
        assertThat(d.kind()).isEqualTo(kind);
    }

    @ParameterizedTest
    @EnumSource(DefectKind.class)
    void shouldCoverHalfAPercentToSixPercentOfTheImageAtAnySize(DefectKind kind) {
        for (int size : new int[] {64, 256}) {
            for (int seed = 0; seed < SEEDS; seed++) {
                Defect d = generator.apply(TestTextures.surface(size, size, 1, seed), kind, new Random(seed));
                double fraction = d.maskArea() / (double) (size * size);
                assertThat(fraction).as("%s seed %d on %dx%d", kind, seed, size, size).isBetween(0.005, 0.06);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DefectKind.class)
    void shouldPlaceTheDefectFullyInsideTheImage(DefectKind kind) {
        for (int seed = 0; seed < SEEDS; seed++) {
            Raster mask = generator.apply(TestTextures.surface(64, 48, 1, seed), kind, new Random(seed)).mask();
            for (int x = 0; x < 64; x++) {
                assertThat(mask.get(x, 0, 0) + mask.get(x, 47, 0)).as("%s seed %d, column %d", kind, seed, x).isZero();
            }
            for (int y = 0; y < 48; y++) {
                assertThat(mask.get(0, y, 0) + mask.get(63, y, 0)).as("%s seed %d, row %d", kind, seed, y).isZero();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DefectKind.class)
    void shouldKeepColourImagesInColourWithAOneChannelMask(DefectKind kind) {
        Raster clean = TestTextures.surface(96, 64, 3, 3);
        Defect d = generator.apply(clean, kind, new Random(3));
        assertThat(d.image().channels()).isEqualTo(3);
        assertThat(d.image().width()).isEqualTo(96);
        assertThat(d.mask().channels()).isEqualTo(1);
        assertThat(d.mask().width()).isEqualTo(96);
        assertThat(d.mask().height()).isEqualTo(64);
        assertThat(d.kind()).isEqualTo(kind);
        assertThat(clean.pixels()).as("the clean image is left untouched")
                .isEqualTo(TestTextures.surface(96, 64, 3, 3).pixels());
    }

    @ParameterizedTest
    @EnumSource(DefectKind.class)
    void shouldFindEveryKindByItsCliName(DefectKind kind) {
        assertThat(DefectKind.byName(kind.cliName())).isEqualTo(kind);
    }

    @org.junit.jupiter.api.Test
    void shouldRateTheSameChangeAsHiddenOnABusySurfaceAndPlainOnAFaintOne() {
        Raster faint = checker(0.45f, 0.55f);
        Raster busy = checker(0.2f, 0.8f);
        assertThat(DefectGenerator.contrastRatio(faint, brighter(faint))).as("0.1 on a surface of contrast 0.05").isCloseTo(2f,
                org.assertj.core.data.Offset.offset(0.05f));
        assertThat(DefectGenerator.contrastRatio(busy, brighter(busy))).as("0.1 on a surface of contrast 0.3").isCloseTo(1 / 3f,
                org.assertj.core.data.Offset.offset(0.02f));
        Raster flat = checker(0.5f, 0.5f);
        assertThat(DefectGenerator.contrastRatio(flat, brighter(flat))).isInfinite();
        assertThat(DefectGenerator.contrastRatio(flat, new Defect(flat, Raster.blank(32, 32, 1), DefectKind.SPOT))).isZero();
    }

    private static Raster checker(float dark, float light) {
        Raster r = Raster.blank(32, 32, 1);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                r.set(x, y, 0, ((x + y) & 1) == 0 ? dark : light);
            }
        }
        return r;
    }

    /** 0.1 brighter in an 8x8 square. */
    private static Defect brighter(Raster clean) {
        Raster image = clean.copy();
        Raster mask = Raster.blank(32, 32, 1);
        for (int y = 12; y < 20; y++) {
            for (int x = 12; x < 20; x++) {
                image.set(x, y, 0, clean.get(x, y, 0) + 0.1f);
                mask.set(x, y, 0, 1);
            }
        }
        return new Defect(image, mask, DefectKind.BRIGHTNESS);
    }
}
