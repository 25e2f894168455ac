package io.frameguard.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/** A serializable class whose deserialization is observable: stands in for a gadget chain's first link. */
public final class Tripwire implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Set by {@link #readObject}: true once any code deserialized a Tripwire. */
    public static volatile boolean deserialized;

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        deserialized = true;
    }

    /** A Tripwire in Java serialization form (starts with 0xACED). */
    public static byte[] serialized() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(out)) {
            o.writeObject(new Tripwire());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
