"""Writes test photographs-like images for preprocessing tests: DIR NAME WIDTH HEIGHT FORMAT(jpg|png) [SEED]."""
import os
import sys
import numpy as np
from PIL import Image

out_dir, name, w, h, fmt = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
rng = np.random.default_rng(int(sys.argv[6]) if len(sys.argv) > 6 else 1)
y, x = np.mgrid[0:h, 0:w]
img = np.stack([x * 255 / w, y * 255 / h, 127 + 120 * np.sin((x - y) / 9.0)], axis=-1) + rng.normal(0, 20, (h, w, 3))
img[h // 4: h // 2, w // 3: w // 2] = [240, 30, 60]
im = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
path = os.path.join(out_dir, name)
if fmt == "jpg":
    im.save(path, quality=90)
else:
    im.save(path)
print(path)
