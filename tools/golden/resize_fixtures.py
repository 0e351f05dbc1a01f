"""Writes torch's own preprocessing of small images to test/fixtures/resize/.

For each case: a seeded random 8-bit RGB image (HWC), run through torchvision's
GeneralizedRCNNTransform exactly as RetinaNet does at inference (to_tensor, normalize,
resize with bilinear interpolation, zero-pad to a multiple of 32). The files let the
TypeScript preprocessing be compared with torch bit for bit.

Run with Debian's interpreter: /usr/bin/python3 tools/golden/resize_fixtures.py
Output: <case>.input.u8 (H*W*3 bytes), <case>.output.f32 (little-endian float32, 3*PH*PW),
and cases.json describing every case.
"""
import json
import os

import numpy as np
import torch
import torchvision
from torchvision.models.detection.transform import GeneralizedRCNNTransform

MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]

# (name, width, height, min_size, max_size): upscaling, downscaling, max-size bound,
# exact scale 1 (copy path), odd ratios that exercise the float32 size computation.
CASES = [
    ("upscale", 37, 23, 50, 100),
    ("downscale", 64, 48, 20, 40),
    ("max-size-bound", 100, 20, 30, 60),
    ("identity", 40, 30, 30, 40),
    ("odd-ratio", 45, 29, 61, 1000),
    ("portrait", 19, 53, 33, 67),
]


def main() -> None:
    out_dir = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "resize")
    os.makedirs(out_dir, exist_ok=True)
    torch.set_num_threads(1)
    rng = np.random.default_rng(20240611)
    described = []
    for name, width, height, min_size, max_size in CASES:
        pixels = rng.integers(0, 256, size=(height, width, 3), dtype=np.uint8)
        # The same tensor torchvision.transforms.functional.to_tensor makes from a PIL image:
        # contiguous channels-first (a permuted, channels-last tensor takes another kernel).
        image = torch.from_numpy(pixels).permute(2, 0, 1).contiguous().float().div(255)
        transform = GeneralizedRCNNTransform(min_size, max_size, MEAN, STD).eval()
        with torch.no_grad():
            batch, _ = transform([image])
        tensor = batch.tensors[0].contiguous().numpy().astype("<f4")
        resized_height, resized_width = batch.image_sizes[0]
        pixels.tofile(os.path.join(out_dir, f"{name}.input.u8"))
        tensor.tofile(os.path.join(out_dir, f"{name}.output.f32"))
        described.append({
            "name": name,
            "width": width,
            "height": height,
            "minSize": min_size,
            "maxSize": max_size,
            "resizedWidth": int(resized_width),
            "resizedHeight": int(resized_height),
            "paddedWidth": int(tensor.shape[2]),
            "paddedHeight": int(tensor.shape[1]),
        })
    with open(os.path.join(out_dir, "cases.json"), "w") as handle:
        json.dump({
            "generator": "tools/golden/resize_fixtures.py",
            "torch": torch.__version__,
            "torchvision": torchvision.__version__,
            "mean": MEAN,
            "std": STD,
            "padMultiple": 32,
            "cases": described,
        }, handle, indent=2)
        handle.write("\n")


if __name__ == "__main__":
    main()
