package io.frameguard.stream;

import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Copies of one network for the threads that score with it, each copy used by one thread at a time
 * (DL4J graphs keep per-call state). A thread takes the copy put back last and puts it back when its
 * call returns, so copies belong to no thread: the copies the warm-up's stream thread compiled and
 * sized its buffers with are the ones the line's stream thread starts on. With a copy per thread
 * instead, the line's first batch waited for a new copy of the network (a clone and its Java
 * weights, about 0.1 s on a busy 2-core host) and the warm-up's copies were left to the dead thread.
 * A copy is made only when every copy is busy, so there are never more than threads scoring at once.
 */
final class NetworkCopies<T> {
    private final Deque<T> idle = new ConcurrentLinkedDeque<>();
    private final Supplier<T> copy;
    private final AtomicInteger made = new AtomicInteger(1);

    /** @param first the first copy; {@code copy} makes the others when they are needed */
    NetworkCopies(T first, Supplier<T> copy) {
        idle.push(first);
        this.copy = copy;
    }

    /** Runs {@code work} on a copy no other thread is using. */
    <R> R apply(Function<T, R> work) {
        T c = idle.pollFirst();
        if (c == null) {
            c = copy.get();
            made.incrementAndGet();
        }
        try {
            return work.apply(c);
        } finally {
            idle.offerFirst(c);
        }
    }

    /** Copies made so far, the first included. */
    int made() {
        return made.get();
    }
}
