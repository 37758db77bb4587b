"""Perturbation oracle (PyTorch). Usage: DIR H W KERNEL SIGMA R G B
Reads DIR/pixels.f32, DIR/other.f32 ([3,H,W]) and DIR/mask.f32 ([H,W]); writes
  blur.f32      torchvision-style gaussian blur: outer-product kernel, reflect pad, conv2d
  constant.f32  (1-m)*x + m*[R,G,B]
  blurred.f32   (1-m)*x + m*blur(x)
  other.f32     (1-m)*x + m*other"""
import os
import sys
import numpy as np
import torch
import torch.nn.functional as F

d, h, w, k, sigma = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
color = torch.tensor([float(v) for v in sys.argv[6:9]]).view(3, 1, 1)
load = lambda name, shape: torch.from_numpy(np.fromfile(os.path.join(d, name), dtype=np.float32).reshape(shape))
x, other, m = load("pixels.f32", (3, h, w)), load("other.f32", (3, h, w)), load("mask.f32", (1, h, w))

half = (k - 1) * 0.5
t = torch.linspace(-half, half, steps=k, dtype=torch.float64)
pdf = torch.exp(-0.5 * (t / sigma) ** 2)
k1 = pdf / pdf.sum()
k2 = torch.outer(k1, k1).to(torch.float64)
padded = F.pad(x.to(torch.float64).unsqueeze(0), [k // 2] * 4, mode="reflect")
blur = F.conv2d(padded, k2.expand(3, 1, k, k), groups=3)[0].to(torch.float32)

save = lambda name, t: t.contiguous().numpy().astype(np.float32).tofile(os.path.join(d, name))
save("blur.f32", blur)
save("constant.f32", (1 - m) * x + m * color)
save("blurred.f32", (1 - m) * x + m * blur)
save("other.f32", (1 - m) * x + m * other)
