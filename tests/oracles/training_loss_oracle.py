"""Training loss of a LLaVA checkpoint and its gradient at every weight, in float64 PyTorch (the reference for the
trainer's autograd). Reuses the plain-PyTorch LLaVA of llava_oracle.py.

  run MODEL_DIR SPEC_JSON OUT_DIR
      SPEC: {"input_ids": [[...], ...] (one list per item, equal lengths), "pixels": "file of float32 [B,3,H,W]",
             "pixels_shape": [...], "logits_from": p, "targets": [...] (B * (S - p) class ids, row-major)}
      Loss: mean cross-entropy of logits[:, p:] against the targets (torch.nn.functional.cross_entropy).
      Writes loss.json and grad/<weight name>.bin (float64) for every weight the loss depends on.
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import llava_oracle as ref  # noqa: E402


def run(model_dir, spec_path, out_dir):
    cfg, tc, vc, W, spec, pixels = ref.load_batch_spec(model_dir, spec_path)
    for t in W.values():
        t.requires_grad_(True)
    pixels = torch.from_numpy(pixels.astype(np.float64))
    feats, _ = ref.image_features(W, cfg, vc, pixels, ref.Recorder())
    ids = spec["input_ids"]
    x = torch.cat([ref.embed_merged(W, cfg, tc, item, feats[b:b + 1]) for b, item in enumerate(ids)], dim=0)
    h = ref.lm_forward(W, tc, x, list(range(len(ids[0]))), None)
    logits = ref.logits_of(W, tc, h)[:, spec["logits_from"]:]
    loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), torch.tensor(spec["targets"]))
    loss.backward()
    os.makedirs(os.path.join(out_dir, "grad"), exist_ok=True)
    with open(os.path.join(out_dir, "loss.json"), "w") as f:
        json.dump(float(loss), f)
    for name, t in W.items():
        if t.grad is not None:
            ref.write(os.path.join(out_dir, "grad", name + ".bin"), t.grad)


if __name__ == "__main__":
    if sys.argv[1] == "run":
        run(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        raise SystemExit(f"unknown command {sys.argv[1]}")
