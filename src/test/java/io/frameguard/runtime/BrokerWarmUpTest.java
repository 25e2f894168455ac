package io.frameguard.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BrokerWarmUpTest {
    @Test
    void shouldOfferHalfOfWhatTheScorerTookInMemoryAndNoMoreThanTheCap() {
        // a 64x64 draem scorer: 38,912 frames in 25.3 s in memory on 2 cores
        assertThat(BrokerWarmUp.rate(38_912, 25_285)).isCloseTo(769.5, within(0.5));
        // a dense digits scorer: 122,880 frames in 5.2 s, faster than the cap
        assertThat(BrokerWarmUp.rate(122_880, 5_246)).isEqualTo(BrokerWarmUp.MAX_RATE);
        // nothing measured (the in-memory warm-up failed or was cut short): the cap
        assertThat(BrokerWarmUp.rate(0, 0)).isEqualTo(BrokerWarmUp.MAX_RATE);
        assertThat(BrokerWarmUp.rate(10, 0)).isEqualTo(BrokerWarmUp.MAX_RATE);
        // a scorer of a frame a second still gets frames
        assertThat(BrokerWarmUp.rate(1, 10_000)).isEqualTo(1);
    }
}
