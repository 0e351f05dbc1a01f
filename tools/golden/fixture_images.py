"""Deterministic fixture images: smooth gradients, a few shapes and mild noise.

Every pixel position must differ from its neighbours somewhere within the network's receptive
field; flat regions would give exactly equal scores at many anchors, and the order of equal
scores in top-k and NMS is not defined by either framework.
"""
import numpy as np
from PIL import Image, ImageDraw

# name -> (width, height, file format). With min_size 256 / max_size 320 the first two are fed
# at their own size, the last two are resized (down by 0.8, up by 1.6) and then padded.
FIXTURE_IMAGES = {
    "landscape-320x256": (320, 256, "png"),
    "portrait-256x320": (256, 320, "png"),
    "downscaled-400x300": (400, 300, "jpg"),
    "upscaled-150x200": (150, 200, "png"),
    # Exactly the static input size of the ODTK-style fixture model.
    "odtk-384x256": (384, 256, "png"),
}


def draw_fixture_image(name: str, width: int, height: int) -> Image.Image:
    seed = sum(ord(c) for c in name)
    rng = np.random.default_rng(seed)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    red = 40 + 170 * xs / width
    green = 60 + 150 * ys / height
    blue = 128 + 100 * np.sin(xs / 17.0 + ys / 23.0)
    pixels = np.stack([red, green, blue], axis=-1)
    pixels += rng.normal(0, 2, size=pixels.shape)
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x1, y1 = int(rng.integers(0, width - 20)), int(rng.integers(0, height - 20))
        x2 = min(width - 1, x1 + int(rng.integers(16, width // 2)))
        y2 = min(height - 1, y1 + int(rng.integers(16, height // 2)))
        color = tuple(int(c) for c in rng.integers(0, 255, size=3))
        if rng.random() < 0.5:
            draw.rectangle([x1, y1, x2, y2], outline=color, width=3)
        else:
            draw.ellipse([x1, y1, x2, y2], outline=color, width=3)
    return image


def save_fixture_image(image: Image.Image, path: str, file_format: str) -> None:
    if file_format == "jpg":
        image.save(path, "JPEG", quality=90)
    else:
        image.save(path, "PNG", optimize=True)
