"""Shape geometry and object rendering for the synthetic scenes.

Each class is a polygon in unit coordinates (centred on 0, radius about 1). An object is that
polygon rotated, squashed slightly along one axis, given a mild perspective jitter, scaled and
placed; it is then rendered either aliased or antialiased (supersampled) as a filled or outlined
mask and composited with a fill pattern. Circles are not rotated (a rotated circle is a circle).
"""
import math

import numpy as np
from PIL import Image, ImageDraw

CLASSES = ["circle", "square", "triangle", "star", "hexagon"]


def regular_polygon(sides, phase):
    angles = phase + np.arange(sides) * 2 * math.pi / sides
    return np.stack([np.cos(angles), np.sin(angles)], axis=1)


def star_polygon(inner_ratio):
    outer = regular_polygon(5, -math.pi / 2)
    inner = regular_polygon(5, -math.pi / 2 + math.pi / 5) * inner_ratio
    return np.stack([outer, inner], axis=1).reshape(-1, 2)


def unit_shape(label, rng):
    """Vertices of class `label` in unit coordinates, upright."""
    name = CLASSES[label]
    if name == "circle":
        return regular_polygon(72, 0.0)
    if name == "square":
        return regular_polygon(4, math.pi / 4)
    if name == "triangle":
        return regular_polygon(3, -math.pi / 2)
    if name == "star":
        return star_polygon(rng.uniform(0.36, 0.52))
    return regular_polygon(6, rng.uniform(0, math.pi / 3) if rng.random() < 0.5 else 0.0)


def place_shape(label, size, centre, rng):
    """Vertices in image coordinates of an object whose larger extent is about `size` pixels."""
    pts = unit_shape(label, rng)
    if CLASSES[label] != "circle":
        a = rng.uniform(0, 2 * math.pi)
        rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
        pts = pts @ rot.T
    # Mild anisotropic squash along a random axis (a circle becomes a slight ellipse).
    if rng.random() < 0.6:
        b = rng.uniform(0, math.pi)
        axis = np.array([math.cos(b), math.sin(b)])
        squash = rng.uniform(0.82, 1.0)
        along = pts @ axis
        pts = pts + np.outer(along * (squash - 1), axis)
    # Mild perspective: a small projective warp.
    if rng.random() < 0.4:
        px, py = rng.uniform(-0.12, 0.12, size=2)
        w = 1 + px * pts[:, 0] + py * pts[:, 1]
        pts = pts / w[:, None]
    extent = (pts.max(axis=0) - pts.min(axis=0)).max()
    pts = (pts - (pts.max(axis=0) + pts.min(axis=0)) / 2) * (size / extent)
    return pts + np.asarray(centre)


def render_mask(pts, box, outline_width, antialias):
    """Coverage mask (float 0..1) of the polygon over the integer box (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = box
    ss = 4 if antialias else 1
    w, h = (x1 - x0) * ss, (y1 - y0) * ss
    img = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(img)
    local = [((x - x0) * ss, (y - y0) * ss) for x, y in pts]
    if outline_width <= 0:
        draw.polygon(local, fill=255)
    else:
        draw.line(local + [local[0], local[1]], fill=255, width=max(1, int(round(outline_width * ss))), joint="curve")
    if ss > 1:
        img = img.resize((x1 - x0, y1 - y0), Image.BOX)
    return np.asarray(img, dtype=np.float32) / 255.0


def fill_pattern(h, w, colour, rng):
    """An RGB float array (h, w, 3) used to paint the object: solid, gradient, stripes or speckle."""
    colour = np.asarray(colour, dtype=np.float32)
    kind = rng.choice(["solid", "solid", "solid", "gradient", "stripes", "speckle"])
    base = np.broadcast_to(colour, (h, w, 3)).astype(np.float32)
    if kind == "solid":
        return base
    other = np.clip(colour + rng.uniform(-90, 90, size=3), 0, 255).astype(np.float32)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    a = rng.uniform(0, 2 * math.pi)
    proj = xx * math.cos(a) + yy * math.sin(a)
    if kind == "gradient":
        t = (proj - proj.min()) / max(1e-3, proj.max() - proj.min())
    elif kind == "stripes":
        period = rng.uniform(3, max(4, min(h, w) / 3))
        t = (np.floor(proj / period) % 2).astype(np.float32)
    else:
        t = (rng.random((h, w)) < 0.3).astype(np.float32)
    return base * (1 - t[..., None]) + other * t[..., None]
