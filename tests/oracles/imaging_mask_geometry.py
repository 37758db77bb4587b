"""Mask geometry oracle: the model-input geometry applied to a label mask with PIL.
Usage: MASK_PNG PAD(0|1) FILL SHORTEST_EDGE CROP_H CROP_W OUT.u8
expand2square with FILL (when PAD), resize so the short side is SHORTEST_EDGE (transformers' rule) with NEAREST,
center crop as transformers' center_crop (padding with FILL). Writes the labels, prints H W."""
import math
import sys
import numpy as np
from PIL import Image

path, pad, fill, edge, ch, cw, out = sys.argv[1], sys.argv[2] == "1", int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
im = Image.open(path)
im = Image.fromarray(np.asarray(im), "L")   # class indices as plain values
w, h = im.size
if pad and w != h:
    side = max(w, h)
    canvas = Image.new("L", (side, side), fill)
    canvas.paste(im, (0, (side - h) // 2) if w > h else ((side - w) // 2, 0))
    im = canvas
w, h = im.size
short, long = min(w, h), max(w, h)
if short != edge:
    new_long = int(edge * long / short)
    im = im.resize((new_long, edge) if w >= h else (edge, new_long), resample=Image.NEAREST)
arr = np.asarray(im)
h, w = arr.shape
top, left = (h - ch) // 2, (w - cw) // 2
nh, nw = max(ch, h), max(cw, w)
canvas = np.full((nh, nw), fill, dtype=np.uint8)
tp, lp = math.ceil((nh - h) / 2), math.ceil((nw - w) / 2)
canvas[tp:tp + h, lp:lp + w] = arr
arr = canvas[top + tp: top + tp + ch, left + lp: left + lp + cw]
np.ascontiguousarray(arr).tofile(out)
print(arr.shape[0], arr.shape[1])
