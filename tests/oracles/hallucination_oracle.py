"""Reference for internal confidence and ProjectAway's text direction (Jiang et al. 2024; transcribed from
nickjiang2378/vl-interp: retrieve_logit_lens_llava, internal_confidence, get_hidden_text_embedding), on top of the
plain-PyTorch LLaVA of llava_oracle.py, in float64.

  confidence MODEL_DIR SPEC_JSON OUT_JSON
      SPEC: {"input_ids", "pixels", "pixels_shape", "image_start", "image_count", "tokens": [ids of the object name],
             "layers": [hidden-state indices], "final_norm": bool, "top_k": k (0 = whole vocabulary),
             "rule": "max" | "min" | "first"}
      Writes {"scores": [per image token], "value": max}. Each layer's lens: lm_head(h) on the raw hidden state, or
      lm_head(norm(h)) with final_norm; the last hidden state always carries the final norm (transformers'
      hidden_states[-1]). With top_k, the softmax runs over the k largest logits only (TopKLogitsWarper), 0 elsewhere.
  direction MODEL_DIR SPEC_JSON OUT_JSON
      SPEC: {"ids": [the name's ids as tokenizer(word)], "layer": hidden-state index}
      Writes {"direction": [...]}: the hidden state of the last id at that layer, text only.
"""
import json
import os
import sys

import numpy as np
import torch

import llava_oracle as lo


def hidden_states(model_dir, spec):
    cfg, tc, vc, W, spec, pixels = lo.load_batch_spec(model_dir, spec)
    pixels = torch.from_numpy(pixels.astype(np.float64))
    rec = lo.Recorder()
    ids = spec["input_ids"]
    feats, _ = lo.image_features(W, cfg, vc, pixels, lo.Recorder())
    x = lo.embed_merged(W, cfg, tc, ids, feats)
    lo.lm_forward(W, tc, x, list(range(len(ids))), rec)
    return tc, W, spec, rec.lm_hidden


def lens_probabilities(W, tc, h, norm, top_k):
    if norm:
        h = lo.rms_norm(h, W["language_model.model.norm.weight"], tc["rms_norm_eps"])
    logp = torch.log_softmax(h @ lo.head(W, tc).T, dim=-1)
    if top_k:
        kth = torch.topk(logp, top_k, dim=-1).values[..., -1:]
        logp = logp.masked_fill(logp < kth, float("-inf"))
    return torch.softmax(logp, dim=-1)


def confidence(model_dir, spec_path, out_path):
    tc, W, spec, states = hidden_states(model_dir, spec_path)
    depth = len(states) - 1
    start, count, tokens = spec["image_start"], spec["image_count"], spec["tokens"]
    best = None
    for k in spec["layers"]:
        probs = lens_probabilities(W, tc, states[k][0, start:start + count], spec["final_norm"] or k == depth, spec["top_k"])
        layer = probs[:, tokens]  # [image tokens, name tokens]
        best = layer if best is None else torch.maximum(best, layer)
    rule = spec["rule"]
    scores = best.max(dim=1).values if rule == "max" else best.min(dim=1).values if rule == "min" else best[:, 0]
    with open(out_path, "w") as f:
        json.dump({"scores": scores.tolist(), "value": float(scores.max())}, f)


def direction(model_dir, spec_path, out_path):
    with open(spec_path) as f:
        spec = json.load(f)
    with open(os.path.join(model_dir, "config.json")) as f:
        cfg = json.load(f)
    tc = lo.text_defaults(cfg.get("text_config", {}), cfg)
    W = lo.read_checkpoint(model_dir)
    ids = spec["ids"]
    rec = lo.Recorder()
    x = W["language_model.model.embed_tokens.weight"][torch.tensor(ids)][None]
    lo.lm_forward(W, tc, x, list(range(len(ids))), rec)
    h = rec.lm_hidden[spec["layer"]][0, -1]
    if spec["layer"] == len(rec.lm_hidden) - 1:
        h = lo.rms_norm(h, W["language_model.model.norm.weight"], tc["rms_norm_eps"])
    with open(out_path, "w") as f:
        json.dump({"direction": h.tolist()}, f)


if __name__ == "__main__":
    {"confidence": confidence, "direction": direction}[sys.argv[1]](sys.argv[2], sys.argv[3], sys.argv[4])
