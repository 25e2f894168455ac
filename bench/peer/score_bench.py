#!/usr/bin/env python3
"""The scoring peer of `frameguard bench scoring --peer`: FrameGuard's dense autoencoder in PyTorch.

What a user would write instead of FrameGuard's scorer: the network rebuilt as an nn.Sequential of
nn.Linear layers from the weights a bundle was exported to (io.frameguard.harness.bench.DenseExport:
manifest.json plus raw little-endian float32 files), then model(x) timed under
torch.inference_mode() with torch.set_num_threads(1), the same one thread as FrameGuard's default.
The bench starts it as it starts pipeline_peer.py: one BLAS thread, and glibc's malloc told to keep
freed memory.
Each figure is the median images/s of several timed rounds after a warm-up, as ScoringBenchmark does.

With --check, first compares the model's outputs on the exported check images with FrameGuard's
reconstruction of them and exits 2 when they differ by more than --tolerance.

Prints one JSON object per line: {"torch": ...}, {"check": ...}, then one {"batch": ...} per batch.

With --stdin it times no batch of its own: it reads one request per line, {"batch": B, "seconds": S},
and answers each with {"batch": B, "images_per_s": ...} of one round of about S seconds, until its
input ends. FrameGuard's bench uses it to time the two side by side, a round of each in turn, so that
both meet the same state of a shared host.

    python3 bench/peer/score_bench.py EXPORT_DIR [--batches 1,32,256] [--rounds 5] [--round-seconds 1]
    python3 bench/peer/score_bench.py EXPORT_DIR --stdin
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn

ACTIVATIONS = {"relu": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "identity": nn.Identity}


def floats(directory, name, shape):
    data = np.fromfile(os.path.join(directory, name), dtype="<f4")
    return torch.from_numpy(data.reshape(shape))


def load_model(directory):
    with open(os.path.join(directory, "manifest.json")) as f:
        manifest = json.load(f)
    layers = []
    for layer in manifest["layers"]:
        if "weights" in layer:
            n_in, n_out = layer["inputs"], layer["outputs"]
            linear = nn.Linear(n_in, n_out, bias="bias" in layer)
            with torch.no_grad():
                # FrameGuard stores W as [in, out]; nn.Linear keeps [out, in]
                linear.weight.copy_(floats(directory, layer["weights"], (n_in, n_out)).t())
                if "bias" in layer:
                    linear.bias.copy_(floats(directory, layer["bias"], (n_out,)))
            layers.append(linear)
        if layer["activation"] not in ACTIVATIONS:
            sys.exit(f"score_bench: activation {layer['activation']!r} is not one of {sorted(ACTIVATIONS)}")
        layers.append(ACTIVATIONS[layer["activation"]]())
    return manifest, nn.Sequential(*layers).eval()


def check(directory, manifest, model):
    c = manifest["check"]
    x = floats(directory, c["inputs"], (c["images"], manifest["input_size"]))
    expected = floats(directory, c["outputs"], (c["images"], manifest["output_size"]))
    with torch.inference_mode():
        got = model(x)
    return c["images"], float((got - expected).abs().max())


def rate(model, x, seconds):
    """Images per second of model(x) called in a loop for about `seconds`."""
    n = 0
    t0 = time.perf_counter()
    end = t0 + seconds
    while True:
        model(x)
        n += 1
        now = time.perf_counter()
        if now >= end:
            return n * x.shape[0] / (now - t0)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("export_dir")
    p.add_argument("--batches", default="1,32,256")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--round-seconds", type=float, default=1.0)
    p.add_argument("--warmup-seconds", type=float, default=2.0)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--check", action="store_true")
    p.add_argument("--tolerance", type=float, default=1e-5)
    p.add_argument("--stdin", action="store_true", help="time rounds asked for on stdin, one JSON request a line")
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    manifest, model = load_model(a.export_dir)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    if a.check:
        images, diff = check(a.export_dir, manifest, model)
        print(json.dumps({"check": {"images": images, "max_abs_diff": diff, "tolerance": a.tolerance}}), flush=True)
        if not diff <= a.tolerance:
            print(f"score_bench: PyTorch's outputs differ from FrameGuard's by {diff:.2e} (> {a.tolerance:.0e});"
                  " the export does not match the bundle", file=sys.stderr)
            return 2

    generator = torch.Generator().manual_seed(1)

    def pixels(batch):
        # pixels as the camera sends them (0..255), scaled as the bundle's preprocessing does
        return torch.randint(0, 256, (batch, manifest["input_size"]), generator=generator).float() * manifest["scale"]

    if a.stdin:
        inputs = {}
        with torch.inference_mode():
            for line in sys.stdin:
                if not line.strip():
                    continue
                request = json.loads(line)
                batch = int(request["batch"])
                if batch not in inputs:
                    inputs[batch] = pixels(batch)
                print(json.dumps({"batch": batch, "images_per_s": rate(model, inputs[batch], float(request["seconds"]))}),
                      flush=True)
        return 0

    with torch.inference_mode():
        for batch in (int(b) for b in a.batches.split(",")):
            x = pixels(batch)
            rate(model, x, a.warmup_seconds)
            rounds = sorted(rate(model, x, a.round_seconds) for _ in range(a.rounds))
            print(json.dumps({"batch": batch, "images_per_s": float(np.median(rounds)),
                              "images_per_s_min": rounds[0], "images_per_s_max": rounds[-1]}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
