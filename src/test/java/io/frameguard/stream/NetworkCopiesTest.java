package io.frameguard.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NetworkCopiesTest {
    @Test
    void shouldHandTheSameCopyToThreadsThatScoreOneAfterAnother() throws Exception {
        AtomicInteger made = new AtomicInteger();
        Object first = new Object();
        NetworkCopies<Object> copies = new NetworkCopies<>(first, () -> {
            made.incrementAndGet();
            return new Object();
        });
        List<Object> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread t = new Thread(() -> seen.add(copies.apply(c -> c)));
            t.start();
            t.join();
        }
        assertThat(seen).containsOnly(first);
        assertThat(made).hasValue(0);
        assertThat(copies.made()).isEqualTo(1);
    }

    @Test
    void shouldGiveThreadsScoringAtOnceACopyEach() throws Exception {
        NetworkCopies<Object> copies = new NetworkCopies<>(new Object(), Object::new);
        Set<Object> inUse = ConcurrentHashMap.newKeySet();
        Set<Object> used = ConcurrentHashMap.newKeySet();
        AtomicInteger clashes = new AtomicInteger();
        CountDownLatch allIn = new CountDownLatch(3);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread t = new Thread(() -> copies.apply(c -> {
                if (!inUse.add(c)) {
                    clashes.incrementAndGet();
                }
                used.add(c);
                allIn.countDown();
                try {
                    // hold the copy until all three threads hold one
                    allIn.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                inUse.remove(c);
                return c;
            }));
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(clashes).hasValue(0);
        assertThat(used).hasSize(3);
        assertThat(copies.made()).isEqualTo(3);
        // and the next caller gets one of them back rather than a fourth
        Object next = copies.apply(c -> c);
        assertThat(used).contains(next);
        assertThat(copies.made()).isEqualTo(3);
    }
}
