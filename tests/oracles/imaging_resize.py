"""Resize oracle: writes source PNGs into DIR and PIL's Image.resize outputs for every (source, size, filter)
case as raw RGB. Prints one line per case: source target_w target_h filter output_file."""
import os
import sys
import numpy as np
from PIL import Image

out_dir = sys.argv[1]
rng = np.random.default_rng(5)


def source(w, h):
    y, x = np.mgrid[0:h, 0:w]
    smooth = np.stack([x * 255 / w, y * 255 / h, 127 + 120 * np.sin((x + y) / 4.0)], axis=-1)
    img = smooth + rng.normal(0, 30, (h, w, 3))
    img[:, w // 2: w // 2 + 2] = 255   # hard edges ring under bicubic, exercising clamping
    img[h // 2, :] = 0
    return np.clip(img, 0, 255).astype(np.uint8)


sources = {"s67x45.png": (67, 45), "s33x71.png": (33, 71), "s640x480.png": (640, 480)}
targets = {
    "s67x45.png": [(101, 77), (23, 17), (130, 20), (67, 30), (40, 45), (1, 1), (200, 135)],
    "s33x71.png": [(17, 35), (99, 213), (5, 300)],
    "s640x480.png": [(448, 336), (336, 252), (224, 168), (31, 23)],
}
filters = {"nearest": Image.NEAREST, "bilinear": Image.BILINEAR, "bicubic": Image.BICUBIC}
for name, (w, h) in sources.items():
    im = Image.fromarray(source(w, h))
    im.save(os.path.join(out_dir, name))
    for tw, th in targets[name]:
        for fname, f in filters.items():
            out = f"{name}_{tw}x{th}_{fname}.rgb"
            np.asarray(im.resize((tw, th), resample=f)).tofile(os.path.join(out_dir, out))
            print(name, tw, th, fname, out)
