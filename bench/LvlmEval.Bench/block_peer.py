"""PyTorch peer for the decoder-block benchmark: times forward and forward+backward of the same Llama block.

Usage: block_peer.py THREADS HIDDEN HEADS KV_HEADS INTERMEDIATE SEQ  → prints JSON {forward, forward_backward}
(median seconds).
       block_peer.py THREADS HIDDEN HEADS KV_HEADS INTERMEDIATE SEQ serve  → prints {torch}, then answers each "forward"
line on stdin with {seconds} of one forward, so the caller can alternate single runs with its own.
"""
import json
import math
import sys
import time

import torch
import torch.nn.functional as F

threads, hidden, heads, kv_heads, inter, seq = map(int, sys.argv[1:7])
torch.set_num_threads(threads)
torch.manual_seed(0)
d = hidden // heads


def param(*shape, scale=None):
    return (torch.randn(*shape) * (scale if scale is not None else 1.0 / math.sqrt(shape[-1]))).requires_grad_(True)


p = {
    "n1": (torch.ones(hidden) + 0.1 * torch.randn(hidden)).requires_grad_(True),
    "q": param(hidden, hidden), "k": param(kv_heads * d, hidden), "v": param(kv_heads * d, hidden), "o": param(hidden, hidden),
    "n2": (torch.ones(hidden) + 0.1 * torch.randn(hidden)).requires_grad_(True),
    "gate": param(inter, hidden), "up": param(inter, hidden), "down": param(hidden, inter),
}
inv_freq = 1.0 / (10000.0 ** (torch.arange(0, d, 2, dtype=torch.int64).float() / d))
freqs = torch.arange(seq, dtype=torch.float32)[:, None] * inv_freq[None, :]
emb = torch.cat((freqs, freqs), dim=-1)
cos, sin = emb.cos(), emb.sin()
mask = torch.triu(torch.ones(seq, seq, dtype=torch.bool), diagonal=1)


def rms(x, w):
    return w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6))


def rot(x):
    return torch.cat((-x[..., d // 2:], x[..., :d // 2]), dim=-1)


def block(x):
    b, s, _ = x.shape
    h = rms(x, p["n1"])
    q = F.linear(h, p["q"]).view(b, s, heads, d).transpose(1, 2)
    k = F.linear(h, p["k"]).view(b, s, kv_heads, d).transpose(1, 2)
    v = F.linear(h, p["v"]).view(b, s, kv_heads, d).transpose(1, 2)
    q, k = q * cos + rot(q) * sin, k * cos + rot(k) * sin
    k, v = k.repeat_interleave(heads // kv_heads, 1), v.repeat_interleave(heads // kv_heads, 1)
    probs = torch.softmax((q @ k.transpose(-1, -2) / math.sqrt(d)).masked_fill(mask, float("-inf")), dim=-1)
    x = x + F.linear((probs @ v).transpose(1, 2).reshape(b, s, hidden), p["o"])
    m = rms(x, p["n2"])
    return x + F.linear(F.silu(F.linear(m, p["gate"])) * F.linear(m, p["up"]), p["down"])


def median_seconds(fn, warmup=2, repeats=5):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return sorted(times)[repeats // 2]


x = torch.randn(1, seq, hidden)


def forward():
    with torch.no_grad():
        block(x)


def forward_backward():
    for t in p.values():
        t.grad = None
    block(x).sum().backward()


if sys.argv[7:8] == ["serve"]:
    print(json.dumps({"torch": torch.__version__}), flush=True)
    for line in sys.stdin:
        if line.strip() != "forward":
            break
        t = time.perf_counter()
        forward()
        print(json.dumps({"seconds": time.perf_counter() - t}), flush=True)
else:
    print(json.dumps({"forward": median_seconds(forward), "forward_backward": median_seconds(forward_backward), "torch": torch.__version__}))
