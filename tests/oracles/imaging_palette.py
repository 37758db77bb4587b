"""VOC palette-mask oracle.
  write DIR   -> DIR/mask.png (PIL mode P with the VOC colormap), DIR/mask.idx (uint8 indices), DIR/voc.pal (768 bytes)
  check FILE  -> prints PIL's mode, then the indices of FILE as hex and its palette's first 256*3 bytes as hex"""
import os
import sys
import numpy as np
from PIL import Image


def voc_colormap(n=256):
    """The PASCAL VOC devkit colormap (labelcolormap.m): bits of the class id spread over R, G, B."""
    cmap = np.zeros((n, 3), dtype=np.uint8)
    for i in range(n):
        r = g = b = 0
        c = i
        for j in range(8):
            r |= ((c >> 0) & 1) << (7 - j)
            g |= ((c >> 1) & 1) << (7 - j)
            b |= ((c >> 2) & 1) << (7 - j)
            c >>= 3
        cmap[i] = [r, g, b]
    return cmap


if sys.argv[1] == "write":
    out = sys.argv[2]
    rng = np.random.default_rng(11)
    idx = rng.integers(0, 21, (37, 53), dtype=np.uint8)
    idx[5:9, :] = 255            # void border band
    idx[0, 0:3] = [0, 20, 255]
    im = Image.fromarray(idx, "P")
    im.putpalette(voc_colormap().tobytes())
    im.save(os.path.join(out, "mask.png"))
    idx.tofile(os.path.join(out, "mask.idx"))
    voc_colormap().tofile(os.path.join(out, "voc.pal"))
else:
    with Image.open(sys.argv[2]) as im:
        print(im.mode)
        print(np.asarray(im).astype(np.uint8).tobytes().hex())
        print(bytes(im.getpalette()[: 256 * 3]).hex())
