"""PyTorch references for composite blocks: a Llama decoder block and a two-layer MLP.

Usage: block_oracle.py llama|mlp|train_mlp SPEC.json OUT.json
SPEC holds the parameters by name, the input, the upstream gradient (llama) or targets (mlp).
OUT holds the output (or loss) and the gradient of every parameter and of the input.
"""
import json
import math
import sys

import torch
import torch.nn.functional as F


def tensor(entry):
    return torch.tensor(entry["data"], dtype=torch.float32).reshape(entry["shape"]).requires_grad_(True)


def rms_norm(x, w, eps):
    return w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)


def llama_block(p, x, spec):
    heads, kv_heads, eps, theta = spec["heads"], spec["kv_heads"], spec["eps"], spec["theta"]
    b, s, hidden = x.shape
    d = hidden // heads
    # Rotary tables as Hugging Face's LlamaRotaryEmbedding computes them (float32).
    inv_freq = 1.0 / (theta ** (torch.arange(0, d, 2, dtype=torch.int64).float() / d))
    pos = torch.arange(s, dtype=torch.float32)
    freqs = pos[:, None] * inv_freq[None, :]
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos(), emb.sin()

    h = rms_norm(x, p["input_layernorm.weight"], eps)
    q = F.linear(h, p["self_attn.q_proj.weight"]).view(b, s, heads, d).transpose(1, 2)
    k = F.linear(h, p["self_attn.k_proj.weight"]).view(b, s, kv_heads, d).transpose(1, 2)
    v = F.linear(h, p["self_attn.v_proj.weight"]).view(b, s, kv_heads, d).transpose(1, 2)
    q = q * cos + rotate_half(q) * sin
    k = k * cos + rotate_half(k) * sin
    groups = heads // kv_heads
    k = k.repeat_interleave(groups, dim=1)
    v = v.repeat_interleave(groups, dim=1)
    scores = q @ k.transpose(-1, -2) / math.sqrt(d)
    mask = torch.triu(torch.ones(s, s, dtype=torch.bool), diagonal=1)
    probs = torch.softmax(scores.masked_fill(mask, float("-inf")), dim=-1)
    context = (probs @ v).transpose(1, 2).reshape(b, s, hidden)
    x = x + F.linear(context, p["self_attn.o_proj.weight"])
    m = rms_norm(x, p["post_attention_layernorm.weight"], eps)
    mlp = F.linear(F.silu(F.linear(m, p["mlp.gate_proj.weight"])) * F.linear(m, p["mlp.up_proj.weight"]), p["mlp.down_proj.weight"])
    return x + mlp


def mlp_logits(p, x):
    return F.linear(F.gelu(F.linear(x, p["0.weight"], p["0.bias"])), p["2.weight"], p["2.bias"])


def train_mlp(params, x, spec):
    """Full-batch AdamW on cross-entropy, with gradient clipping; returns the loss before each step."""
    targets = torch.tensor(spec["targets"], dtype=torch.long)
    order = list(params.keys())
    opt = torch.optim.AdamW([params[k] for k in order], lr=spec["lr"], weight_decay=spec["weight_decay"])
    losses = []
    for _ in range(spec["steps"]):
        opt.zero_grad()
        loss = F.cross_entropy(mlp_logits(params, x), targets)
        loss.backward()
        torch.nn.utils.clip_grad_norm_([params[k] for k in order], spec["max_norm"])
        opt.step()
        losses.append(loss.item())
    return losses


def main():
    kind, spec_path, out_path = sys.argv[1:4]
    spec = json.load(open(spec_path))
    params = {name: tensor(entry) for name, entry in spec["params"].items()}
    x = tensor(spec["input"])
    if kind == "train_mlp":
        json.dump({"losses": train_mlp(params, x.detach(), spec)}, open(out_path, "w"))
        return
    if kind == "llama":
        out = llama_block(params, x, spec)
        upstream = torch.tensor(spec["upstream"], dtype=torch.float32).reshape(out.shape)
        (out * upstream).sum().backward()
        value = out.detach().reshape(-1).tolist()
    else:
        logits = mlp_logits(params, x)
        loss = F.cross_entropy(logits, torch.tensor(spec["targets"], dtype=torch.long))
        loss.backward()
        value = [loss.item()]
    result = {"out": value, "input_grad": x.grad.reshape(-1).tolist(),
              "grads": {name: t.grad.reshape(-1).tolist() for name, t in params.items()}}
    json.dump(result, open(out_path, "w"))


if __name__ == "__main__":
    main()
