package io.frameguard;

/**
 * A failure the user can act on: bad input, a missing file, a bad setting. The message is one line
 * that names what was wrong and, where it helps, what to do. The CLI prints it without a stack trace.
 */
public class FrameGuardException extends RuntimeException {
    public FrameGuardException(String message) {
        super(message);
    }

    public FrameGuardException(String message, Throwable cause) {
        super(message, cause);
    }
}
