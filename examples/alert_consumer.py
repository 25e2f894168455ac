#!/usr/bin/env python3
"""Print FrameGuard anomaly events, decoded with nothing but schemas/AnomalyEvent.avsc.

FrameGuard writes Avro *single-object encoding*: the two bytes C3 01, the 8-byte little-endian
CRC-64-AVRO fingerprint of the writer schema, then the Avro binary body. This consumer checks the
marker and the fingerprint against the schema file and decodes the body with the avro library.

Debian packages: python3-confluent-kafka python3-avro

    python3 examples/alert_consumer.py --bootstrap localhost:9092 [--topic anomalies] [--max N]
"""
import argparse
import io
import json
import os
import struct
import sys

import avro.io
import avro.schema
from confluent_kafka import Consumer, KafkaError, TopicPartition

SCHEMA_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "schemas", "AnomalyEvent.avsc")
MAGIC = b"\xc3\x01"
EMPTY64 = 0xC15D213AA4D7A795  # the CRC-64-AVRO seed


def _crc64_table():
    table = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (EMPTY64 & -(fp & 1))
        table.append(fp)
    return table


_TABLE = _crc64_table()


def fingerprint(canonical_json: str) -> int:
    """CRC-64-AVRO (Rabin) fingerprint of a schema's Parsing Canonical Form."""
    fp = EMPTY64
    for b in canonical_json.encode("utf-8"):
        fp = (fp >> 8) ^ _TABLE[(fp ^ b) & 0xFF]
    return fp


PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}


def _reduce(node):
    """Parsing Canonical Form writes a primitive as its bare name. python3-avro 1.11 leaves the
    logical-type wrappers as {"type": "long"}; reduce those, as Java's SchemaNormalization does."""
    if isinstance(node, dict):
        if set(node) == {"type"} and node["type"] in PRIMITIVES:
            return node["type"]
        return {k: _reduce(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_reduce(v) for v in node]
    return node


def load_schema(path=SCHEMA_FILE):
    with open(path, encoding="utf-8") as f:
        schema = avro.schema.parse(f.read())
    canonical = json.dumps(_reduce(json.loads(schema.canonical_form)), separators=(",", ":"))
    return schema, fingerprint(canonical)


def decode(value: bytes, schema, expected_fp: int) -> dict:
    if value[:2] != MAGIC:
        raise ValueError("not Avro single-object encoded")
    (fp,) = struct.unpack("<Q", value[2:10])
    if fp != expected_fp:
        raise ValueError("schema fingerprint %016x is not AnomalyEvent's %016x" % (fp, expected_fp))
    return avro.io.DatumReader(schema).read(avro.io.BinaryDecoder(io.BytesIO(value[10:])))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bootstrap", default="localhost:9092")
    ap.add_argument("--topic", default="anomalies")
    ap.add_argument("--max", type=int, default=0, help="exit after N events (0: run until Ctrl-C)")
    ap.add_argument("--timeout", type=float, default=60.0, help="give up after this many idle seconds")
    args = ap.parse_args()

    schema, fp = load_schema()
    consumer = Consumer({
        "bootstrap.servers": args.bootstrap,
        "group.id": "frameguard-python-alerts",
        "enable.auto.commit": False,
        "isolation.level": "read_committed",
    })
    meta = consumer.list_topics(args.topic, timeout=30)
    parts = [TopicPartition(args.topic, p, 0) for p in meta.topics[args.topic].partitions]  # from the beginning
    consumer.assign(parts)
    seen, idle = 0, 0.0
    try:
        while args.max == 0 or seen < args.max:
            msg = consumer.poll(1.0)
            if msg is None:
                idle += 1.0
                if idle >= args.timeout:
                    break
                continue
            idle = 0.0
            if msg.error():
                if msg.error().code() != KafkaError._PARTITION_EOF:
                    print("error: %s" % msg.error(), file=sys.stderr)
                continue
            event = decode(msg.value(), schema, fp)
            event.pop("anomaly_map", None)
            for k in ("capture_time", "detection_time"):
                event[k] = str(event[k])
            print(json.dumps(event, sort_keys=True))
            seen += 1
    finally:
        consumer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
