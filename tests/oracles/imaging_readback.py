"""Reads FILE with PIL (Image.open(f).convert("RGB")), writes its pixels to OUT.rgb and prints format, mode, width, height."""
import sys
import numpy as np
from PIL import Image

with Image.open(sys.argv[1]) as im:
    print(im.format, im.mode, im.width, im.height, "progressive" if im.info.get("progressive") else "baseline")
    np.asarray(im.convert("RGB")).tofile(sys.argv[2])
