"""Avro single-object encoding for FrameGuard's topics, with the avro library and the .avsc files alone.

C3 01, the 8-byte little-endian CRC-64-AVRO fingerprint of the writer schema's Parsing Canonical
Form, then the Avro binary body. Debian's python3-avro 1.11 writes logical types into its
canonical form as {"type":"long"} where the specification (and Java's SchemaNormalization) writes
"long", so its own fingerprint differs; this module reduces the form first, per the specification.
"""
import io
import json
import os
import struct

import avro.io
import avro.schema

SCHEMAS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "schemas")
MAGIC = b"\xc3\x01"
EMPTY64 = 0xC15D213AA4D7A795  # the CRC-64-AVRO seed
PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}


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


def _reduce(node):
    if isinstance(node, dict):
        if set(node) == {"type"} and node["type"] in PRIMITIVES:
            return node["type"]
        return {k: _reduce(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_reduce(v) for v in node]
    return node


def load_schema(name):
    """The schema schemas/NAME.avsc and its fingerprint as the specification defines it."""
    with open(os.path.join(SCHEMAS, name + ".avsc"), encoding="utf-8") as f:
        schema = avro.schema.parse(f.read())
    canonical = json.dumps(_reduce(json.loads(schema.canonical_form)), separators=(",", ":"))
    return schema, fingerprint(canonical)


def encode(record: dict, schema, fp: int) -> bytes:
    out = io.BytesIO()
    out.write(MAGIC + struct.pack("<Q", fp))
    avro.io.DatumWriter(schema).write(record, avro.io.BinaryEncoder(out))
    return out.getvalue()


def decode(value: bytes, schema, expected_fp: int) -> dict:
    if value[:2] != MAGIC:
        raise ValueError("not Avro single-object encoded")
    (fp,) = struct.unpack("<Q", value[2:10])
    if fp != expected_fp:
        raise ValueError("schema fingerprint %016x is not %s's %016x" % (fp, schema.name, expected_fp))
    return avro.io.DatumReader(schema).read(avro.io.BinaryDecoder(io.BytesIO(value[10:])))
