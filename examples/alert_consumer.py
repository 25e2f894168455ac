#!/usr/bin/env python3
"""Print FrameGuard anomaly events, as single-object Avro or through a Schema Registry.

  --format single-object   (default) C3 01, the 8-byte CRC-64-AVRO fingerprint, Avro; decoded with
                           nothing but schemas/AnomalyEvent.avsc (see single_object.py)
  --format confluent       00, the 4-byte schema id, Avro; decoded by confluent_kafka's Avro
                           deserializer with the writer schema fetched from --registry

Debian packages: python3-confluent-kafka python3-avro

    python3 examples/alert_consumer.py --bootstrap localhost:9092 [--topic anomalies] [--max N]
"""
import argparse
import json
import sys

from confluent_kafka import Consumer, KafkaError, TopicPartition

import single_object


def value_decoder(args):
    if args.format == "single-object":
        schema, fp = single_object.load_schema("AnomalyEvent")
        return lambda value: single_object.decode(value, schema, fp)
    from confluent_kafka.avro.cached_schema_registry_client import CachedSchemaRegistryClient
    from confluent_kafka.avro.serializer.message_serializer import MessageSerializer
    conf = {"url": args.registry}
    if args.basic_auth:
        conf.update({"basic.auth.credentials.source": "USER_INFO", "basic.auth.user.info": args.basic_auth})
    # AvroConsumer would also decode the key as Avro; FrameGuard's keys are plain source ids.
    serializer = MessageSerializer(CachedSchemaRegistryClient(conf))
    return lambda value: serializer.decode_message(value, is_key=False)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bootstrap", default="localhost:9092")
    ap.add_argument("--topic", default="anomalies")
    ap.add_argument("--max", type=int, default=0, help="exit after N events (0: run until Ctrl-C)")
    ap.add_argument("--timeout", type=float, default=60.0, help="give up after this many idle seconds")
    ap.add_argument("--format", choices=["single-object", "confluent"], default="single-object")
    ap.add_argument("--registry", help="Schema Registry URL (--format confluent)")
    ap.add_argument("--basic-auth", help="USER:PASSWORD for the registry")
    args = ap.parse_args()
    if args.format == "confluent" and not args.registry:
        ap.error("--format confluent needs --registry URL")

    decode = value_decoder(args)
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
            event = decode(msg.value())
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
