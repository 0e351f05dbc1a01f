"""Render the app's bundled sample images and their COCO ground truth (resources/samples/).

Sixteen demo scenes from a fixed seed: thirteen plain JPEGs of varied size and aspect ratio,
two whose pixels are stored rotated with an EXIF Orientation tag (6 and 8) so that viewers
show them upright, and one 4096-px-wide JPEG. Ground truth is in the DISPLAYED frame, which
is what the app's detector reports.

  python3 make_samples.py --out ../../resources/samples
"""
import argparse
import json
import os

from PIL import Image, ImageFilter, ImageOps

from dataset import annotations_for, coco_dict
from scene import make_scene

SEED = 20240611
PLAIN_SIZES = [(640, 480), (480, 640), (800, 450), (512, 512), (720, 400), (400, 600), (600, 400),
               (900, 500), (384, 384), (560, 420), (420, 700), (1000, 380), (640, 360)]
# EXIF Orientation → the transpose that turns the displayed image into the stored pixels.
ROTATED = [(6, Image.ROTATE_90, (600, 450)), (8, Image.ROTATE_270, (640, 480))]
LARGE_SIZE = (4096, 2304)
LARGE_SCENE = 17


def save_jpeg(img, path, quality, orientation=None):
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    img.save(path, format="JPEG", quality=quality, optimize=True, exif=exif.tobytes())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    images, annotations = [], []

    def add(name, displayed, boxes, labels):
        image_id = len(images) + 1
        images.append({"id": image_id, "file_name": name, "width": displayed.size[0], "height": displayed.size[1]})
        annotations.extend(annotations_for(image_id, boxes, labels, len(annotations) + 1))

    index = 0
    for size in PLAIN_SIZES:
        img, boxes, labels = make_scene(SEED, index, size=size, demo=True)
        name = f"shapes-{index + 1:02d}.jpg"
        save_jpeg(img, os.path.join(a.out, name), quality=82)
        add(name, img, boxes, labels)
        index += 1
    for orientation, to_stored, size in ROTATED:
        img, boxes, labels = make_scene(SEED, index, size=size, demo=True)
        name = f"shapes-{index + 1:02d}-exif-orientation-{orientation}.jpg"
        path = os.path.join(a.out, name)
        save_jpeg(img.transpose(to_stored), path, quality=82, orientation=orientation)
        shown = ImageOps.exif_transpose(Image.open(path))
        assert shown.size == img.size, f"{name}: EXIF orientation {orientation} does not display upright"
        add(name, img, boxes, labels)
        index += 1
    # Rendered at a quarter of the size and upscaled: smooth like a high-resolution photo, so the
    # 4096-px file stays small in bytes.
    # Scene LARGE_SCENE has a calm background, which keeps the file small too.
    small, boxes, labels = make_scene(SEED, LARGE_SCENE, size=(LARGE_SIZE[0] // 4, LARGE_SIZE[1] // 4), demo=True)
    img = small.filter(ImageFilter.GaussianBlur(1.0)).resize(LARGE_SIZE, Image.BICUBIC)
    boxes = [[v * 4 for v in b] for b in boxes]
    name = f"shapes-{index + 1:02d}-large.jpg"
    save_jpeg(img, os.path.join(a.out, name), quality=60)
    add(name, img, boxes, labels)

    with open(os.path.join(a.out, "ground-truth.json"), "w") as f:
        json.dump(coco_dict(images, annotations), f, indent=1)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(a.out, im["file_name"])) for im in images)
    print(f"{len(images)} images, {len(annotations)} boxes, {total / 1024:.0f} KB")


if __name__ == "__main__":
    main()
