"""Scene backgrounds and distractors: things the detector must learn are NOT shapes.

Backgrounds are flat colour, gradients, multi-octave value noise (cloudy, photo-like), stripes
and checks, or clutter (many soft blobs and lines). Distractors are strokes, curves, irregular
blobs, very elongated bars and ellipses, and dots, drawn with the scene's own palette.
"""
import math

import numpy as np
from PIL import Image, ImageDraw, ImageFilter


def random_colour(rng):
    return tuple(int(c) for c in rng.integers(0, 256, size=3))


def value_noise(h, w, rng, octaves=4):
    out = np.zeros((h, w), dtype=np.float32)
    amp, total = 1.0, 0.0
    cells = int(rng.integers(2, 6))
    for _ in range(octaves):
        small = rng.random((cells + 1, cells + 1)).astype(np.float32)
        img = Image.fromarray((small * 255).astype(np.uint8)).resize((w, h), Image.BICUBIC)
        out += amp * np.asarray(img, dtype=np.float32) / 255.0
        total += amp
        amp *= 0.5
        cells *= 2
    return out / total


def colour_map(t, rng):
    """Map a scalar field 0..1 to colours between two or three random colours."""
    c0, c1, c2 = (np.asarray(random_colour(rng), dtype=np.float32) for _ in range(3))
    t = t[..., None]
    mid = np.clip(t * 2, 0, 1)
    hi = np.clip(t * 2 - 1, 0, 1)
    return c0 * (1 - mid) + c1 * mid * (1 - hi) + c2 * hi


def background(h, w, rng):
    kind = rng.choice(["flat", "gradient", "noise", "noise", "pattern", "clutter", "clutter"])
    if kind == "flat":
        arr = np.broadcast_to(np.asarray(random_colour(rng), np.float32), (h, w, 3)).copy()
    elif kind == "gradient":
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        a = rng.uniform(0, 2 * math.pi)
        proj = xx * math.cos(a) + yy * math.sin(a)
        arr = colour_map((proj - proj.min()) / max(1.0, proj.max() - proj.min()), rng)
    elif kind == "noise":
        arr = colour_map(value_noise(h, w, rng), rng)
    elif kind == "pattern":
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        period = rng.uniform(4, 60)
        a = rng.uniform(0, math.pi)
        u = xx * math.cos(a) + yy * math.sin(a)
        v = -xx * math.sin(a) + yy * math.cos(a)
        t = np.floor(u / period) % 2
        if rng.random() < 0.5:
            t = (t + np.floor(v / period)) % 2
        c0, c1 = np.asarray(random_colour(rng), np.float32), np.asarray(random_colour(rng), np.float32)
        c1 = c0 + (c1 - c0) * rng.uniform(0.1, 0.5)  # patterns are low-contrast, like textures
        arr = c0 * (1 - t[..., None]) + c1 * t[..., None]
    else:
        arr = clutter(h, w, rng)
    if rng.random() < 0.5:
        arr = arr + rng.normal(0, rng.uniform(2, 14), size=(h, w, 1 if rng.random() < 0.5 else 3))
    return np.clip(arr, 0, 255).astype(np.float32)


def clutter(h, w, rng):
    """Photograph-like clutter: a noisy base with many soft overlapping blobs and lines."""
    img = Image.fromarray(np.clip(colour_map(value_noise(h, w, rng), rng), 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(img)
    for _ in range(int(rng.integers(10, 60))):
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        r = rng.uniform(4, max(6, min(h, w) / 4))
        if rng.random() < 0.6:
            rx, ry = r, r * rng.uniform(0.3, 1.0)
            draw.ellipse([x - rx, y - ry, x + rx, y + ry], fill=random_colour(rng))
        else:
            x2, y2 = x + rng.normal(0, r * 2), y + rng.normal(0, r * 2)
            draw.line([x, y, x2, y2], fill=random_colour(rng), width=int(rng.integers(1, 8)))
    return np.asarray(img.filter(ImageFilter.GaussianBlur(rng.uniform(1.5, 6))), dtype=np.float32)


def blob_polygon(cx, cy, r, rng):
    """An irregular closed blob: a circle with large low-frequency radius noise."""
    n = 40
    angles = np.linspace(0, 2 * math.pi, n, endpoint=False)
    radius = np.ones(n)
    for k in range(2, 5):
        radius += rng.uniform(0.15, 0.35) * np.sin(k * angles + rng.uniform(0, 2 * math.pi))
    radius = np.clip(radius, 0.3, None) * r
    return [(cx + rr * math.cos(a), cy + rr * math.sin(a)) for a, rr in zip(angles, radius)]


def draw_distractors(img, rng, count):
    """Draw `count` non-shape marks onto the PIL image in place."""
    w, h = img.size
    draw = ImageDraw.Draw(img)
    for _ in range(count):
        kind = rng.choice(["stroke", "curve", "blob", "bar", "ellipse", "dots"])
        colour = random_colour(rng)
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        r = rng.uniform(6, max(8, min(w, h) / 5))
        if kind == "stroke":
            pts = [(x, y)]
            for _ in range(int(rng.integers(1, 5))):
                x, y = x + rng.normal(0, r), y + rng.normal(0, r)
                pts.append((x, y))
            draw.line(pts, fill=colour, width=int(rng.integers(1, 6)), joint="curve")
        elif kind == "curve":
            t = np.linspace(0, rng.uniform(1, 2 * math.pi) * 0.8, 30)
            a, b = rng.uniform(0.5, 1.5), rng.uniform(0, 2)
            pts = [(x + r * a * math.cos(tt) + b * tt * 5, y + r * math.sin(tt)) for tt in t]
            draw.line(pts, fill=colour, width=int(rng.integers(1, 5)))
        elif kind == "blob":
            draw.polygon(blob_polygon(x, y, r, rng), fill=colour)
        elif kind == "bar":
            length, thick = r * 2, r * rng.uniform(0.05, 0.25)
            a = rng.uniform(0, math.pi)
            dx, dy = math.cos(a), math.sin(a)
            nx, ny = -dy, dx
            pts = [(x + s * dx * length / 2 + t * nx * thick / 2, y + s * dy * length / 2 + t * ny * thick / 2)
                   for s, t in ((-1, -1), (1, -1), (1, 1), (-1, 1))]
            draw.polygon(pts, fill=colour)
        elif kind == "ellipse":
            rx, ry = r, r * rng.uniform(0.15, 0.45)
            draw.ellipse([x - rx, y - ry, x + rx, y + ry], fill=colour if rng.random() < 0.6 else None,
                         outline=colour, width=int(rng.integers(1, 4)))
        else:
            for _ in range(int(rng.integers(3, 12))):
                d = rng.uniform(1, 4)
                px, py = x + rng.normal(0, r), y + rng.normal(0, r)
                draw.ellipse([px - d, py - d, px + d, py + d], fill=colour)
