"""An independent check set: shapes drawn with PIL's own primitives (ImageDraw.ellipse,
regular_polygon, polygon), none of scene.py's geometry, masks, fills or degradations.

A model that only learned this repository's renderer does worse here than on its own held-out
scenes; the gap is reported in the model card. Plain backgrounds (flat or a two-colour
gradient), up to 10 non-overlapping objects from about 5% to 40% of the short side wide,
filled or outlined, any rotation.

`--cross` adds a sixth class the bundled model does not know, a cross (a plus sign of arms a
third of its width, any rotation, so also an x): every scene's first object is a cross, the
others any of the six classes. It is for teaching the model a new class (training_targets.sh).

  python3 plain_shapes.py --seed 11 --count 100 --out .work/plain
  python3 plain_shapes.py --cross --seed 21 --count 60 --out .work/cross-train

`--look-alikes` makes about half the objects unlabelled shapes close to the classes: ellipses,
rectangles, rhombi, pentagons, octagons (none of them a circle, square or hexagon). A model
that learned "round", "four corners", "many corners" labels them; reviewed labels say otherwise.

  python3 plain_shapes.py --look-alikes --seed 51 --count 60 --out .work/look-alikes
"""
import argparse
import json
import math
import os

import numpy as np
from PIL import Image, ImageDraw

from dataset import annotations_for, coco_dict
from shapes import CLASSES

CROSS_CLASSES = CLASSES + ["cross"]
# Half the width of a cross's arm, as a fraction of its radius (centre to arm tip).
CROSS_ARM = 1 / 3
LOOK_ALIKES = ["ellipse", "rectangle", "rhombus", "pentagon", "octagon"]


def background(w, h, rng):
    a, b = rng.integers(0, 256, 3), rng.integers(0, 256, 3)
    if rng.random() < 0.5:
        return Image.new("RGB", (w, h), tuple(int(v) for v in a))
    t = np.linspace(0, 1, w if rng.random() < 0.5 else h, dtype=np.float32)
    ramp = a[None] * (1 - t[:, None]) + b[None] * t[:, None]
    arr = np.broadcast_to(ramp[None] if len(t) == w else ramp[:, None], (h, w, 3))
    return Image.fromarray(arr.astype(np.uint8))


def polygon_points(cx, cy, radii, rotation):
    """Vertices on alternating radii (one radius: a regular polygon), first vertex up."""
    count = len(radii)
    return [(cx + radii[k] * math.cos(rotation + k * 2 * math.pi / count - math.pi / 2),
             cy + radii[k] * math.sin(rotation + k * 2 * math.pi / count - math.pi / 2)) for k in range(count)]


def cross_points(cx, cy, r, rotation):
    """The twelve corners of a plus sign of radius r (centre to arm tip), turned by `rotation`."""
    a = r * CROSS_ARM
    corners = [(a, r), (a, a), (r, a), (r, -a), (a, -a), (a, -r),
               (-a, -r), (-a, -a), (-r, -a), (-r, a), (-a, a), (-a, r)]
    c, s = math.cos(rotation), math.sin(rotation)
    return [(cx + x * c - y * s, cy + x * s + y * c) for x, y in corners]


def stretched_points(cx, cy, points, rotation):
    """Points given around (0, 0), turned by `rotation` and moved to (cx, cy)."""
    c, s = math.cos(rotation), math.sin(rotation)
    return [(cx + x * c - y * s, cy + x * s + y * c) for x, y in points]


def look_alike_points(name, cx, cy, r, rotation, squash):
    """An unlabelled shape near a class: `squash` (0.4–0.75) is its short side over its long one."""
    if name == "ellipse":
        outline = [(r * math.cos(t), r * squash * math.sin(t)) for t in np.linspace(0, 2 * math.pi, 64, endpoint=False)]
    elif name == "rectangle":
        long = r / math.hypot(1, squash)  # corners on the radius, as every shape keeps within it
        outline = [(long, long * squash), (-long, long * squash), (-long, -long * squash), (long, -long * squash)]
    elif name == "rhombus":
        outline = [(r, 0), (0, r * squash), (-r, 0), (0, -r * squash)]
    else:
        return polygon_points(cx, cy, [r] * {"pentagon": 5, "octagon": 8}[name], rotation)
    return stretched_points(cx, cy, outline, rotation)


def draw_object(draw, name, cx, cy, r, rotation, colour, width, squash=1.0):
    """Draws one object with PIL's primitives: filled, or outlined when `width` > 0."""
    if name in LOOK_ALIKES:
        points = look_alike_points(name, cx, cy, r, rotation, squash)
        if width:
            draw.line(points + points[:1], fill=colour, width=width, joint="curve")
        else:
            draw.polygon(points, fill=colour)
        return
    if name == "circle":
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], **({"outline": colour, "width": width} if width else {"fill": colour}))
        return
    if name == "cross":
        points = cross_points(cx, cy, r, math.radians(rotation))
    else:
        radii = {"square": [r] * 4, "triangle": [r] * 3, "hexagon": [r] * 6, "star": [r, r * 0.45] * 5}[name]
        points = polygon_points(cx, cy, radii, math.radians(rotation))
    if width:
        draw.line(points + points[:1], fill=colour, width=width, joint="curve")
    else:
        draw.polygon(points, fill=colour)


def make_plain_scene(seed, index, cross=False, look_alikes=False):
    """Returns (PIL image, boxes, labels); each box is the extent of the pixels drawn. Labels index
    CROSS_CLASSES with `cross` (the first object a cross), CLASSES without (as before the option).
    Look-alikes are drawn but get no box; their choices come from a stream of their own, so the
    scenes without them stay as they were."""
    classes = CROSS_CLASSES if cross else CLASSES
    rng = np.random.default_rng([seed, index])
    look_alike_rng = np.random.default_rng([seed, index, 1])
    w, h = int(rng.integers(320, 900)), int(rng.integers(320, 900))
    img = background(w, h, rng)
    boxes, labels, placed = [], [], []
    for k in range(int(rng.integers(2, 11))):
        r = float(rng.uniform(0.05, 0.4) * min(w, h) / 2) + 6
        cx, cy = float(rng.uniform(r + 2, w - r - 2)), float(rng.uniform(r + 2, h - r - 2))
        label = int(rng.integers(0, len(classes)))
        if cross and k == 0:
            label = classes.index("cross")  # the first object is never skipped: nothing is placed yet
        rotation = float(rng.uniform(0, 360))
        width = int(rng.integers(2, max(3, int(r / 5)))) if rng.random() < 0.3 else 0
        shift = rng.integers(90, 166, 3)
        if any(math.hypot(cx - x, cy - y) < r + other + 4 for x, y, other in placed):
            continue  # no overlaps: every object is fully visible
        under = np.asarray(img)[int(cy), int(cx)].astype(int)
        colour = tuple(int(v) for v in (under + shift) % 256)
        mask = Image.new("L", (w, h), 0)
        placed.append((cx, cy, r))
        if look_alikes and k > 0 and look_alike_rng.random() < 0.5:
            name = LOOK_ALIKES[int(look_alike_rng.integers(0, len(LOOK_ALIKES)))]
            draw_object(ImageDraw.Draw(mask), name, cx, cy, r, rotation, 255, width, float(look_alike_rng.uniform(0.4, 0.75)))
            img.paste(Image.new("RGB", (w, h), colour), (0, 0), mask)
            continue
        draw_object(ImageDraw.Draw(mask), classes[label], cx, cy, r, rotation, 255, width)
        ys, xs = np.nonzero(np.asarray(mask))
        img.paste(Image.new("RGB", (w, h), colour), (0, 0), mask)
        boxes.append([float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1)])
        labels.append(label)
    return img, boxes, labels


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("--count", type=int, default=100)
    p.add_argument("--out", required=True)
    p.add_argument("--cross", action="store_true", help="add a sixth class, cross, in every scene")
    p.add_argument("--look-alikes", action="store_true", help="about half the objects unlabelled shapes near the classes")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    images, annotations = [], []
    for index in range(a.count):
        img, boxes, labels = make_plain_scene(a.seed, index, cross=a.cross, look_alikes=a.look_alikes)
        name = f"{index:05d}.png"
        img.save(os.path.join(a.out, name))
        images.append({"id": index + 1, "file_name": name, "width": img.size[0], "height": img.size[1]})
        annotations += annotations_for(index + 1, boxes, labels, len(annotations) + 1)
    coco = coco_dict(images, annotations)
    if a.cross:
        coco["categories"] = [{"id": i + 1, "name": n} for i, n in enumerate(CROSS_CLASSES)]
    with open(os.path.join(a.out, "annotations.json"), "w") as f:
        json.dump(coco, f)


if __name__ == "__main__":
    main()
