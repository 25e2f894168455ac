#!/usr/bin/env python3
"""The pipeline peer of `frameguard bench pipeline --peer`: frames scored by PyTorch in a confluent_kafka loop.

What a user would write in an afternoon instead of FrameGuard: consume a batch of frames, decode
each (Avro single-object encoding: the 2-byte marker, the 8-byte schema fingerprint, then the Avro
body, read by python3-avro with schemas/ImageFrame.avsc), score the batch with the same dense
autoencoder in PyTorch (the mean squared error between a frame and its reconstruction), produce one
JSON score per frame to the scores topic, and commit, either

  at-least-once: the scores flushed, then the batch's offsets committed, or
  exactly-once:  one transaction per batch, the consumer's offsets sent to it.

The network is the one `score_bench.py` builds from the bundle's export, checked against
FrameGuard's outputs before anything is consumed; torch.set_num_threads(1), FrameGuard's default.
The bench starts it with OMP_NUM_THREADS=1, OPENBLAS_NUM_THREADS=1 and glibc's malloc told to keep
freed memory (GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=134217728),
and once more with glibc's defaults, under which PyTorch's activations can be faulted in afresh
batch after batch; BENCHMARKS.md has both.

Prints one JSON object per line: {"versions": ...}, {"check": ...}, then {"done": ...} with the
frames scored, when all expected frames were scored or nothing arrived for --idle-seconds.

    python3 bench/peer/pipeline_peer.py EXPORT_DIR --bootstrap HOST:PORT --frames-topic T --scores-topic T
        --group G --frames N [--batch 256] [--exactly-once] [--schema schemas/ImageFrame.avsc]
"""
import argparse
import io
import json
import os
import sys
import time

import avro.io
import avro.schema
import confluent_kafka
import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import score_bench  # noqa: E402  (the same network, loaded the same way)

HEADER = 10  # 0xC3 0x01 and the 8-byte CRC-64-AVRO fingerprint of the writer's schema


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("export_dir")
    p.add_argument("--bootstrap", required=True)
    p.add_argument("--frames-topic", required=True)
    p.add_argument("--scores-topic", required=True)
    p.add_argument("--group", required=True)
    p.add_argument("--frames", type=int, required=True, help="stop after this many frames are scored")
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--exactly-once", action="store_true")
    p.add_argument("--schema", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                    "..", "..", "schemas", "ImageFrame.avsc"))
    p.add_argument("--idle-seconds", type=float, default=30.0)
    p.add_argument("--tolerance", type=float, default=1e-5)
    a = p.parse_args()

    torch.set_num_threads(1)
    manifest, model = score_bench.load_model(a.export_dir)
    print(json.dumps({"versions": {"torch": torch.__version__, "confluent_kafka": confluent_kafka.version()[0],
                                   "librdkafka": confluent_kafka.libversion()[0]}}), flush=True)
    images, diff = score_bench.check(a.export_dir, manifest, model)
    print(json.dumps({"check": {"images": images, "max_abs_diff": diff, "tolerance": a.tolerance}}), flush=True)
    if not diff <= a.tolerance:
        print(f"pipeline_peer: PyTorch's outputs differ from FrameGuard's by {diff:.2e}", file=sys.stderr)
        return 2

    with open(a.schema) as f:
        reader = avro.io.DatumReader(avro.schema.parse(f.read()))
    scale = manifest["scale"]
    size = manifest["input_size"]

    consumer = confluent_kafka.Consumer({
        "bootstrap.servers": a.bootstrap, "group.id": a.group, "auto.offset.reset": "earliest",
        "enable.auto.commit": False, "isolation.level": "read_committed"})
    producer_config = {"bootstrap.servers": a.bootstrap, "linger.ms": 5}
    if a.exactly_once:
        producer_config["transactional.id"] = a.group + "-scorer"
    else:
        producer_config["enable.idempotence"] = True
    producer = confluent_kafka.Producer(producer_config)
    if a.exactly_once:
        producer.init_transactions()
    consumer.subscribe([a.frames_topic])

    scored = 0
    last = time.monotonic()
    with torch.inference_mode():
        while scored < a.frames and time.monotonic() - last < a.idle_seconds:
            messages = [m for m in consumer.consume(num_messages=a.batch, timeout=0.1) if m.error() is None]
            if not messages:
                continue
            last = time.monotonic()
            frames = [reader.read(avro.io.BinaryDecoder(io.BytesIO(m.value()[HEADER:]))) for m in messages]
            pixels = np.frombuffer(b"".join(f["pixels"] for f in frames), dtype=np.uint8).reshape(len(frames), size)
            x = torch.from_numpy(pixels).float() * scale
            scores = ((model(x) - x) ** 2).mean(dim=1).tolist()
            if a.exactly_once:
                producer.begin_transaction()
            for m, f, s in zip(messages, frames, scores):
                value = json.dumps({"frame_id": f["frame_id"], "source_id": f["source_id"], "score": s})
                while True:
                    try:
                        producer.produce(a.scores_topic, key=m.key(), value=value)
                        break
                    except BufferError:
                        producer.poll(0.01)  # the local queue is full: let deliveries drain it
            if a.exactly_once:
                producer.send_offsets_to_transaction(consumer.position(consumer.assignment()),
                                                     consumer.consumer_group_metadata())
                producer.commit_transaction()
            else:
                producer.flush()
                consumer.commit(asynchronous=True)
            scored += len(messages)
    producer.flush()
    consumer.close()
    print(json.dumps({"done": {"frames": scored}}), flush=True)
    return 0 if scored >= a.frames else 1


if __name__ == "__main__":
    sys.exit(main())
