"""Reference values for LvlmEval tensor ops: PyTorch float32 forward + autograd, and float64 central differences.

Usage: tensor_ops_oracle.py CASES.json OUT.json
Each case: {id, op, params, inputs: [{shape, data, grad}], upstream, fd}. For every case the script writes the
float32 forward output, torch.autograd gradients of sum(out * upstream) for inputs with grad=true, and (when fd)
float64 central-difference gradients of the same scalar, computed without autograd.
"""
import json
import math
import sys

import torch
import torch.nn.functional as F


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)


def repeat_kv(x, groups):
    b, hkv, s, d = x.shape
    return x[:, :, None, :, :].expand(b, hkv, groups, s, d).reshape(b, hkv * groups, s, d)


def attention(t, p):
    q, k, v = t[0], t[1], t[2]
    groups = q.shape[1] // k.shape[1]
    k, v = repeat_kv(k, groups), repeat_kv(v, groups)
    scale = p.get("scale") or 1.0 / math.sqrt(q.shape[-1])
    scores = (q @ k.transpose(-1, -2)) * scale
    if len(t) > 3:
        scores = scores + t[3]
    if p.get("causal"):
        sq, sk = scores.shape[-2], scores.shape[-1]
        i = torch.arange(sq)[:, None]
        j = torch.arange(sk)[None, :]
        scores = scores.masked_fill(j > i + (sk - sq), float("-inf"))
    probs = torch.softmax(scores, dim=-1)
    return probs @ v if p.get("output", "context") == "context" else probs


def attention_scores(t, p):
    q, k = t[0], t[1]
    k = repeat_kv(k, q.shape[1] // k.shape[1])
    scores = (q @ k.transpose(-1, -2)) * p["scale"]
    sq, sk = scores.shape[-2], scores.shape[-1]
    masked = torch.arange(sk)[None, :] > torch.arange(sq)[:, None] + (sk - sq)
    return scores.masked_fill(masked, float("-inf"))


def gelu_tanh(x):
    return F.gelu(x, approximate="tanh")


OPS = {
    "add": lambda t, p: t[0] + t[1],
    "sub": lambda t, p: t[0] - t[1],
    "mul": lambda t, p: t[0] * t[1],
    "div": lambda t, p: t[0] / t[1],
    "add_scalar": lambda t, p: t[0] + p["c"],
    "mul_scalar": lambda t, p: t[0] * p["c"],
    "div_scalar": lambda t, p: t[0] / p["c"],
    "rsub_scalar": lambda t, p: p["c"] - t[0],
    "rdiv_scalar": lambda t, p: p["c"] / t[0],
    "pow_scalar": lambda t, p: t[0] ** p["c"],
    "neg": lambda t, p: -t[0],
    "exp": lambda t, p: torch.exp(t[0]),
    "log": lambda t, p: torch.log(t[0]),
    "sqrt": lambda t, p: torch.sqrt(t[0]),
    "tanh": lambda t, p: torch.tanh(t[0]),
    "sigmoid": lambda t, p: torch.sigmoid(t[0]),
    "relu": lambda t, p: torch.relu(t[0]),
    "silu": lambda t, p: F.silu(t[0]),
    "silu_mul": lambda t, p: F.silu(t[0]) * t[1],
    "gelu": lambda t, p: F.gelu(t[0]),
    "gelu_tanh": lambda t, p: gelu_tanh(t[0]),
    "quick_gelu": lambda t, p: t[0] * torch.sigmoid(1.702 * t[0]),
    "matmul": lambda t, p: t[0] @ t[1],
    "linear": lambda t, p: F.linear(t[0], t[1], t[2] if len(t) > 2 else None),
    "permute": lambda t, p: t[0].permute(*p["axes"]),
    "transpose": lambda t, p: t[0].transpose(p["a"], p["b"]),
    "reshape": lambda t, p: t[0].reshape(*p["shape"]),
    "narrow": lambda t, p: t[0].narrow(p["axis"], p["start"], p["length"]),
    "select": lambda t, p: t[0].select(p["axis"], p["index"]),
    "concat": lambda t, p: torch.cat(t, dim=p["axis"]),
    "index_select": lambda t, p: torch.index_select(t[0], p["axis"], torch.tensor(p["indices"], dtype=torch.long)),
    "embedding": lambda t, p: F.embedding(torch.tensor(p["ids"], dtype=torch.long).reshape(p["ids_shape"]), t[0]),
    "sum": lambda t, p: t[0].sum(dim=p["axis"], keepdim=p["keep"]),
    "mean": lambda t, p: t[0].mean(dim=p["axis"], keepdim=p["keep"]),
    "sum_all": lambda t, p: t[0].sum(),
    "mean_all": lambda t, p: t[0].mean(),
    "max": lambda t, p: t[0].max(dim=p["axis"], keepdim=p["keep"]).values,
    "softmax": lambda t, p: torch.softmax(t[0] * p.get("scale", 1.0), dim=p["axis"]),
    "log_softmax": lambda t, p: torch.log_softmax(t[0], dim=p["axis"]),
    "layer_norm": lambda t, p: F.layer_norm(t[0], (t[0].shape[-1],), t[1] if len(t) > 1 else None, t[2] if len(t) > 2 else None, eps=p["eps"]),
    "rms_norm": lambda t, p: t[0] * torch.rsqrt(t[0].pow(2).mean(-1, keepdim=True) + p["eps"]) * t[1],
    "rope": lambda t, p: t[0] * t[1] + rotate_half(t[0]) * t[2],
    "attention": attention,
    "attention_scores": attention_scores,
    "conv2d_patchify": lambda t, p: F.conv2d(t[0], t[1], t[2] if len(t) > 2 else None, stride=t[1].shape[-1]),
    "patch_embed": lambda t, p: F.conv2d(t[0], t[1], t[2] if len(t) > 2 else None, stride=t[1].shape[-1]).flatten(2).transpose(1, 2),
    "cross_entropy": lambda t, p: F.cross_entropy(t[0], torch.tensor(p["targets"], dtype=torch.long), ignore_index=p.get("ignore_index", -100)),
}


def make_inputs(case, dtype, requires_grad):
    tensors = []
    for spec in case["inputs"]:
        t = torch.tensor(spec["data"], dtype=torch.float64).reshape(spec["shape"]).to(dtype)
        if requires_grad and spec["grad"]:
            t.requires_grad_(True)
        tensors.append(t)
    return tensors


def finite_difference(case, op):
    """d/dx of sum(op(x) * upstream) by central differences in float64, without autograd."""
    inputs = make_inputs(case, torch.float64, False)
    upstream = torch.tensor(case["upstream"], dtype=torch.float64)
    p = case["params"]

    def objective():
        out = op(inputs, p)
        return float((out.reshape(-1) * upstream).sum())

    grads = []
    for k, spec in enumerate(case["inputs"]):
        if not spec["grad"]:
            grads.append(None)
            continue
        flat = inputs[k].view(-1)
        n = flat.numel()
        coords = list(range(n)) if n <= 600 else sorted(torch.randperm(n, generator=torch.Generator().manual_seed(k))[:150].tolist())
        values = []
        for i in coords:
            old = float(flat[i])
            h = 1e-6 * max(1.0, abs(old))
            flat[i] = old + h
            plus = objective()
            flat[i] = old - h
            minus = objective()
            flat[i] = old
            values.append((plus - minus) / (2 * h))
        grads.append({"indices": coords, "values": values})
    return grads


def json_number(v):
    """Infinities as the quoted literals .NET's JSON reader accepts ("-Infinity"); JSON has no bare infinity."""
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def main():
    cases = json.load(open(sys.argv[1]))
    results = {}
    for case in cases:
        op = OPS[case["op"]]
        inputs = make_inputs(case, torch.float32, True)
        out = op(inputs, case["params"])
        upstream = torch.tensor(case["upstream"], dtype=torch.float32).reshape(out.shape)
        grads = [None] * len(inputs)
        if any(t.requires_grad for t in inputs):
            (out * upstream).sum().backward()
            grads = [t.grad.reshape(-1).tolist() if t.requires_grad else None for t in inputs]
        result = {"out_shape": list(out.shape), "out": [json_number(v) for v in out.detach().reshape(-1).tolist()], "grads": grads}
        if case.get("fd"):
            result["fd"] = finite_difference(case, op)
        results[case["id"]] = result
    json.dump(results, open(sys.argv[2], "w"))


if __name__ == "__main__":
    main()
