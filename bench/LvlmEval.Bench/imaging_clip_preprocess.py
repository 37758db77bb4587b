"""Peer for the imaging benchmark: PIL + numpy doing decode + CLIP preprocessing (shortest edge 336, bicubic,
center crop 336, rescale, normalise, CHW float32).
  make PATH           writes a 640x480 photo-like JPEG (quality 90)
  run PATH ITERS      prints "median min" milliseconds over ITERS runs (after warm-up) for: decode + preprocess,
                      decode alone, preprocess of the decoded image alone (six numbers)"""
import sys
import time
import numpy as np
from PIL import Image

MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)


def make(path):
    rng = np.random.default_rng(0)
    y, x = np.mgrid[0:480, 0:640]
    img = np.stack([x * 255 / 640, y * 255 / 480, 127 + 120 * np.sin((x - y) / 23.0)], axis=-1)
    img += rng.normal(0, 18, img.shape)
    Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(path, quality=90)


def decode(path):
    return Image.open(path).convert("RGB")


def preprocess_decoded(image):
    w, h = image.size
    short, long = min(w, h), max(w, h)
    new_long = int(336 * long / short)
    size = (new_long, 336) if w >= h else (336, new_long)
    arr = np.asarray(image.resize(size, resample=Image.BICUBIC))
    top, left = (arr.shape[0] - 336) // 2, (arr.shape[1] - 336) // 2
    arr = arr[top:top + 336, left:left + 336]
    x = arr.astype(np.float32) * np.float32(1 / 255)
    x = (x - MEAN) / STD
    return np.ascontiguousarray(x.transpose(2, 0, 1))


def preprocess(path):
    return preprocess_decoded(decode(path))


def median_ms(fn, iters):
    for _ in range(5):
        fn()
    times = []
    for _ in range(iters):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return np.median(times), np.min(times)


if sys.argv[1] == "make":
    make(sys.argv[2])
else:
    path, iters = sys.argv[2], int(sys.argv[3])
    decoded = decode(path)
    total = median_ms(lambda: preprocess(path), iters)
    dec = median_ms(lambda: decode(path), iters)
    pre = median_ms(lambda: preprocess_decoded(decoded), iters)
    print(" ".join(f"{v:.4f}" for pair in (total, dec, pre) for v in pair))
