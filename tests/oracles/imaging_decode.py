"""Decode-parity oracle: writes JPEG and PNG fixtures into DIR and, for each, PIL's
Image.open(f).convert("RGB") pixels as NAME.rgb. Prints one line per fixture: name width height.
Extra arguments name files already in DIR to decode as well."""
import sys
import os
import numpy as np
from PIL import Image
from imaging_pngraw import png_bytes, pack_low_bits

out_dir = sys.argv[1]
rng = np.random.default_rng(7)


def scene(w, h):
    """Smooth gradients plus noise and sharp edges, so codecs see both flat and detailed regions."""
    y, x = np.mgrid[0:h, 0:w]
    r = (x * 255 / max(w - 1, 1))
    g = (y * 255 / max(h - 1, 1))
    b = 128 + 100 * np.sin(x / 5.0) * np.cos(y / 7.0)
    img = np.stack([r, g, b], axis=-1) + rng.normal(0, 12, (h, w, 3))
    img[h // 3: h // 2, w // 4: w // 2] = [250, 20, 30]
    return np.clip(img, 0, 255).astype(np.uint8)


fixtures = []


def record(name):
    path = os.path.join(out_dir, name)
    with Image.open(path) as im:
        rgb = np.asarray(im.convert("RGB"))
    rgb.tofile(path + ".rgb")
    fixtures.append((name, rgb.shape[1], rgb.shape[0]))


def write_bytes(name, data):
    with open(os.path.join(out_dir, name), "wb") as f:
        f.write(data)
    record(name)


rgb = scene(67, 45)
big = scene(640, 480)
Image.fromarray(rgb).save(os.path.join(out_dir, "baseline.jpg"), quality=90); record("baseline.jpg")
Image.fromarray(big).save(os.path.join(out_dir, "baseline_640x480.jpg"), quality=85); record("baseline_640x480.jpg")
Image.fromarray(rgb).save(os.path.join(out_dir, "progressive.jpg"), quality=90, progressive=True); record("progressive.jpg")
Image.fromarray(rgb).save(os.path.join(out_dir, "subsampling444.jpg"), quality=95, subsampling=0); record("subsampling444.jpg")
Image.fromarray(rgb).convert("L").save(os.path.join(out_dir, "grayscale.jpg"), quality=90); record("grayscale.jpg")
Image.fromarray(rgb).convert("CMYK").save(os.path.join(out_dir, "cmyk.jpg"), quality=90); record("cmyk.jpg")
cmyk = rng.integers(0, 256, (45, 67, 4), dtype=np.uint8)
Image.fromarray(cmyk, "CMYK").save(os.path.join(out_dir, "cmyk_inks.jpg"), quality=95); record("cmyk_inks.jpg")
exif = Image.Exif()
exif[0x0112] = 6  # orientation "rotate 90 CW": PIL's Image.open does not apply it, neither do we
Image.fromarray(rgb).save(os.path.join(out_dir, "exif_orientation.jpg"), quality=90, exif=exif.tobytes()); record("exif_orientation.jpg")
with open(os.path.join(out_dir, "baseline.jpg"), "rb") as f:
    jpeg = f.read()
# Stray bytes before the end-of-image marker: libjpeg warns ("extraneous bytes before marker") and PIL decodes anyway.
write_bytes("extraneous_bytes.jpg", jpeg[:-2] + b"\x00\x11\x22" + jpeg[-2:])
for extra in sys.argv[2:]:  # JPEGs written by the caller (e.g. YCCK from libjpeg-turbo), decoded here by PIL
    record(extra)

Image.fromarray(rgb).save(os.path.join(out_dir, "rgb.png")); record("rgb.png")
rgba = np.concatenate([rgb, rng.integers(0, 256, (45, 67, 1), dtype=np.uint8)], axis=-1)
Image.fromarray(rgba, "RGBA").save(os.path.join(out_dir, "rgba.png")); record("rgba.png")
Image.fromarray(rgb).convert("L").save(os.path.join(out_dir, "gray.png")); record("gray.png")
Image.fromarray(rgba, "RGBA").convert("LA").save(os.path.join(out_dir, "gray_alpha.png")); record("gray_alpha.png")
Image.fromarray(rgb).convert("1").save(os.path.join(out_dir, "bilevel.png")); record("bilevel.png")
Image.fromarray(rgb).convert("P", palette=Image.ADAPTIVE, colors=200).save(os.path.join(out_dir, "palette.png")); record("palette.png")
pal = Image.fromarray(rgb).convert("P", palette=Image.ADAPTIVE, colors=16)
pal.save(os.path.join(out_dir, "palette_trns.png"), transparency=3); record("palette_trns.png")
# A PNG behind a .JPEG name, as in ImageNet's training set: the content decides, not the extension.
with open(os.path.join(out_dir, "rgb.png"), "rb") as f:
    write_bytes("png_named.jpg", f.read())

w, h = 31, 17
gray16 = rng.integers(0, 65536, (h, w), dtype=np.uint16)
gray16[0, :8] = [0, 1, 100, 255, 256, 1000, 65534, 65535]
Image.fromarray(gray16).save(os.path.join(out_dir, "gray16.png")); record("gray16.png")
rgb16 = rng.integers(0, 65536, (h, w, 3), dtype=np.uint16)
write_bytes("rgb16.png", png_bytes(w, h, 16, 2, [r.astype(">u2").tobytes() for r in rgb16]))
rgba16 = rng.integers(0, 65536, (h, w, 4), dtype=np.uint16)
write_bytes("rgba16.png", png_bytes(w, h, 16, 6, [r.astype(">u2").tobytes() for r in rgba16]))
ga16 = rng.integers(0, 65536, (h, w, 2), dtype=np.uint16)
write_bytes("gray_alpha16.png", png_bytes(w, h, 16, 4, [r.astype(">u2").tobytes() for r in ga16]))
for depth in (2, 4):
    g = rng.integers(0, 1 << depth, (h, w))
    write_bytes(f"gray{depth}.png", png_bytes(w, h, depth, 0, [pack_low_bits(r, depth) for r in g]))
idx4 = rng.integers(0, 16, (h, w))
plte = rng.integers(0, 256, 16 * 3, dtype=np.uint8)
write_bytes("palette4.png", png_bytes(w, h, 4, 3, [pack_low_bits(r, 4) for r in idx4], plte=plte))

for name, width, height in fixtures:
    print(name, width, height)
