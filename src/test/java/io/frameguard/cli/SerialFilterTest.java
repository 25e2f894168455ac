package io.frameguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameguard.model.Tripwire;
import java.io.ByteArrayInputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import org.junit.jupiter.api.Test;

class SerialFilterTest {
    /** The filter FrameGuard.main installs for the whole JVM, applied here to one stream (a JVM-wide one cannot be removed). */
    @Test
    void shouldRejectEveryClassBeforeItsReadObjectRuns() throws Exception {
        Tripwire.deserialized = false;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Tripwire.serialized()))) {
            in.setObjectInputFilter(SerialFilter.REJECT_ALL);
            assertThatThrownBy(in::readObject).isInstanceOf(InvalidClassException.class).hasMessageContaining("REJECTED");
        }
        assertThat(Tripwire.deserialized).isFalse();
    }
}
