"""One synthetic scene: background, distractors, 0–25 shapes, then camera-like degradations.

`make_scene(seed, index)` is a pure function of its arguments, so a data set is fully determined
by its seed. Ground-truth boxes are the full (amodal) extent of each object in pixel
coordinates [x0, y0, x1, y1]; an object is only kept if at least 60% of it stays visible after
later objects are drawn over it.
"""
import io
import math

import numpy as np
from PIL import Image, ImageEnhance, ImageFilter

from backgrounds import background, draw_distractors, random_colour
from shapes import CLASSES, fill_pattern, place_shape, render_mask

MIN_VISIBLE = 0.6


def scene_size(rng):
    long_side = int(rng.integers(256, 1025))
    ratio = math.exp(rng.uniform(0, math.log(2.2)))
    short_side = max(256, int(long_side / ratio))
    return (long_side, short_side) if rng.random() < 0.6 else (short_side, long_side)


def object_size(rng, short_side, smallest=12.0, largest=0.9):
    """Log-uniform between `smallest` px and `largest` × the short side, so every pyramid level
    gets objects."""
    lo, hi = smallest, largest * short_side
    return float(math.exp(rng.uniform(math.log(lo), math.log(max(lo, hi)))))


def contrasting_colour(region, rng):
    """A random colour that differs clearly from the mean colour under the object."""
    mean = region.reshape(-1, 3).mean(axis=0)
    for _ in range(8):
        colour = np.asarray(random_colour(rng), dtype=np.float32)
        if np.abs(colour - mean).sum() > 120:
            return colour
    return 255.0 - mean


def try_place(canvas, owner, areas, label, rng, index, size_range):
    """Draw one object if it fits and hides no earlier object too much; returns its box or None."""
    h, w = owner.shape
    size = object_size(rng, min(w, h), *size_range)
    margin = size / 2 + 2
    if w <= 2 * margin or h <= 2 * margin:
        return None
    centre = (rng.uniform(margin, w - margin), rng.uniform(margin, h - margin))
    pts = place_shape(label, size, centre, rng)
    outlined = rng.random() < 0.3 and size > 14
    width = rng.uniform(1, max(1.5, size / 10)) if outlined else 0
    pad = width / 2 + 1
    x0, y0 = int(max(0, math.floor(pts[:, 0].min() - pad))), int(max(0, math.floor(pts[:, 1].min() - pad)))
    x1, y1 = int(min(w, math.ceil(pts[:, 0].max() + pad))), int(min(h, math.ceil(pts[:, 1].max() + pad)))
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    mask = render_mask(pts, (x0, y0, x1, y1), width, antialias=rng.random() < 0.7)
    covered = owner[y0:y1, x0:x1][mask > 0.5]
    if covered.size:
        counts = np.bincount(covered[covered >= 0], minlength=len(areas))
        for j, hidden in enumerate(counts):
            if hidden and areas[j][1] - hidden < MIN_VISIBLE * areas[j][0]:
                return None
    region = canvas[y0:y1, x0:x1]
    colour = contrasting_colour(region, rng)
    paint = fill_pattern(y1 - y0, x1 - x0, colour, rng)
    alpha = mask[..., None] * rng.uniform(0.85, 1.0)
    canvas[y0:y1, x0:x1] = region * (1 - alpha) + paint * alpha
    for j, hidden in enumerate(np.bincount(covered[covered >= 0], minlength=len(areas)) if covered.size else []):
        areas[j][1] -= hidden
    owner[y0:y1, x0:x1][mask > 0.5] = index
    areas.append([int((mask > 0.5).sum()), int((mask > 0.5).sum())])
    # Box of the ideal outline (plus half the stroke), clipped to the image.
    half = width / 2
    return [max(0.0, pts[:, 0].min() - half), max(0.0, pts[:, 1].min() - half),
            min(float(w), pts[:, 0].max() + half), min(float(h), pts[:, 1].max() + half)]


def degrade(img, rng):
    """Camera-like degradations: blur, brightness/contrast, noise, JPEG."""
    if rng.random() < 0.35:
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.3)))
    if rng.random() < 0.5:
        img = ImageEnhance.Brightness(img).enhance(rng.uniform(0.7, 1.3))
        img = ImageEnhance.Contrast(img).enhance(rng.uniform(0.7, 1.3))
    if rng.random() < 0.25:
        arr = np.asarray(img, dtype=np.float32) + rng.normal(0, rng.uniform(2, 10), size=(img.size[1], img.size[0], 1))
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    if rng.random() < 0.5:
        buf = io.BytesIO()
        img.save(buf, format="JPEG", quality=int(rng.integers(30, 95)))
        buf.seek(0)
        img = Image.open(buf).convert("RGB")
    return img


def make_scene(seed, index, size=None, demo=False):
    """Returns (PIL RGB image, boxes [[x0,y0,x1,y1]...], labels [int...]).

    `demo` makes a tidier scene for the app's bundled samples: 3–12 objects between 8% and 60%
    of the short side (so they stay visible on any screen), otherwise the same generator."""
    rng = np.random.default_rng([seed, index])
    w, h = size if size else scene_size(rng)
    size_range = (max(12.0, 0.08 * min(w, h)), 0.6) if demo else (12.0, 0.9)
    canvas = background(h, w, rng)
    img = Image.fromarray(canvas.astype(np.uint8))
    draw_distractors(img, rng, int(rng.integers(0, 12)))
    canvas = np.asarray(img, dtype=np.float32).copy()
    owner = np.full((h, w), -1, dtype=np.int32)
    areas, boxes, labels = [], [], []
    if demo:
        wanted = int(rng.integers(3, 13))
    else:
        wanted = 0 if rng.random() < 0.06 else int(rng.integers(1, 26))
    for _ in range(wanted * 3):
        if len(boxes) >= wanted:
            break
        label = int(rng.integers(0, len(CLASSES)))
        box = try_place(canvas, owner, areas, label, rng, len(areas), size_range)
        if box is not None:
            boxes.append(box)
            labels.append(label)
    img = Image.fromarray(np.clip(canvas, 0, 255).astype(np.uint8))
    if rng.random() < 0.3:
        draw_distractors(img, rng, int(rng.integers(1, 4)))  # a few marks on top of shapes too
    return degrade(img, rng), boxes, labels
