"""Re-implementation of transformers' CLIPImageProcessor / SiglipImageProcessor (slow, PIL-based) steps with
PIL + numpy, plus LLaVA-1.5's expand2square. Usage: CONFIG_JSON IMAGE PAD(0|1) OUT.f32
Writes the [3, H, W] float32 pixel values and prints H W."""
import json
import math
import sys
import numpy as np
from PIL import Image

OPENAI_CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
OPENAI_CLIP_STD = [0.26862954, 0.26130258, 0.27577711]

config_path, image_path, pad, out_path = sys.argv[1], sys.argv[2], sys.argv[3] == "1", sys.argv[4]
with open(config_path) as f:
    cfg = json.load(f)
kind = cfg.get("image_processor_type") or cfg.get("feature_extractor_type")
clip = kind.startswith("CLIP")
defaults = dict(do_resize=True, resample=3, do_rescale=True, rescale_factor=1 / 255, do_normalize=True, do_convert_rgb=True)
if clip:
    defaults.update(size={"shortest_edge": 224}, do_center_crop=True, crop_size={"height": 224, "width": 224},
                    image_mean=OPENAI_CLIP_MEAN, image_std=OPENAI_CLIP_STD)
else:
    defaults.update(size={"height": 224, "width": 224}, do_center_crop=False, image_mean=[0.5] * 3, image_std=[0.5] * 3)
p = {**defaults, **{k: v for k, v in cfg.items() if v is not None}}
if not clip:
    p["do_center_crop"] = False
size = p["size"]
if isinstance(size, int):   # get_size_dict: int -> shortest edge (CLIP) or square (SigLIP)
    size = {"shortest_edge": size} if clip else {"height": size, "width": size}
crop = p.get("crop_size")
if isinstance(crop, int):
    crop = {"height": crop, "width": crop}
mean, std = p["image_mean"], p["image_std"]
if isinstance(mean, (int, float)): mean = [mean] * 3
if isinstance(std, (int, float)): std = [std] * 3

image = Image.open(image_path)
if p["do_convert_rgb"]:
    image = image.convert("RGB")
if pad:  # LLaVA expand2square
    fill = tuple(int(x * 255) for x in mean)
    w, h = image.size
    if w != h:
        side = max(w, h)
        canvas = Image.new(image.mode, (side, side), fill)
        canvas.paste(image, (0, (side - h) // 2) if w > h else ((side - w) // 2, 0))
        image = canvas

arr = np.array(image)                     # HWC uint8
if p["do_resize"]:
    h, w = arr.shape[:2]
    if "shortest_edge" in size:           # get_resize_output_image_size(default_to_square=False)
        short, long = (w, h) if w <= h else (h, w)
        s = size["shortest_edge"]
        if short == s:
            nh, nw = h, w
        else:
            new_short, new_long = s, int(s * long / short)
            nw, nh = (new_short, new_long) if w <= h else (new_long, new_short)
    else:
        nh, nw = size["height"], size["width"]
    arr = np.array(Image.fromarray(arr).resize((nw, nh), resample=p["resample"], reducing_gap=None))
if p["do_center_crop"]:                   # image_transforms.center_crop
    h, w = arr.shape[:2]
    ch, cw = crop["height"], crop["width"]
    top, left = (h - ch) // 2, (w - cw) // 2
    bottom, right = top + ch, left + cw
    if top >= 0 and bottom <= h and left >= 0 and right <= w:
        arr = arr[top:bottom, left:right]
    else:
        nh, nw = max(ch, h), max(cw, w)
        canvas = np.zeros((nh, nw, 3), dtype=arr.dtype)
        tp, lp = math.ceil((nh - h) / 2), math.ceil((nw - w) / 2)
        canvas[tp:tp + h, lp:lp + w] = arr
        top, bottom, left, right = top + tp, bottom + tp, left + lp, right + lp
        arr = canvas[max(0, top):min(nh, bottom), max(0, left):min(nw, right)]
x = arr
if p["do_rescale"]:
    x = (x.astype(np.float64) * p["rescale_factor"]).astype(np.float32)
if p["do_normalize"]:
    x = x.astype(np.float32)
    x = (x - np.array(mean, dtype=np.float32)) / np.array(std, dtype=np.float32)
x = np.ascontiguousarray(x.astype(np.float32).transpose(2, 0, 1))
x.tofile(out_path)
print(x.shape[1], x.shape[2])
