"""Peer for the safetensors-load benchmark: struct + json header parsing, mmap, torch.frombuffer, then float32.

  safetensors_load_peer.py FILE REPEATS  ->  prints {"ms": [per repeat], "elements": N}

Each repeat opens the file, parses the header and materialises every tensor as a float32 torch tensor
(F32 cloned out of the mapping, F16/BF16 converted with .float()), which is what our reader returns.
"""
import json
import mmap
import struct
import sys
import time

import torch

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}
SIZES = {"F32": 4, "F16": 2, "BF16": 2}


def load(path):
    with open(path, "rb") as f:
        mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY)
    (n,) = struct.unpack("<Q", mm[:8])
    header = json.loads(mm[8:8 + n])
    header.pop("__metadata__", None)
    out = {}
    for name, e in header.items():
        begin, end = e["data_offsets"]
        count = (end - begin) // SIZES[e["dtype"]]
        t = torch.frombuffer(mm, dtype=DTYPES[e["dtype"]], count=count, offset=8 + n + begin).reshape(e["shape"])
        out[name] = t.clone() if e["dtype"] == "F32" else t.float()
    return out


def main(path, repeats):
    times, elements = [], 0
    for _ in range(int(repeats)):
        start = time.perf_counter()
        tensors = load(path)
        times.append((time.perf_counter() - start) * 1000)
        elements = sum(t.numel() for t in tensors.values())
        del tensors
    print(json.dumps({"ms": times, "elements": elements, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main(*sys.argv[1:])
