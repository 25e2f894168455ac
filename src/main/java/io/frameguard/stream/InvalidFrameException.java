package io.frameguard.stream;

/** A record the detector cannot score; it goes to the dead-letter topic with this reason. */
public final class InvalidFrameException extends Exception {
    private final DeadLetter.Reason reason;

    public InvalidFrameException(DeadLetter.Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public DeadLetter.Reason reason() {
        return reason;
    }
}
