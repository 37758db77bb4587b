"""PyTorch peer for the LLaVA benchmark: the float32 reference model of tests/oracles/llava_oracle.py (transformers'
eager math) on the same checkpoint, timed with the same threads.

  write DIR          writes a random Qwen2-0.5B-shaped LLaVA (SigLIP-384/14 tower) as config.json + model.safetensors
  serve DIR SPEC THREADS DECODE
                     SPEC is the oracle's spec (input_ids, pixels). Loads the model, prints {"torch": version}, then
                     answers each "generate" line on stdin with {prefill, decode, tokens}: seconds of the prefill
                     (vision tower, projector, merge, decoder with KV cache, first token) and of the DECODE - 1 greedy
                     steps after it, so the caller can alternate its own runs with ours. "quit" ends.
"""
import json
import os
import struct
import sys
import time

import numpy as np
import torch


def repo_root():
    d = os.path.dirname(os.path.abspath(__file__))
    while not os.path.exists(os.path.join(d, "LvlmEval.sln")):
        parent = os.path.dirname(d)
        if parent == d:
            raise SystemExit("LvlmEval.sln not found above the peer script")
        d = parent
    return d


sys.path.insert(0, os.path.join(repo_root(), "tests", "oracles"))
import llava_oracle as ref  # noqa: E402

TEXT = {"model_type": "qwen2", "hidden_size": 896, "intermediate_size": 4864, "num_hidden_layers": 24, "num_attention_heads": 14,
        "num_key_value_heads": 2, "vocab_size": 151936, "rms_norm_eps": 1e-6, "rope_theta": 1000000.0, "max_position_embeddings": 32768,
        "tie_word_embeddings": True, "eos_token_id": 151645}
VISION = {"model_type": "siglip_vision_model", "hidden_size": 1152, "intermediate_size": 4304, "num_hidden_layers": 2,
          "num_attention_heads": 16, "image_size": 384, "patch_size": 14}
CONFIG = {"architectures": ["LlavaForConditionalGeneration"], "model_type": "llava", "image_token_index": 151646,
          "vision_feature_layer": -1, "vision_feature_select_strategy": "full", "projector_hidden_act": "gelu",
          "text_config": TEXT, "vision_config": VISION}


def shapes():
    t, v = TEXT, VISION
    d, hd, kv = t["hidden_size"], t["hidden_size"] // t["num_attention_heads"], t["num_key_value_heads"]
    tower = "model.vision_tower.vision_model."
    dv, p = v["hidden_size"], v["patch_size"]
    out = [(tower + "embeddings.patch_embedding.weight", [dv, 3, p, p]), (tower + "embeddings.patch_embedding.bias", [dv]),
           (tower + "embeddings.position_embedding.weight", [(v["image_size"] // p) ** 2, dv])]
    for i in range(v["num_hidden_layers"]):
        lp = f"{tower}encoder.layers.{i}."
        for n in ("layer_norm1", "layer_norm2"):
            out += [(lp + n + ".weight", [dv]), (lp + n + ".bias", [dv])]
        for n in ("q_proj", "k_proj", "v_proj", "out_proj"):
            out += [(lp + "self_attn." + n + ".weight", [dv, dv]), (lp + "self_attn." + n + ".bias", [dv])]
        out += [(lp + "mlp.fc1.weight", [v["intermediate_size"], dv]), (lp + "mlp.fc1.bias", [v["intermediate_size"]]),
                (lp + "mlp.fc2.weight", [dv, v["intermediate_size"]]), (lp + "mlp.fc2.bias", [dv])]
    out += [(tower + "post_layernorm.weight", [dv]), (tower + "post_layernorm.bias", [dv])]
    pr = "model.multi_modal_projector."
    out += [(pr + "linear_1.weight", [d, dv]), (pr + "linear_1.bias", [d]), (pr + "linear_2.weight", [d, d]), (pr + "linear_2.bias", [d])]
    lm = "model.language_model."
    out += [(lm + "embed_tokens.weight", [t["vocab_size"], d])]
    for i in range(t["num_hidden_layers"]):
        lp = f"{lm}layers.{i}."
        out += [(lp + "input_layernorm.weight", [d]), (lp + "post_attention_layernorm.weight", [d]),
                (lp + "self_attn.q_proj.weight", [d, d]), (lp + "self_attn.q_proj.bias", [d]),
                (lp + "self_attn.k_proj.weight", [kv * hd, d]), (lp + "self_attn.k_proj.bias", [kv * hd]),
                (lp + "self_attn.v_proj.weight", [kv * hd, d]), (lp + "self_attn.v_proj.bias", [kv * hd]),
                (lp + "self_attn.o_proj.weight", [d, d]),
                (lp + "mlp.gate_proj.weight", [t["intermediate_size"], d]), (lp + "mlp.up_proj.weight", [t["intermediate_size"], d]),
                (lp + "mlp.down_proj.weight", [d, t["intermediate_size"]])]
    out += [(lm + "norm.weight", [d])]
    return out


def write(folder):
    os.makedirs(folder, exist_ok=True)
    entries = shapes()
    header, offset = {}, 0
    for name, shape in entries:
        n = int(np.prod(shape)) * 4
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + n]}
        offset += n
    blob = json.dumps(header, separators=(",", ":")).encode()
    blob += b" " * (-len(blob) % 8)
    g = torch.Generator().manual_seed(0)
    tmp = os.path.join(folder, "model.safetensors.tmp")
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(blob)))
        f.write(blob)
        for name, shape in entries:
            if name.endswith("norm.weight") or "layer_norm" in name and name.endswith(".weight") or name.endswith("layernorm.weight"):
                t = 1 + 0.05 * torch.randn(shape, generator=g, dtype=torch.float32)
            else:
                t = 0.02 * torch.randn(shape, generator=g, dtype=torch.float32)
            f.write(t.numpy().astype("<f4").tobytes())
    os.replace(tmp, os.path.join(folder, "model.safetensors"))
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(CONFIG, f, indent=1)


def serve(folder, spec_path, threads, decode):
    torch.set_num_threads(threads)
    ref.set_dtype(torch.float32)
    with open(os.path.join(folder, "config.json")) as f:
        cfg = json.load(f)
    with open(spec_path) as f:
        spec = json.load(f)
    tc = ref.text_defaults(cfg["text_config"], cfg)
    vc = ref.vision_defaults(cfg["vision_config"])
    W = ref.read_checkpoint(folder)
    pixels = torch.from_numpy(np.fromfile(spec["pixels"], dtype="<f4").reshape(spec["pixels_shape"]).copy())
    ids = spec["input_ids"]
    embed = W["language_model.model.embed_tokens.weight"]

    def prefill():
        feats, _ = ref.image_features(W, cfg, vc, pixels, ref.Recorder())
        x = ref.embed_merged(W, cfg, tc, ids, feats)
        cache = {}
        h = ref.lm_forward(W, tc, x, list(range(len(ids))), None, cache)
        return cache, int(torch.argmax(ref.logits_of(W, tc, h[:, -1:])[0, -1]))

    def generate(cache, first):
        tokens, nxt, pos = [first], first, len(ids)
        for _ in range(decode - 1):
            h = ref.lm_forward(W, tc, embed[torch.tensor([nxt])][None], [pos], None, cache)
            nxt = int(torch.argmax(ref.logits_of(W, tc, h[:, -1:])[0, -1]))
            tokens.append(nxt)
            pos += 1
        return tokens

    print(json.dumps({"torch": torch.__version__}), flush=True)
    with torch.no_grad():
        for line in sys.stdin:
            if line.strip() != "generate":
                break
            t0 = time.perf_counter()
            cache, first = prefill()
            t1 = time.perf_counter()
            tokens = generate(cache, first)
            t2 = time.perf_counter()
            print(json.dumps({"prefill": t1 - t0, "decode": t2 - t1, "tokens": tokens}), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2])
    elif sys.argv[1] == "serve":
        serve(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    else:
        raise SystemExit(f"unknown command {sys.argv[1]}")
