"""Float64 PyTorch reference of interventions on the plain LLaVA forward of llava_oracle.py: activation patching (causal
tracing, Meng et al. 2022) and attention knockout (Geva et al. 2023), one full forward per run, no batching.

  run MODEL_DIR SPEC_JSON OUT_DIR
      SPEC: {"prompt_ids": [...], "answer_ids": [...], "pixels": file of float32 [1,3,H,W], "pixels_shape": [...],
             "corrupted_pixels": file (optional, same shape), "corrupted_embeddings": file of float32 [1,S,D] (optional),
             "runs": [{"pixels": "clean" | "corrupted",
                       "patches": [{"layer": k, "positions": [...], "source": "clean" | "corrupted_embeddings"}],
                       "blocks": [{"layer": l, "queries": [...], "keys": [...]}]}]}
      Patches replace hidden state k (0 = merged embeddings, k = output of decoder layer k) at the positions with the
      clean run's (or with the given corrupted embeddings), in the order listed; blocks set the attention scores of
      those (query, key) pairs of layer l to -inf. Writes probs.bin [R, T]: p(answer token t) in every run, float64.
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import llava_oracle as L  # noqa: E402
from explainers_oracle import Model  # noqa: E402


def read(path, shape):
    return torch.from_numpy(np.fromfile(path, dtype="<f4").astype(np.float64).reshape(shape))


def answer_probs(m, ids, pixels, answer_start, patches=(), blocks=(), rec=None):
    feats, _ = L.image_features(m.W, m.cfg, m.vc, pixels, L.Recorder())
    x = L.embed_merged(m.W, m.cfg, m.tc, ids, feats)
    h = L.lm_forward(m.W, m.tc, x, list(range(len(ids))), rec, patches=patches, blocks=blocks)
    logits = L.logits_of(m.W, m.tc, h)
    p = torch.softmax(logits[0, answer_start - 1: len(ids) - 1], dim=-1)
    return p.gather(1, torch.tensor(ids[answer_start:])[:, None])[:, 0]


def run(model_dir, spec_path, out):
    with open(spec_path) as f:
        s = json.load(f)
    m = Model(model_dir)
    os.makedirs(out, exist_ok=True)
    ids = s["prompt_ids"] + s["answer_ids"]
    start = len(s["prompt_ids"])
    shape = s["pixels_shape"]
    images = {"clean": read(s["pixels"], shape)}
    if "corrupted_pixels" in s:
        images["corrupted"] = read(s["corrupted_pixels"], shape)
    with torch.no_grad():
        rec = L.Recorder()
        answer_probs(m, ids, images["clean"], start, rec=rec)
        sources = {"clean": rec.lm_hidden}
        if "corrupted_embeddings" in s:
            e = read(s["corrupted_embeddings"], [1, len(ids), m.tc["hidden_size"]])
            sources["corrupted_embeddings"] = {0: e}
        probs = []
        for r in s["runs"]:
            patches = [(p["layer"], p["positions"], None, sources[p["source"]][p["layer"]]) for p in r.get("patches", [])]
            blocks = [(b["layer"], b["queries"], b["keys"], None) for b in r.get("blocks", [])]
            probs.append(answer_probs(m, ids, images[r.get("pixels", "clean")], start, patches, blocks))
        L.write(os.path.join(out, "probs.bin"), torch.stack(probs))
    print("{}")


if __name__ == "__main__":
    if sys.argv[1] == "run":
        run(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        raise SystemExit(f"unknown command {sys.argv[1]}")
