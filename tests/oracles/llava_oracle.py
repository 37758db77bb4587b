"""Plain-PyTorch reference of a Hugging Face LLaVA checkpoint (LlavaForConditionalGeneration), written from the
transformers modeling files (modeling_clip, modeling_siglip, modeling_llama, modeling_qwen2, modeling_llava) and their
configuration defaults. Computes in float64 so it serves as the truth for a float32 implementation.

  run MODEL_DIR SPEC_JSON OUT_DIR
      SPEC: {"input_ids": [...], "pixels": "file of float32 [B,3,H,W]", "pixels_shape": [...],
             "target": {"position": p, "token": t, "batch": b, "kind": "logit" | "lens" (with "layer") | "answer"
                        (with "answer_start": sum of the answer tokens' log-probabilities)}  (optional: backprop it),
             "generate": n (optional: greedy tokens with a KV cache, batch item 0),
             "edit": {"layer": k, "vector": [...], "scale": s, "zero": [positions],
                      "project_away": {"directions": [[...]], "positions": [...], "weight": w}} (optional: add
             scale*vector to hidden state k, zero it at the listed positions, or project directions away from them;
             also applied to every generation step)}
      Writes float64 little-endian files: logits.bin [B,S,V], lm_attn_{i}.bin [B,H,S,S], lm_hidden_{i}.bin [B,S,D]
      (0 = merged embeddings, i = output of layer i, no final norm), vis_attn_{i}.bin, vis_hidden_{i}.bin (0 = encoder
      input), lens_{k}.bin (final norm + head on hidden state k), and with a target its value (target_value.json) and the gradients grad_lm_attn_{i}.bin, grad_lm_hidden_{i}.bin, grad_vis_attn_{i}.bin,
      grad_features.bin (projected image features), grad_pixels.bin. Prints JSON {"generated": [...], "vision_layers_run": n}.
"""
import json
import math
import os
import struct
import sys

import numpy as np
import torch

# Float64 by default, so the reference is the truth for float32 code; the benchmark peer switches to float32.
DTYPE = torch.float64
torch.set_default_dtype(DTYPE)


def set_dtype(dtype):
    global DTYPE
    DTYPE = dtype
    torch.set_default_dtype(dtype)


DTYPES = {"F32": (np.float32, 4), "F16": (np.float16, 2), "BF16": (None, 2)}


def read_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
    raw = np.memmap(path, dtype=np.uint8, mode="r")
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        buf = raw[base + begin: base + end].tobytes()
        dtype = info["dtype"]
        if dtype == "BF16":
            bits = np.frombuffer(buf, dtype="<u2").astype(np.uint32) << 16
            arr = bits.view(np.float32)
        elif dtype in DTYPES:
            arr = np.frombuffer(buf, dtype=np.dtype(DTYPES[dtype][0]).newbyteorder("<")).astype(np.float32)
        else:
            raise ValueError(f"{path}: {name}: dtype {dtype} not handled")
        out[name] = torch.from_numpy(arr.reshape(info["shape"]).copy()).to(DTYPE)
    return out


def read_checkpoint(folder):
    index = os.path.join(folder, "model.safetensors.index.json")
    tensors = {}
    if os.path.exists(index):
        with open(index) as f:
            shards = sorted(set(json.load(f)["weight_map"].values()))
        for s in shards:
            tensors.update(read_safetensors(os.path.join(folder, s)))
    else:
        tensors.update(read_safetensors(os.path.join(folder, "model.safetensors")))
    # Canonical names: the pre-4.52 layout.
    canon = {}
    for k, v in tensors.items():
        for new, old in (("model.language_model.", "language_model.model."), ("model.vision_tower.", "vision_tower."),
                         ("model.multi_modal_projector.", "multi_modal_projector."), ("lm_head.", "language_model.lm_head.")):
            if k.startswith(new):
                k = old + k[len(new):]
                break
        canon[k] = v
    return canon


def text_defaults(tc, root):
    mt = tc.get("model_type", "llama")
    qwen = mt == "qwen2"
    c = {
        "model_type": mt,
        "vocab_size": tc.get("vocab_size", 151936 if qwen else 32000),
        "hidden_size": tc.get("hidden_size", 4096),
        "intermediate_size": tc.get("intermediate_size", 22016 if qwen else 11008),
        "num_hidden_layers": tc.get("num_hidden_layers", 32),
        "num_attention_heads": tc.get("num_attention_heads", 32),
        "rms_norm_eps": tc.get("rms_norm_eps", 1e-6),
        "rope_theta": tc.get("rope_theta", 10000.0),
        "rope_scaling": tc.get("rope_scaling"),
        "max_position_embeddings": tc.get("max_position_embeddings", 32768 if qwen else 2048),
        "hidden_act": tc.get("hidden_act", "silu"),
        "attention_bias": tc.get("attention_bias", False),
        "tie_word_embeddings": tc.get("tie_word_embeddings", root.get("tie_word_embeddings", False)),
        "eos_token_id": tc.get("eos_token_id", None if qwen else 2),
    }
    kv = tc.get("num_key_value_heads")
    c["num_key_value_heads"] = kv if kv is not None else (32 if qwen else c["num_attention_heads"])
    c["head_dim"] = tc.get("head_dim") or c["hidden_size"] // c["num_attention_heads"]
    c["qkv_bias"] = qwen or c["attention_bias"]
    c["o_bias"] = (not qwen) and c["attention_bias"]
    return c


def vision_defaults(vc):
    mt = vc.get("model_type", "clip_vision_model")
    clip = mt == "clip_vision_model"
    return {
        "model_type": mt,
        "hidden_size": vc.get("hidden_size", 768),
        "intermediate_size": vc.get("intermediate_size", 3072),
        "num_hidden_layers": vc.get("num_hidden_layers", 12),
        "num_attention_heads": vc.get("num_attention_heads", 12),
        "image_size": vc.get("image_size", 224),
        "patch_size": vc.get("patch_size", 32 if clip else 16),
        "hidden_act": vc.get("hidden_act", "quick_gelu" if clip else "gelu_pytorch_tanh"),
        "layer_norm_eps": vc.get("layer_norm_eps", 1e-5 if clip else 1e-6),
    }


def act(name):
    return {
        "silu": torch.nn.functional.silu,
        "gelu": lambda x: torch.nn.functional.gelu(x),
        "gelu_pytorch_tanh": lambda x: torch.nn.functional.gelu(x, approximate="tanh"),
        "quick_gelu": lambda x: x * torch.sigmoid(1.702 * x),
    }[name]


def linear(x, W, prefix, bias=True):
    y = x @ W[prefix + ".weight"].T
    if bias:
        y = y + W[prefix + ".bias"]
    return y


def layer_norm(x, W, prefix, eps):
    return torch.nn.functional.layer_norm(x, (x.shape[-1],), W[prefix + ".weight"], W[prefix + ".bias"], eps)


def rms_norm(x, w, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w


class Recorder:
    def __init__(self):
        self.vis_attn, self.vis_hidden, self.lm_attn, self.lm_hidden = [], [], [], []

    @staticmethod
    def keep(t):
        if t.requires_grad:
            t.retain_grad()
        return t


def split_heads(x, h, d):
    b, s, _ = x.shape
    return x.view(b, s, h, d).transpose(1, 2)


def vision_forward(W, vc, pixels, last_layer, rec):
    clip = vc["model_type"] == "clip_vision_model"
    p = "vision_tower.vision_model."
    D, H = vc["hidden_size"], vc["num_attention_heads"]
    hd = D // H
    x = torch.nn.functional.conv2d(pixels, W[p + "embeddings.patch_embedding.weight"],
                                   None if clip else W[p + "embeddings.patch_embedding.bias"], stride=vc["patch_size"])
    x = x.flatten(2).transpose(1, 2)
    if clip:
        cls = W[p + "embeddings.class_embedding"].expand(x.shape[0], 1, -1)
        x = torch.cat([cls, x], dim=1)
    x = x + W[p + "embeddings.position_embedding.weight"][None]
    if clip:
        x = layer_norm(x, W, p + "pre_layrnorm", vc["layer_norm_eps"])
    states = [rec.keep(x)]
    rec.vis_hidden.append(x)
    f = act(vc["hidden_act"])
    for i in range(last_layer):
        lp = f"{p}encoder.layers.{i}."
        r = x
        h = layer_norm(x, W, lp + "layer_norm1", vc["layer_norm_eps"])
        q = split_heads(linear(h, W, lp + "self_attn.q_proj"), H, hd) * hd ** -0.5
        k = split_heads(linear(h, W, lp + "self_attn.k_proj"), H, hd)
        v = split_heads(linear(h, W, lp + "self_attn.v_proj"), H, hd)
        probs = torch.softmax(q @ k.transpose(-1, -2), dim=-1)
        rec.vis_attn.append(rec.keep(probs))
        o = (probs @ v).transpose(1, 2).reshape(x.shape)
        x = r + linear(o, W, lp + "self_attn.out_proj")
        r = x
        h = layer_norm(x, W, lp + "layer_norm2", vc["layer_norm_eps"])
        x = r + linear(f(linear(h, W, lp + "mlp.fc1")), W, lp + "mlp.fc2")
        states.append(rec.keep(x))
        rec.vis_hidden.append(x)
    return states


def inv_freq(tc, seq_len):
    dim = tc["head_dim"]
    base = tc["rope_theta"]
    rs = tc["rope_scaling"]
    kind = None if rs is None else rs.get("rope_type", rs.get("type"))
    if kind == "dynamic" and seq_len > tc["max_position_embeddings"]:
        f = rs["factor"]
        base = base * ((f * seq_len / tc["max_position_embeddings"]) - (f - 1)) ** (dim / (dim - 2))
    # transformers evaluates the frequencies in float32.
    inv = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).to(torch.float32) / dim))
    if kind == "linear":
        inv = inv / rs["factor"]
    return inv


def rope_tables(tc, positions):
    inv = inv_freq(tc, int(max(positions)) + 1)
    freqs = torch.tensor(positions, dtype=torch.float32)[:, None] * inv[None, :]
    emb = torch.cat([freqs, freqs], dim=-1)
    return emb.cos().to(DTYPE), emb.sin().to(DTYPE)


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat([-x[..., h:], x[..., :h]], dim=-1)


def project_away(h, positions, spec):
    """ProjectAway as nickjiang2378/vl-interp's subtract_projections: for each direction t in turn, every listed
    position whose projection p = h.t / t.t is positive loses weight * p * t; other positions are left as they are."""
    rows = [i for i, p in enumerate(positions) if p in set(spec["positions"])]
    h = h.clone()
    for t in spec["directions"]:
        t = torch.tensor(t)
        for b in range(h.shape[0]):
            for i in rows:
                p = (h[b, i] @ t) / (t @ t)
                if p > 0:
                    h[b, i] = h[b, i] - spec["weight"] * p * t
    return h


def lm_forward(W, tc, x, positions, rec, cache=None, edit=None, patches=(), blocks=()):
    """patches: (hidden index k, absolute positions, batch items or None, source [1 or B, S, D]) replacing hidden state k
    there (in order, after `edit`); blocks: (layer, query positions, key positions, batch items or None) whose attention
    scores become -inf before the softmax (full-sequence forwards only)."""
    p = "language_model.model."
    H, KV, hd = tc["num_attention_heads"], tc["num_key_value_heads"], tc["head_dim"]
    cos, sin = rope_tables(tc, positions)
    f = act(tc["hidden_act"])

    def maybe_edit(k, h):
        if edit is not None and edit["layer"] == k:
            if "vector" in edit:
                h = h + edit["scale"] * torch.tensor(edit["vector"])
            if "zero" in edit:
                zero = set(edit["zero"])  # absolute positions
                keep = torch.tensor([[0.0] if p in zero else [1.0] for p in positions])
                h = h * keep
            if "project_away" in edit:
                h = project_away(h, positions, edit["project_away"])
        for k_, pos_, items_, src in patches:
            if k_ == k:
                h = h.clone()
                for b_ in (range(h.shape[0]) if items_ is None else items_):
                    for q_ in pos_:
                        h[b_, q_] = src[0 if src.shape[0] == 1 else b_, q_]
        return h

    x = maybe_edit(0, x)
    if rec is not None:
        rec.lm_hidden.append(rec.keep(x))
    for i in range(tc["num_hidden_layers"]):
        lp = f"{p}layers.{i}."
        r = x
        h = rms_norm(x, W[lp + "input_layernorm.weight"], tc["rms_norm_eps"])
        q = split_heads(linear(h, W, lp + "self_attn.q_proj", tc["qkv_bias"]), H, hd)
        k = split_heads(linear(h, W, lp + "self_attn.k_proj", tc["qkv_bias"]), KV, hd)
        v = split_heads(linear(h, W, lp + "self_attn.v_proj", tc["qkv_bias"]), KV, hd)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if cache is not None:
            if i in cache:
                k = torch.cat([cache[i][0], k], dim=2)
                v = torch.cat([cache[i][1], v], dim=2)
            cache[i] = (k, v)
        k = k.repeat_interleave(H // KV, dim=1)
        v = v.repeat_interleave(H // KV, dim=1)
        sq, sk = q.shape[2], k.shape[2]
        scores = (q @ k.transpose(-1, -2)) * hd ** -0.5
        mask = torch.ones(sq, sk, dtype=torch.bool).tril(diagonal=sk - sq)
        scores = scores.masked_fill(~mask, float("-inf"))
        for layer_, queries_, keys_, items_ in blocks:
            if layer_ == i:
                scores = scores.clone()
                for b_ in (range(scores.shape[0]) if items_ is None else items_):
                    for q_ in queries_:
                        scores[b_, :, q_, list(keys_)] = float("-inf")
        probs = torch.softmax(scores, dim=-1)
        if rec is not None:
            rec.lm_attn.append(rec.keep(probs))
        o = (probs @ v).transpose(1, 2).reshape(x.shape[0], x.shape[1], H * hd)
        x = r + linear(o, W, lp + "self_attn.o_proj", tc["o_bias"])
        r = x
        h = rms_norm(x, W[lp + "post_attention_layernorm.weight"], tc["rms_norm_eps"])
        mlp = linear(f(linear(h, W, lp + "mlp.gate_proj", False)) * linear(h, W, lp + "mlp.up_proj", False), W, lp + "mlp.down_proj", False)
        x = maybe_edit(i + 1, r + mlp)
        if rec is not None:
            rec.lm_hidden.append(rec.keep(x))
    return x


def head(W, tc):
    if "language_model.lm_head.weight" in W:
        return W["language_model.lm_head.weight"]
    assert tc["tie_word_embeddings"], "no lm_head and untied embeddings"
    return W["language_model.model.embed_tokens.weight"]


def logits_of(W, tc, h):
    return rms_norm(h, W["language_model.model.norm.weight"], tc["rms_norm_eps"]) @ head(W, tc).T


def image_features(W, cfg, vc, pixels, rec):
    n_layers = vc["num_hidden_layers"]
    layers = cfg.get("vision_feature_layer", -2)
    layers = layers if isinstance(layers, list) else [layers]
    resolved = [l if l >= 0 else l + n_layers + 1 for l in layers]
    states = vision_forward(W, vc, pixels, max(resolved), rec)
    pool = [states[l] for l in resolved]
    if cfg.get("vision_feature_select_strategy", "default") == "default":
        pool = [s[:, 1:] for s in pool]
    feats = torch.cat(pool, dim=-1)
    pa = act(cfg.get("projector_hidden_act", "gelu"))
    bias = cfg.get("multimodal_projector_bias", True)
    feats = linear(pa(linear(feats, W, "multi_modal_projector.linear_1", bias)), W, "multi_modal_projector.linear_2", bias)
    return feats, max(resolved)


def embed_merged(W, cfg, tc, ids, feats):
    """Token embeddings with the image-token positions filled from the features (masked_scatter)."""
    B = feats.shape[0]
    image_id = cfg.get("image_token_index", cfg.get("image_token_id", 32000))
    ids_t = torch.tensor(ids)
    mask = ids_t == image_id
    safe = ids_t.clone()
    safe[mask] = 0
    emb = W["language_model.model.embed_tokens.weight"][safe][None].expand(B, -1, -1)
    full_mask = mask[None, :, None].expand(B, -1, emb.shape[-1])
    return emb.masked_scatter(full_mask, feats)


def load_batch_spec(model_dir, spec_path):
    """A checkpoint folder and a training-batch spec (ReferenceBatchSpec): config, text/vision settings with
    transformers' defaults, weights, the spec, and its pixels (float32, the spec's shape)."""
    with open(os.path.join(model_dir, "config.json")) as f:
        cfg = json.load(f)
    with open(spec_path) as f:
        spec = json.load(f)
    tc = text_defaults(cfg.get("text_config", {}), cfg)
    vc = vision_defaults(cfg.get("vision_config", {}))
    pixels = np.fromfile(spec["pixels"], dtype="<f4").reshape(spec["pixels_shape"])
    return cfg, tc, vc, read_checkpoint(model_dir), spec, pixels


def write(path, t):
    t.detach().to(torch.float64).contiguous().numpy().astype("<f8").tofile(path)


def run(model_dir, spec_path, out_dir):
    cfg, tc, vc, W, spec, pixels = load_batch_spec(model_dir, spec_path)
    pixels = torch.from_numpy(pixels.astype(np.float64))
    target = spec.get("target")
    pixels.requires_grad_(target is not None)

    rec = Recorder()
    ids = spec["input_ids"]
    feats, vis_layers = image_features(W, cfg, vc, pixels, rec)
    feats = Recorder.keep(feats)
    x = embed_merged(W, cfg, tc, ids, feats)
    h = lm_forward(W, tc, x, list(range(len(ids))), rec, edit=spec.get("edit"))
    logits = logits_of(W, tc, h)
    os.makedirs(out_dir, exist_ok=True)
    write(os.path.join(out_dir, "logits.bin"), logits)
    for name, lst in (("lm_attn", rec.lm_attn), ("lm_hidden", rec.lm_hidden), ("vis_attn", rec.vis_attn), ("vis_hidden", rec.vis_hidden)):
        for i, t in enumerate(lst):
            write(os.path.join(out_dir, f"{name}_{i}.bin"), t)
    for k, hk in enumerate(rec.lm_hidden):
        write(os.path.join(out_dir, f"lens_{k}.bin"), logits_of(W, tc, hk))
    if target is not None:
        b = target.get("batch", 0)
        kind = target.get("kind", "logit")
        if kind == "logit":
            scalar = logits[b, target["position"], target["token"]]
        elif kind == "lens":
            scalar = logits_of(W, tc, rec.lm_hidden[target["layer"]])[b, target["position"], target["token"]]
        else:  # sum of log-probabilities of the tokens from answer_start on
            start = target["answer_start"]
            logp = torch.log_softmax(logits[b, start - 1:-1], dim=-1)
            scalar = logp.gather(1, torch.tensor(ids[start:])[:, None]).sum()
        with open(os.path.join(out_dir, "target_value.json"), "w") as f:
            json.dump(float(scalar), f)
        scalar.backward()
        for name, lst in (("lm_attn", rec.lm_attn), ("lm_hidden", rec.lm_hidden), ("vis_attn", rec.vis_attn)):
            for i, t in enumerate(lst):
                # Tensors the scalar does not depend on (layers past a logit-lens layer) get no gradient: write zeros.
                write(os.path.join(out_dir, f"grad_{name}_{i}.bin"), t.grad if t.grad is not None else torch.zeros_like(t))
        write(os.path.join(out_dir, "grad_features.bin"), feats.grad)
        write(os.path.join(out_dir, "grad_pixels.bin"), pixels.grad)

    generated = []
    n = spec.get("generate", 0)
    if n:
        with torch.no_grad():
            gen_cfg_path = os.path.join(model_dir, "generation_config.json")
            eos = None
            if os.path.exists(gen_cfg_path):
                with open(gen_cfg_path) as f:
                    eos = json.load(f).get("eos_token_id")
            if eos is None:
                eos = tc["eos_token_id"]
            eos = set(eos if isinstance(eos, list) else ([] if eos is None else [eos]))
            f1, _ = image_features(W, cfg, vc, pixels[:1].detach(), Recorder())
            cache = {}
            x = embed_merged(W, cfg, tc, ids, f1)
            h = lm_forward(W, tc, x, list(range(len(ids))), None, cache, edit=spec.get("edit"))
            pos = len(ids)
            for step in range(n):
                nxt = int(torch.argmax(logits_of(W, tc, h[:, -1:])[0, -1]))
                if nxt in eos:
                    break
                generated.append(nxt)
                if step == n - 1:
                    break
                x = W["language_model.model.embed_tokens.weight"][torch.tensor([nxt])][None]
                h = lm_forward(W, tc, x, [pos], None, cache, edit=spec.get("edit"))
                pos += 1
    print(json.dumps({"generated": generated, "vision_layers_run": vis_layers}))


if __name__ == "__main__":
    if sys.argv[1] == "run":
        run(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        raise SystemExit(f"unknown command {sys.argv[1]}")
