#!/usr/bin/env python3
"""Send camera frames to FrameGuard, as Avro single-object or through a Schema Registry.

Frames come from an IDX image file (MNIST's format; the labels file is optional) or, without one,
are synthetic 28x28 gradients. Keys are the source ids, as FrameGuard expects.

  --format single-object   C3 01 + fingerprint + Avro, with schemas/ImageFrame.avsc alone
  --format confluent       00 + schema id + Avro, by confluent_kafka's Avro serializer; the schema
                           is registered under <topic>-value at --registry

Debian packages: python3-confluent-kafka python3-avro

    python3 examples/camera_producer.py --bootstrap localhost:9092 --images data/mnist/t10k-images-idx3-ubyte \\
        --labels data/mnist/t10k-labels-idx1-ubyte --count 1000 [--format confluent --registry http://localhost:8081]
"""
import argparse
import datetime
import struct
import sys

from confluent_kafka import Producer

import single_object


def idx(path):
    with open(path, "rb") as f:
        data = f.read()
    magic, n = struct.unpack(">II", data[:8])
    dims = struct.unpack(">" + "I" * (magic & 0xFF), data[4:4 + 4 * (magic & 0xFF)])
    body = data[4 + 4 * len(dims):]
    size = 1
    for d in dims[1:]:
        size *= d
    return dims, [body[i * size:(i + 1) * size] for i in range(n)]


def frames(args):
    if args.images:
        dims, images = idx(args.images)
        labels = [str(b[0]) for b in idx(args.labels)[1]] if args.labels else [None] * len(images)
        width, height = dims[2], dims[1]
    else:
        width = height = 28
        images = [bytes((x * 9 + y + i) % 256 for y in range(28) for x in range(28)) for i in range(256)]
        labels = [None] * len(images)
    sources = args.sources.split(",")
    for n in range(args.count):
        i = (args.start + n) % len(images)
        source = sources[n % len(sources)]
        yield source, {
            "frame_id": "%s-%d" % (source, args.start + n), "source_id": source,
            "capture_time": datetime.datetime.now(datetime.timezone.utc),
            "width": width, "height": height, "channels": 1, "encoding": "RAW_U8",
            "pixels": images[i], "label": labels[i], "attributes": {"producer": "camera_producer.py"},
        }


def value_encoder(args):
    if args.format == "single-object":
        schema, fp = single_object.load_schema("ImageFrame")
        return lambda record: single_object.encode(record, schema, fp)
    from confluent_kafka import avro
    from confluent_kafka.avro.cached_schema_registry_client import CachedSchemaRegistryClient
    from confluent_kafka.avro.serializer.message_serializer import MessageSerializer
    conf = {"url": args.registry}
    if args.basic_auth:
        conf.update({"basic.auth.credentials.source": "USER_INFO", "basic.auth.user.info": args.basic_auth})
    serializer = MessageSerializer(CachedSchemaRegistryClient(conf))
    schema = avro.load(single_object.os.path.join(single_object.SCHEMAS, "ImageFrame.avsc"))
    # AvroProducer insists on an Avro key too; FrameGuard's keys are plain source ids, so the value
    # serializer is called directly and the record produced with a plain Producer.
    return lambda record: serializer.encode_record_with_schema(args.topic, schema, record, is_key=False)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bootstrap", default="localhost:9092")
    ap.add_argument("--topic", default="frames")
    ap.add_argument("--format", choices=["single-object", "confluent"], default="single-object")
    ap.add_argument("--registry", help="Schema Registry URL (--format confluent)")
    ap.add_argument("--basic-auth", help="USER:PASSWORD for the registry")
    ap.add_argument("--images", help="IDX image file; without it, synthetic frames")
    ap.add_argument("--labels", help="IDX label file matching --images")
    ap.add_argument("--sources", default="line-1,line-2")
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--start", type=int, default=0, help="index of the first image")
    args = ap.parse_args()
    if args.format == "confluent" and not args.registry:
        ap.error("--format confluent needs --registry URL")

    encode = value_encoder(args)
    producer = Producer({"bootstrap.servers": args.bootstrap, "enable.idempotence": True})
    failures = []
    for key, record in frames(args):
        producer.produce(args.topic, key=key.encode(), value=encode(record),
                         on_delivery=lambda err, msg: failures.append(err) if err else None)
        producer.poll(0)
    producer.flush(60)
    if failures:
        print("camera_producer: %d frames not delivered: %s" % (len(failures), failures[0]), file=sys.stderr)
        return 1
    print("sent %d frames to %s (%s)" % (args.count, args.topic, args.format))
    return 0


if __name__ == "__main__":
    sys.exit(main())
