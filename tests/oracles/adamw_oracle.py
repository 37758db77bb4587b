"""Runs torch.optim.AdamW (with torch.nn.utils.clip_grad_norm_) on a scenario the test wrote.

  adamw_oracle.py SPEC_DIR OUT_DIR

SPEC_DIR/spec.json: {"shapes": [[...], ...], "lr": [lr per step], "betas": [b1, b2], "eps": e, "weight_decay": wd,
                     "actions": [{"kind": "grads" | "zero_none" | "zero_zeros", "none": [param indices], "clip": max or null}],
                     "snapshots": [step numbers after which to dump]}
SPEC_DIR/init.bin: the parameters' initial values, concatenated raw float32.
SPEC_DIR/grads.bin: for every step, all parameters' gradients concatenated (raw float32), used by "grads" steps;
                    parameters listed in "none" get grad None for that step.
Writes OUT_DIR/params_after_<step>.bin for each snapshot and prints {"norms": [...]} (clip_grad_norm_ results).
"""
import json
import os
import sys

import torch


def load(path):
    with open(path, "rb") as f:
        return torch.frombuffer(bytearray(f.read()), dtype=torch.float32)


def main(spec_dir, out_dir):
    with open(os.path.join(spec_dir, "spec.json")) as f:
        spec = json.load(f)
    shapes = spec["shapes"]
    sizes = [int(torch.Size(s).numel()) for s in shapes]
    total = sum(sizes)
    init = load(os.path.join(spec_dir, "init.bin"))
    grads = load(os.path.join(spec_dir, "grads.bin"))

    def split(flat):
        out, offset = [], 0
        for shape, n in zip(shapes, sizes):
            out.append(flat[offset:offset + n].reshape(shape).clone())
            offset += n
        return out

    params = [torch.nn.Parameter(t) for t in split(init)]
    opt = torch.optim.AdamW(params, lr=spec["lr"][0], betas=tuple(spec["betas"]), eps=spec["eps"],
                            weight_decay=spec["weight_decay"], amsgrad=False)
    os.makedirs(out_dir, exist_ok=True)
    norms = []
    for step, action in enumerate(spec["actions"]):
        for group in opt.param_groups:
            group["lr"] = spec["lr"][step]
        kind = action["kind"]
        if kind == "grads":
            step_grads = split(grads[step * total:(step + 1) * total])
            for i, p in enumerate(params):
                p.grad = None if i in action["none"] else step_grads[i]
        elif kind == "zero_none":
            opt.zero_grad(set_to_none=True)
        elif kind == "zero_zeros":
            opt.zero_grad(set_to_none=False)
        else:
            raise ValueError(kind)
        if action["clip"] is not None:
            norms.append(float(torch.nn.utils.clip_grad_norm_(params, action["clip"])))
        opt.step()
        if step + 1 in spec["snapshots"]:
            flat = torch.cat([p.detach().reshape(-1) for p in params])
            with open(os.path.join(out_dir, f"params_after_{step + 1}.bin"), "wb") as f:
                f.write(bytes(flat.view(torch.uint8).tolist()))
    print(json.dumps({"norms": norms}))


if __name__ == "__main__":
    main(*sys.argv[1:])
