"""Float64 PyTorch reference of the heatmap methods, written from the papers and the reference code (Chefer et al. 2021
relevancy, DEX-AR's wrapper.py, Grad-CAM, integrated gradients, Yu & Ananiadou 2024 head contributions), on the plain
LLaVA reference forward of llava_oracle.py. Every quantity comes from torch autograd on full forwards (no shortcuts).

  run MODEL_DIR SPEC_JSON OUT_DIR
      SPEC: {"prompt_ids": [...], "answer_ids": [...], "pixels": file of float32 [1,3,H,W], "pixels_shape": [...],
             "image_start": i, "image_count": n, "patch_start": p, "grid": [gh, gw],
             "dexar_last_layers": K, "ig_steps": n, "ig_baseline": "black" | "mean"}
      Writes float64 files: relevancy_{t} (patch map), relevancy_pos_{t} (row of R − I), dexar_{t}, dexar_seq, gradcam_{t},
      gradcam_seq, ig_{t} (patch map, |Σ_c| pooled by sum), ig_pixels_{t}, hc_importance_{t} [L,H], hc_{t}, hc_pos_{t};
      with "methods": [..., "dexar_wrapper"] also dexar_wrapper_{t}, dexar_wrapper_seq (the reference wrapper transcribed);
      "ixg": ixg_{t}, ixg_seq; "occlusion" (spec occlusion_window, occlusion_stride, fill): occlusion_{t}, occlusion_seq;
      "rise" (spec rise_masks: float32 [N, H, W], rise_keep, fill): rise_{t}, rise_seq; "ig_path" (spec ig_baseline,
      ig_fine_steps): ig_f0, ig_f1 [T], ig_path [T, steps + 1]; "vision_flow": relevancy_vision_{t}, rollout_vision_{t}.
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import llava_oracle as L  # noqa: E402


class Model:
    def __init__(self, folder):
        with open(os.path.join(folder, "config.json")) as f:
            self.cfg = json.load(f)
        self.tc = L.text_defaults(self.cfg.get("text_config", {}), self.cfg)
        self.vc = L.vision_defaults(self.cfg.get("vision_config", {}))
        self.W = L.read_checkpoint(folder)
        pp = os.path.join(folder, "preprocessor_config.json")
        self.pre = json.load(open(pp)) if os.path.exists(pp) else None

    def forward(self, ids, pixels):
        if torch.is_grad_enabled() and not pixels.requires_grad:
            pixels = pixels.clone().requires_grad_(True)  # so every recorded tensor is part of a graph
        rec = L.Recorder()
        feats, _ = L.image_features(self.W, self.cfg, self.vc, pixels, rec)
        x = L.embed_merged(self.W, self.cfg, self.tc, ids, feats)
        h = L.lm_forward(self.W, self.tc, x, list(range(len(ids))), rec)
        return L.logits_of(self.W, self.tc, h), rec

    def lens_logprob(self, x, token):
        return torch.log_softmax(L.logits_of(self.W, self.tc, x), dim=-1)[..., token]


def write(out, name, t):
    L.write(os.path.join(out, name + ".bin"), torch.as_tensor(t, dtype=torch.float64))


def relevancy(m, s, ids, pixels, out):
    for t, tok in enumerate(s["answer_ids"]):
        p = s["answer_start"] + t - 1
        logits, rec = m.forward(ids, pixels.detach())
        grads = torch.autograd.grad(logits[0, p, tok], rec.lm_attn)
        S = len(ids)
        R = torch.eye(S)
        for a, g in zip(rec.lm_attn, grads):
            cam = (g[0] * a[0]).clamp(min=0).mean(dim=0)
            R = R + cam @ R
        write(out, f"relevancy_{t}", R[p, s["patch_start"]: s["patch_start"] + s["patches"]])
        # Position relevance is R − I (Chefer et al.'s R starts as I; the identity term is no relevance of any input).
        pos = R[p, : p + 1].clone()
        pos[p] -= 1
        write(out, f"relevancy_pos_{t}", pos)


def topk_norm(x, k):
    return torch.topk(torch.abs(x), k=k, dim=-1)[0].sum(dim=-1) / k


def dexar(m, s, ids, pixels, out):
    n_layers = m.tc["num_hidden_layers"]
    first = n_layers - s["dexar_last_layers"]
    img0, img1 = s["image_start"], s["image_start"] + s["image_count"]
    ps, n = s["patch_start"], s["patches"]
    all_grads, all_img, all_txt = [], [], []
    for t, tok in enumerate(s["answer_ids"]):
        # As the reference: a forward over the prompt and the answer so far, the last position predicting token t.
        seq = ids[: s["answer_start"] + t]
        logits, rec = m.forward(seq, pixels.detach())
        grads, s_img, s_txt = [], [], []
        for l in range(first, n_layers):
            z = L.logits_of(m.W, m.tc, rec.lm_hidden[l + 1][:, -1])[0, tok]
            g = torch.autograd.grad(z, [rec.lm_attn[l]], retain_graph=True)[0][0, :, -1, :].clamp(min=0)
            text = torch.cat([g[:, :img0], g[:, img1:]], dim=-1)
            grads.append(g[:, ps: ps + n])
            s_img.append(topk_norm(g[:, img0:img1], 1))
            s_txt.append(topk_norm(text, 1))
        all_grads.append(torch.stack(grads))
        all_img.append(torch.cat(s_img))
        all_txt.append(torch.cat(s_txt))
    G = torch.stack(all_grads)  # [T, K, H, N]
    G = (G - G.min()) / (G.max() - G.min())
    img, txt = torch.stack(all_img), torch.stack(all_txt)
    T, K, H = G.shape[0], G.shape[1], G.shape[2]
    w = (img - txt).clamp(min=0).view(T, K, H)
    filtered = G * w[..., None]
    for t in range(T):
        hm = filtered[t].sum(dim=[0, 1])
        if hm.max() > hm.min():
            hm = (hm - hm.min()) / (hm.max() - hm.min())
        write(out, f"dexar_{t}", hm)
    delta = (img.max(dim=-1)[0] - txt.max(dim=-1)[0]).clamp(min=0)
    seq_map = (filtered * delta[:, None, None, None]).sum(dim=[0, 1, 2])
    if seq_map.max() > seq_map.min():
        seq_map = (seq_map - seq_map.min()) / (seq_map.max() - seq_map.min())
    write(out, "dexar_seq", seq_map)


def dexar_wrapper(m, s, ids, pixels, out):
    """A line-by-line transcription of WalBouss/DEX-AR dexar/wrapper.py (compute_dexar), two of its details kept as they
    are: it reads Hugging Face's hidden_states[1:], whose last entry is already final-normed, and normalises again; its
    text scores skip the first token after the image (grad[..., idx_img_tok_end + 1: -n - 1])."""
    L_ = m.tc["num_hidden_layers"]
    start = L_ - s["dexar_last_layers"]
    img0, img1 = s["image_start"], s["image_start"] + s["image_count"]
    norm_w, eps = m.W["language_model.model.norm.weight"], m.tc["rms_norm_eps"]
    all_grads, all_img, all_txt = [], [], []
    for n, tok in enumerate(s["answer_ids"]):
        seq = ids[: s["answer_start"] + n]
        _, rec = m.forward(seq, pixels.detach())
        # HF: hidden_states = (embeddings, layer 1 … layer L−1 outputs, norm(layer L output)); the wrapper drops the first.
        hidden = list(rec.lm_hidden[1:])
        hidden[-1] = L.rms_norm(hidden[-1], norm_w, eps)
        grads, s_img, s_txt = [], [], []
        for l in range(start, L_):
            z = L.logits_of(m.W, m.tc, hidden[l][:, -1])[0, tok]
            g = torch.autograd.grad(z, [rec.lm_attn[l]], retain_graph=True)[0]
            new_text = g[:, :, -1, -n - 1:].clamp(min=0)
            prompt = torch.cat([g[:, :, -1, :img0], g[:, :, -1, img1 + 1: -n - 1]], dim=-1).clamp(min=0)
            text = torch.cat([prompt, new_text], dim=-1)
            gi = g[:, :, -1, img0:img1].clamp(min=0)
            grads.append(gi.detach())
            s_img.append(topk_norm(gi, 1))
            s_txt.append(topk_norm(text, 1))
        all_img.append(torch.cat(s_img))
        all_txt.append(torch.cat(s_txt))
        all_grads.append(torch.cat(grads))
    G = torch.stack(all_grads)
    G = (G - G.min()) / (G.max() - G.min())
    img, txt = torch.stack(all_img), torch.stack(all_txt)
    T, K, H = G.shape[0], G.shape[1], G.shape[2]
    w = (img - txt).clamp(min=0).view(T, K, H)
    filtered = G * w.unsqueeze(-1)
    for t in range(T):
        hm = filtered[t].sum(dim=[0, 1])
        if hm.max() > hm.min():
            hm = (hm - hm.min()) / (hm.max() - hm.min())
        write(out, f"dexar_wrapper_{t}", hm)
    delta = (img.view(T, -1).max(dim=-1)[0] - txt.view(T, -1).max(dim=-1)[0]).clamp(min=0)
    seq_map = (filtered * delta[:, None, None, None]).sum(dim=[0, 1, 2])
    if seq_map.max() > seq_map.min():
        seq_map = (seq_map - seq_map.min()) / (seq_map.max() - seq_map.min())
    write(out, "dexar_wrapper_seq", seq_map)


def answer_logprobs(m, s, logits, ids):
    a = s["answer_start"]
    lp = torch.log_softmax(logits[0, a - 1: len(ids) - 1], dim=-1)
    return lp.gather(1, torch.tensor(ids[a:])[:, None])[:, 0]


def gradcam(m, s, ids, pixels, out):
    layers = m.cfg.get("vision_feature_layer", -2)
    layers = layers if isinstance(layers, list) else [layers]
    f = layers[0] if layers[0] >= 0 else layers[0] + m.vc["num_hidden_layers"] + 1
    first = 1 if m.vc["model_type"] == "clip_vision_model" else 0
    n = s["patches"]
    targets = [(f"gradcam_{t}", lambda lp, t=t: lp[t]) for t in range(len(s["answer_ids"]))]
    targets.append(("gradcam_seq", lambda lp: lp.sum()))
    for name, pick in targets:
        logits, rec = m.forward(ids, pixels.detach())
        A = rec.vis_hidden[f]
        g = torch.autograd.grad(pick(answer_logprobs(m, s, logits, ids)), A)[0][0, first: first + n]
        alpha = g.mean(dim=0)
        write(out, name, (A[0, first: first + n] @ alpha).clamp(min=0))


def pool(pixel_map, gh, gw, patch):
    return pixel_map[: gh * patch, : gw * patch].reshape(gh, patch, gw, patch).sum(dim=(1, 3)).reshape(-1)


def integrated_gradients(m, s, ids, pixels, out):
    x = pixels.detach()
    if s["ig_baseline"] == "black":
        mean, std = torch.tensor(m.pre["image_mean"]), torch.tensor(m.pre["image_std"])
        base = (-mean / std)[None, :, None, None].expand_as(x)
    else:
        base = torch.zeros_like(x)
    n = s["ig_steps"]
    gh, gw = s["grid"]
    patch = m.vc["patch_size"]
    for t in range(len(s["answer_ids"])):
        total = torch.zeros_like(x)
        for k in range(1, n + 1):
            xk = (base + (k / n) * (x - base)).clone().requires_grad_(True)
            logits, _ = m.forward(ids, xk)
            total += torch.autograd.grad(answer_logprobs(m, s, logits, ids)[t], xk)[0]
        ig = ((x - base) * total / n)[0].sum(dim=0).abs()
        write(out, f"ig_pixels_{t}", ig)
        write(out, f"ig_{t}", pool(ig, gh, gw, patch))


def head_contribution(m, s, ids, pixels, out):
    tc = m.tc
    H, KV, hd = tc["num_attention_heads"], tc["num_key_value_heads"], tc["head_dim"]
    with torch.no_grad():
        logits, rec = m.forward(ids, pixels)
        p_ = "language_model.model.layers."
        for t, tok in enumerate(s["answer_ids"]):
            p = s["answer_start"] + t - 1
            imp = torch.zeros(tc["num_hidden_layers"], H)
            best = None
            for l in range(tc["num_hidden_layers"]):
                x = rec.lm_hidden[l][0]
                hn = L.rms_norm(x, m.W[f"{p_}{l}.input_layernorm.weight"], tc["rms_norm_eps"])
                v = L.linear(hn, m.W, f"{p_}{l}.self_attn.v_proj", tc["qkv_bias"]).view(-1, KV, hd).transpose(0, 1)
                v = v.repeat_interleave(H // KV, dim=0)  # [H, S, hd]
                Wo = m.W[f"{p_}{l}.self_attn.o_proj.weight"]
                base = m.lens_logprob(x[p], tok)
                for h in range(H):
                    o = Wo[:, h * hd:(h + 1) * hd] @ (rec.lm_attn[l][0, h, p] @ v[h])
                    imp[l, h] = m.lens_logprob(x[p] + o, tok) - base
                    if best is None or imp[l, h] > imp[best[0], best[1]]:
                        best = (l, h, (rec.lm_attn[l][0, h, p, : p + 1, None] * v[h, : p + 1]) @ Wo[:, h * hd:(h + 1) * hd].T, x[p], base)
            l, h, shares, xp, base = best
            contrib = m.lens_logprob(xp[None] + shares, tok) - base
            write(out, f"hc_importance_{t}", imp)
            write(out, f"hc_pos_{t}", contrib)
            write(out, f"hc_{t}", contrib[s["patch_start"]: s["patch_start"] + s["patches"]])


def logprobs_of_image(m, s, ids, image):
    """log p of every answer token, teacher-forced, for one image [1, 3, H, W] (no gradients)."""
    with torch.no_grad():
        logits, _ = m.forward(ids, image)
        return answer_logprobs(m, s, logits, ids)


def fill_values(m, kind):
    """The constant of a "mean" (the normalised mean colour, 0) or "black" (−mean/std) fill, per channel."""
    if kind == "mean":
        return torch.zeros(3)
    return -torch.tensor(m.pre["image_mean"]) / torch.tensor(m.pre["image_std"])


def input_x_gradient(m, s, ids, pixels, out):
    """Shrikumar et al. 2016: Σ_c x_c ∂y/∂x_c per pixel, |·|, summed per patch; y = log p(token t), and Σ_t for the sequence."""
    gh, gw = s["grid"]
    patch = m.vc["patch_size"]
    targets = [(f"ixg_{t}", lambda lp, t=t: lp[t]) for t in range(len(s["answer_ids"]))]
    targets.append(("ixg_seq", lambda lp: lp.sum()))
    for name, pick in targets:
        x = pixels.detach().clone().requires_grad_(True)
        logits, _ = m.forward(ids, x)
        g = torch.autograd.grad(pick(answer_logprobs(m, s, logits, ids)), x)[0]
        write(out, name, pool((x.detach() * g)[0].sum(dim=0).abs(), gh, gw, patch))


def occlusion(m, s, ids, pixels, out):
    """Zeiler & Fergus 2014 as documented: windows of w × w patches every stride (plus one flush with the end), filled
    with a constant; each patch averages log p(original) − log p(occluded) over the windows covering it."""
    gh, gw = s["grid"]
    patch, win, stride = m.vc["patch_size"], s["occlusion_window"], s["occlusion_stride"]

    def starts(size):
        out_ = list(range(0, size - win + 1, stride))
        if not out_ or out_[-1] + win < size:
            out_.append(max(0, size - win))
        return out_

    fill = fill_values(m, s["fill"])
    base = logprobs_of_image(m, s, ids, pixels)
    T = len(s["answer_ids"])
    sums = torch.zeros(T + 1, gh, gw)
    covered = torch.zeros(gh, gw)
    for r0 in starts(gh):
        for c0 in starts(gw):
            x = pixels.clone()
            x[0, :, r0 * patch:(r0 + win) * patch, c0 * patch:(c0 + win) * patch] = fill[:, None, None]
            drop = base - logprobs_of_image(m, s, ids, x)
            sums[:T, r0:r0 + win, c0:c0 + win] += drop[:, None, None]
            sums[T, r0:r0 + win, c0:c0 + win] += drop.sum()
            covered[r0:r0 + win, c0:c0 + win] += 1
    maps = sums / covered.clamp(min=1)
    for t in range(T):
        write(out, f"occlusion_{t}", maps[t].reshape(-1))
    write(out, "occlusion_seq", maps[T if T > 1 else 0].reshape(-1))


def rise(m, s, ids, pixels, out):
    """Petsiuk et al. 2018 with the masks given: S = Σ_k f(x ⊙ M_k + fill ⊙ (1 − M_k)) M_k / (N p), f = p(token t) (the
    whole answer's probability for the sequence), averaged per patch."""
    gh, gw = s["grid"]
    patch = m.vc["patch_size"]
    H, W_ = pixels.shape[2], pixels.shape[3]
    masks = torch.from_numpy(np.fromfile(s["rise_masks"], dtype="<f4").astype(np.float64).reshape(-1, H, W_))
    fill = fill_values(m, s["fill"])[None, :, None, None]
    T = len(s["answer_ids"])
    sal = torch.zeros(T + 1, H, W_)
    for M in masks:
        lp = logprobs_of_image(m, s, ids, pixels * M + fill * (1 - M))
        for t in range(T):
            sal[t] += torch.exp(lp[t]) * M
        sal[T] += torch.exp(lp.sum()) * M
    sal /= masks.shape[0] * s["rise_keep"]
    for t in range(T + 1):
        name = f"rise_{t}" if t < T else "rise_seq"
        write(out, name, pool(sal[t], gh, gw, patch) / (patch * patch))


def ig_path(m, s, ids, pixels, out):
    """Along x(α) = x′ + α(x − x′) with x′ the spec's baseline: log p(token t) at α = 0 and 1, and g_t(α) = ∇ log p · (x − x′)
    on a fine grid of α (for the completeness check and the Riemann error bound)."""
    x = pixels.detach()
    fill = fill_values(m, s["ig_baseline"])
    base = fill[None, :, None, None].expand_as(x)
    T = len(s["answer_ids"])
    write(out, "ig_f1", logprobs_of_image(m, s, ids, x))
    write(out, "ig_f0", logprobs_of_image(m, s, ids, base))
    grid = s["ig_fine_steps"]
    g = torch.zeros(T, grid + 1)
    for k in range(grid + 1):
        xa = (base + (k / grid) * (x - base)).clone().requires_grad_(True)
        logits, _ = m.forward(ids, xa)
        lp = answer_logprobs(m, s, logits, ids)
        for t in range(T):
            gr = torch.autograd.grad(lp[t], xa, retain_graph=t < T - 1)[0]
            g[t, k] = (gr * (x - base)).sum()
    write(out, "ig_path", g)


def vision_flow(m, s, ids, pixels, out):
    """Relevancy (Chefer et al. 2021, Eq. 8–9 for the vision tower's self-relevance) and rollout (Abnar & Zuidema 2020,
    residual ½) carried from the language model's image tokens through the vision tower onto the patches, as full
    matrices: R_lm and R_v from torch autograd on every recorded attention; image token n is tower token n + 1 under
    "default" selection; the patches are the tower tokens after the class token (CLIP)."""
    img0, n_img = s["image_start"], s["image_count"]
    clip = m.vc["model_type"] == "clip_vision_model"
    offset = 1 if m.cfg.get("vision_feature_select_strategy", "default") == "default" else 0
    first = 1 if clip else 0
    n = s["patches"]
    S = len(ids)
    for t, tok in enumerate(s["answer_ids"]):
        p = s["answer_start"] + t - 1
        x = pixels.detach().clone().requires_grad_(True)
        logits, rec = m.forward(ids, x)
        grads = torch.autograd.grad(logits[0, p, tok], rec.lm_attn + rec.vis_attn)
        g_lm, g_v = grads[: len(rec.lm_attn)], grads[len(rec.lm_attn):]
        R = torch.eye(S)
        for a, g in zip(rec.lm_attn, g_lm):
            R = R + (g[0] * a[0]).clamp(min=0).mean(dim=0) @ R
        Tv = rec.vis_attn[0].shape[-1]
        Rv = torch.eye(Tv)
        for a, g in zip(rec.vis_attn, g_v):
            Rv = Rv + (g[0] * a[0]).clamp(min=0).mean(dim=0) @ Rv
        Rh = Rv - torch.eye(Tv)
        sums = Rh.sum(dim=-1, keepdim=True)
        Rh = torch.where(sums != 0, Rh / torch.where(sums != 0, sums, torch.ones_like(sums)), Rh) + torch.eye(Tv)
        start = torch.zeros(Tv)
        start[offset: offset + n_img] = R[p, img0: img0 + n_img]
        write(out, f"relevancy_vision_{t}", (start @ Rh)[first: first + n])

        with torch.no_grad():
            Ro = torch.eye(S)
            for a in rec.lm_attn:
                A = 0.5 * a[0].mean(dim=0) + 0.5 * torch.eye(S)
                Ro = (A / A.sum(dim=-1, keepdim=True)) @ Ro
            Pv = torch.eye(Tv)
            for a in rec.vis_attn:
                A = 0.5 * a[0].mean(dim=0) + 0.5 * torch.eye(Tv)
                Pv = (A / A.sum(dim=-1, keepdim=True)) @ Pv
            start = torch.zeros(Tv)
            start[offset: offset + n_img] = Ro[p, img0: img0 + n_img]
            write(out, f"rollout_vision_{t}", (start @ Pv)[first: first + n])


def run(model_dir, spec_path, out):
    with open(spec_path) as f:
        s = json.load(f)
    m = Model(model_dir)
    os.makedirs(out, exist_ok=True)
    ids = s["prompt_ids"] + s["answer_ids"]
    s["answer_start"] = len(s["prompt_ids"])
    s["patches"] = s["grid"][0] * s["grid"][1]
    pixels = torch.from_numpy(np.fromfile(s["pixels"], dtype="<f4").astype(np.float64).reshape(s["pixels_shape"]))
    for method in s.get("methods", ["relevancy", "dexar", "gradcam", "ig", "hc"]):
        {"relevancy": relevancy, "dexar": dexar, "dexar_wrapper": dexar_wrapper, "gradcam": gradcam, "ig": integrated_gradients,
         "hc": head_contribution, "ixg": input_x_gradient, "occlusion": occlusion, "rise": rise, "ig_path": ig_path,
         "vision_flow": vision_flow}[method](m, s, ids, pixels, out)
    print("{}")


if __name__ == "__main__":
    if sys.argv[1] == "run":
        run(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        raise SystemExit(f"unknown command {sys.argv[1]}")
