"""Corrupt-input fixtures: writes damaged JPEG/PNG files into DIR and prints, per file, whether PIL
rejects it too (name, then 'rejected' or 'accepted')."""
import io
import os
import struct
import sys
import warnings
import numpy as np
from PIL import Image
from imaging_pngraw import png_bytes

out_dir = sys.argv[1]
rng = np.random.default_rng(3)
pixels = rng.integers(0, 256, (40, 50, 3), dtype=np.uint8)

buf = io.BytesIO(); Image.fromarray(pixels).save(buf, "JPEG", quality=90); jpeg = buf.getvalue()
buf = io.BytesIO(); Image.fromarray(pixels).save(buf, "PNG"); png = buf.getvalue()


def patch_sof_size(data, width, height):
    """Rewrites the frame header's dimensions (SOF0/SOF2)."""
    i = 2
    while i < len(data):
        marker, length = data[i + 1], struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC2):
            return data[:i + 5] + struct.pack(">HH", height, width) + data[i + 9:]
        i += 2 + length
    raise ValueError("no SOF marker")


def flip(data, offset):
    b = bytearray(data); b[offset] ^= 0xFF; return bytes(b)


idat = png.index(b"IDAT")
files = {
    "truncated.jpg": jpeg[: len(jpeg) // 2],
    "header_only.jpg": jpeg[:200],
    "huge_header.jpg": patch_sof_size(jpeg, 65000, 65000),
    "zero_byte.jpg": b"",
    "zero_byte.png": b"",
    "text.jpg": b"this is a plain text file, not an image\n",
    "bad_ihdr_crc.png": flip(png, 29),
    "bad_idat_crc.png": flip(png, idat + 10),
    "truncated.png": png[: len(png) // 2],
    "huge_header.png": png_bytes(100000, 100000, 8, 2, [b"\x00" * 3]),
}
for name, data in files.items():
    path = os.path.join(out_dir, name)
    with open(path, "wb") as f:
        f.write(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with Image.open(path) as im:
                im.convert("RGB")
        verdict = "accepted"
    except Exception:
        verdict = "rejected"
    print(name, verdict)
