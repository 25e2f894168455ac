package io.frameguard.stream.serde.registry;

/** The registry answered and has no (Avro) schema under the id a record names: the record is bad. */
public final class UnknownSchemaIdException extends RuntimeException {
    private final int id;

    public UnknownSchemaIdException(int id, String url, String why) {
        super("unknown schema id " + id + ": it " + why + " (" + url + ")", null, false, false);
        this.id = id;
    }

    public int id() {
        return id;
    }
}
