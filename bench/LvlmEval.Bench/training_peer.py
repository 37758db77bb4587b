"""PyTorch peer for the training benchmark: the same LLaVA (the float32 reference model of tests/oracles/llava_oracle.py,
transformers' eager math) trained on the same batch with torch.optim.AdamW, the same parameter groups, gradient
clipping and loss (cross-entropy from logits_from on).

  run MODEL_DIR SPEC THREADS STEPS
      SPEC: {"input_ids": [[...]], "pixels": file of float32 [B,3,H,W], "pixels_shape", "logits_from", "targets",
             "lr", "weight_decay", "max_norm"}. Runs 2 warm-up steps, then STEPS timed steps; prints
      {"torch": version, "step_seconds": [...]}.
"""
import json
import os
import sys
import time

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


def main(model_dir, spec_path, threads, steps):
    torch.set_num_threads(threads)
    ref.set_dtype(torch.float32)
    cfg, tc, vc, W, spec, pixels = ref.load_batch_spec(model_dir, spec_path)
    W = {k: v.float().requires_grad_(True) for k, v in W.items() if "post_layernorm" not in k}
    decayed = [t for t in W.values() if t.dim() >= 2]
    plain = [t for t in W.values() if t.dim() < 2]
    opt = torch.optim.AdamW([{"params": decayed, "weight_decay": spec["weight_decay"]}, {"params": plain, "weight_decay": 0.0}], lr=spec["lr"])
    pixels = torch.from_numpy(pixels)
    ids = torch.tensor(spec["input_ids"])
    targets = torch.tensor(spec["targets"])
    image_id = cfg["image_token_index"]
    embed = "language_model.model.embed_tokens.weight"
    positions = list(range(ids.shape[1]))

    def step():
        feats, _ = ref.image_features(W, cfg, vc, pixels, ref.Recorder())
        mask = ids == image_id
        emb = W[embed][ids.masked_fill(mask, 0)]
        x = emb.masked_scatter(mask[..., None].expand_as(emb), feats)
        h = ref.lm_forward(W, tc, x, positions, None)
        logits = ref.logits_of(W, tc, h[:, spec["logits_from"]:])
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(W.values()), spec["max_norm"])
        opt.step()
        opt.zero_grad(set_to_none=True)
        return float(loss)

    for _ in range(2):
        step()
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    print(json.dumps({"torch": torch.__version__, "step_seconds": times}))


if __name__ == "__main__":
    if sys.argv[1] == "run":
        main(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    else:
        raise SystemExit(f"unknown command {sys.argv[1]}")
