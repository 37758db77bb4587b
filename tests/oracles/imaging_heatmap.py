"""Heatmap oracle (PyTorch, matplotlib, numpy, PIL).
  upsample DIR GH GW H W     grid.f32 -> up.f32 (torch bilinear, align_corners=False), norm.f32 (min-max by grid range)
  colormap DIR NAME          values.f32 -> NAME.rgb (matplotlib cmap(values, bytes=True), RGB only)
  overlay DIR H W ALPHA NAME source.rgb, heat.f32, mask.u8 -> expected.rgb (blend + inner contour in white);
                             ours.png read with PIL -> ours_pil.rgb"""
import os
import sys
import numpy as np

mode, d = sys.argv[1], sys.argv[2]
path = lambda n: os.path.join(d, n)

if mode == "upsample":
    import torch
    import torch.nn.functional as F
    gh, gw, h, w = map(int, sys.argv[3:7])
    grid = np.fromfile(path("grid.f32"), dtype=np.float32).reshape(gh, gw)
    up = F.interpolate(torch.from_numpy(grid)[None, None], size=(h, w), mode="bilinear", align_corners=False)[0, 0].numpy()
    up.astype(np.float32).tofile(path("up.f32"))
    lo, hi = grid.min(), grid.max()
    ((up - lo) / (hi - lo)).astype(np.float32).tofile(path("norm.f32"))
elif mode == "colormap":
    import matplotlib
    values = np.fromfile(path("values.f32"), dtype=np.float32)
    rgba = matplotlib.colormaps[sys.argv[3]](values, bytes=True)
    np.ascontiguousarray(rgba[:, :3]).tofile(path(sys.argv[3] + ".rgb"))
else:
    import matplotlib
    from PIL import Image
    h, w, alpha, name = int(sys.argv[3]), int(sys.argv[4]), np.float32(sys.argv[5]), sys.argv[6]
    src = np.fromfile(path("source.rgb"), dtype=np.uint8).reshape(h, w, 3).astype(np.float32)
    heat = np.fromfile(path("heat.f32"), dtype=np.float32).reshape(h, w)
    mask = np.fromfile(path("mask.u8"), dtype=np.uint8).reshape(h, w).astype(bool)
    colors = matplotlib.colormaps[name](heat, bytes=True)[..., :3].astype(np.float32)
    out = np.floor((np.float32(1) - alpha) * src + alpha * colors + np.float32(0.5)).astype(np.uint8)
    padded = np.pad(mask, 1, constant_values=False)
    interior = padded[:-2, 1:-1] & padded[2:, 1:-1] & padded[1:-1, :-2] & padded[1:-1, 2:]
    out[mask & ~interior] = [255, 255, 255]
    out.tofile(path("expected.rgb"))
    with Image.open(path("ours.png")) as im:
        np.asarray(im.convert("RGB")).tofile(path("ours_pil.rgb"))
