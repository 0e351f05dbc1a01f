"""Synthetic data sets on disk and their torch Dataset.

Two kinds of set, both deterministic from (seed, index):
  * training pools: scenes already resized exactly as torchvision's transform resizes them for
    the model (bilinear, align_corners=False, no antialias, scale = min(min/short, max/long)),
    stored as PNG + per-image JSON. Rendering a scene costs more CPU than a training step on
    two cores, so the pool is rendered before training and reused with dihedral flips.
  * evaluation sets: scenes at their own size, JPEG-free PNG, with a COCO JSON.

Usage:
  python3 dataset.py pool --seed 1 --start 0 --count 8000 --out .work/pool
  python3 dataset.py coco --seed 7 --count 200 --out .work/heldout
  python3 dataset.py coco --demo --seed 8 --count 200 --out .work/heldout-demo
"""
import argparse
import json
import os

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from scene import make_scene
from shapes import CLASSES


def torchvision_resize(img, min_size, max_size):
    """Resize a PIL image the way GeneralizedRCNNTransform does; returns (PIL image, sx, sy)."""
    w, h = img.size
    scale = min(min_size / min(w, h), max_size / max(w, h))
    t = torch.from_numpy(np.asarray(img, dtype=np.float32)).permute(2, 0, 1)[None]
    out = F.interpolate(t, scale_factor=scale, mode="bilinear", recompute_scale_factor=True, align_corners=False)[0]
    nh, nw = out.shape[1:]
    arr = out.permute(1, 2, 0).round().clamp(0, 255).to(torch.uint8).numpy()
    return Image.fromarray(arr), nw / w, nh / h


def write_atomically(path, write):
    """Write through a temporary file so that a reader (or a second renderer) never sees half a file."""
    tmp = f"{path}.{os.getpid()}.tmp"
    write(tmp)
    os.replace(tmp, path)


def render_pool_scene(manifest, out_dir, index):
    """Render scene `index` of a pool into `out_dir` (PNG + JSON); a pure function of the manifest."""
    stem = os.path.join(out_dir, f"{index:06d}")
    img, boxes, labels = make_scene(manifest["seed"], index, demo=manifest["demo"])
    small, sx, sy = torchvision_resize(img, manifest["min_size"], manifest["max_size"])
    write_atomically(stem + ".png", lambda p: small.save(p, format="PNG", compress_level=1))
    scaled = [[b[0] * sx, b[1] * sy, b[2] * sx, b[3] * sy] for b in boxes]
    write_atomically(stem + ".json", lambda p: open(p, "w").write(json.dumps({"boxes": scaled, "labels": labels})))


def write_manifest(out_dir, manifest):
    """`pool.json` says what the pool holds, so a reader can render a scene that is not there yet."""
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "pool.json")
    if os.path.exists(path):
        with open(path) as f:
            existing = json.load(f)
        same = {k: existing.get(k) for k in ("seed", "demo", "min_size", "max_size")}
        if same != {k: manifest[k] for k in same}:
            raise SystemExit(f"{out_dir} holds another pool ({existing}); choose another --out")
        manifest = {**manifest, "count": max(existing["start"] + existing["count"], manifest["start"] + manifest["count"])
                    - min(existing["start"], manifest["start"]), "start": min(existing["start"], manifest["start"])}
    write_atomically(path, lambda p: open(p, "w").write(json.dumps(manifest)))


def read_manifests(pool_dirs):
    """{pool directory: its manifest} for the pools that have one."""
    out = {}
    for d in pool_dirs:
        path = os.path.join(d, "pool.json")
        if os.path.exists(path):
            with open(path) as f:
                out[d] = json.load(f)
    return out


def restore_manifests(manifests):
    """Write the manifests of pools that are not on this machine (yet); their scenes then render on use."""
    for d, manifest in manifests.items():
        if not os.path.exists(os.path.join(d, "pool.json")):
            write_manifest(d, manifest)
            print(f"{d}: pool manifest restored from the checkpoint; scenes render as they are used", flush=True)


def render_pool(seed, start, count, out_dir, min_size, max_size, demo=False):
    manifest = {"seed": seed, "demo": demo, "start": start, "count": count, "min_size": min_size, "max_size": max_size}
    write_manifest(out_dir, manifest)
    for index in range(start, start + count):
        if not os.path.exists(os.path.join(out_dir, f"{index:06d}.json")):
            render_pool_scene(manifest, out_dir, index)


def coco_dict(images, annotations):
    return {
        "images": images,
        "annotations": annotations,
        "categories": [{"id": i + 1, "name": n} for i, n in enumerate(CLASSES)],
    }


def annotations_for(image_id, boxes, labels, first_id):
    out = []
    for k, (b, l) in enumerate(zip(boxes, labels)):
        w, h = b[2] - b[0], b[3] - b[1]
        out.append({"id": first_id + k, "image_id": image_id, "category_id": l + 1,
                    "bbox": [round(b[0], 2), round(b[1], 2), round(w, 2), round(h, 2)],
                    "area": round(w * h, 2), "iscrowd": 0})
    return out


def render_coco(seed, count, out_dir, demo=False):
    """An evaluation set: PNG scenes at native size plus `annotations.json` (COCO, category id = label + 1)."""
    os.makedirs(out_dir, exist_ok=True)
    images, annotations = [], []
    for index in range(count):
        img, boxes, labels = make_scene(seed, index, demo=demo)
        name = f"{index:05d}.png"
        img.save(os.path.join(out_dir, name), compress_level=1)
        images.append({"id": index + 1, "file_name": name, "width": img.size[0], "height": img.size[1]})
        annotations += annotations_for(index + 1, boxes, labels, len(annotations) + 1)
    with open(os.path.join(out_dir, "annotations.json"), "w") as f:
        json.dump(coco_dict(images, annotations), f)


class PoolDataset(torch.utils.data.Dataset):
    """Reads one or more rendered pools; applies flips and turns portrait scenes landscape (the
    shapes have no canonical pose). `limit` caps the scenes taken from each pool.

    A pool with a `pool.json` manifest lists its scenes by index, not by what is on disk yet, and
    a scene that is missing is rendered on first use (the same pixels a pre-render gives), so a
    training run can start, or resume, on a fresh clone while a renderer is still filling the pool.
    Items are `(i, flip)` pairs, so the flip of every sample is chosen by the sampler (see
    train.py) and a resumed run sees exactly the samples the uninterrupted one would have."""

    def __init__(self, pool_dirs, augment=True, limit=None):
        if isinstance(pool_dirs, str):
            pool_dirs = [pool_dirs]
        self.items = []  # (directory, manifest or None, index or stem)
        for d in pool_dirs:
            manifest_path = os.path.join(d, "pool.json")
            if os.path.exists(manifest_path):
                with open(manifest_path) as f:
                    manifest = json.load(f)
                indices = range(manifest["start"], manifest["start"] + manifest["count"])[:limit]
                self.items += [(d, manifest, i) for i in indices]
            else:
                self.items += [(d, None, stem) for stem in sorted(f[:-5] for f in os.listdir(d) if f.endswith(".json"))[:limit]]
        self.augment = augment

    def __len__(self):
        return len(self.items)

    def __getitem__(self, item):
        i, flip = item if isinstance(item, tuple) else (item, None)
        directory, manifest, key = self.items[i]
        stem = os.path.join(directory, f"{key:06d}" if manifest else key)
        if manifest and not os.path.exists(stem + ".json"):
            render_pool_scene(manifest, directory, key)
        with open(stem + ".json") as f:
            meta = json.load(f)
        img = torch.from_numpy(np.asarray(Image.open(stem + ".png").convert("RGB"), dtype=np.float32) / 255.0)
        img = img.permute(2, 0, 1).contiguous()
        boxes = torch.tensor(meta["boxes"], dtype=torch.float32).reshape(-1, 4)
        labels = torch.tensor(meta["labels"], dtype=torch.int64)
        if self.augment:
            k = int(torch.randint(0, 4, ()).item()) if flip is None else flip
            img, boxes = dihedral(img, boxes, k)
        if img.shape[1] > img.shape[2]:
            # Landscape only: the model's transform pads a batch to its largest height and width,
            # so mixing orientations would double the pixels of every step.
            img, boxes = dihedral(img, boxes, 4)
        return img, {"boxes": boxes, "labels": labels}


def dihedral(img, boxes, k):
    """Apply one of the 8 flips/transposes (k bit 0: h-flip, bit 1: v-flip, bit 2: transpose)."""
    _, h, w = img.shape
    boxes = boxes.clone()
    if k & 1:
        img = img.flip(2)
        boxes[:, [0, 2]] = w - boxes[:, [2, 0]]
    if k & 2:
        img = img.flip(1)
        boxes[:, [1, 3]] = h - boxes[:, [3, 1]]
    if k & 4:
        img = img.transpose(1, 2)
        boxes = boxes[:, [1, 0, 3, 2]]
    return img.contiguous(), boxes


def collate(batch):
    return [b[0] for b in batch], [b[1] for b in batch]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("kind", choices=["pool", "coco"])
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--start", type=int, default=0)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--min-size", type=int, default=None)
    p.add_argument("--max-size", type=int, default=None)
    p.add_argument("--demo", action="store_true",
                   help="the samples' tidier scenes: 3-12 objects of 8-60%% of the short side")
    a = p.parse_args()
    if a.kind == "pool":
        from net import MAX_SIZE, MIN_SIZE
        render_pool(a.seed, a.start, a.count, a.out, a.min_size or MIN_SIZE, a.max_size or MAX_SIZE, a.demo)
    else:
        render_coco(a.seed, a.count, a.out, a.demo)


if __name__ == "__main__":
    main()
