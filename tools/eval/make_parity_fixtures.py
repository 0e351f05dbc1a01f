"""Writes the COCO evaluation parity fixtures: for each case a ground-truth file, a detection
results file and the numbers pycocotools computes on them (see pycocotools_reference.py).

  PYCOCOTOOLS_PATH=/tmp/pycocotools-build/PythonAPI /usr/bin/python3 tools/eval/make_parity_fixtures.py

Deterministic (one seeded generator per case); output under test/fixtures/eval/<case>/.
test/unit/metrics/coco-parity.test.ts reads them, so CI needs no Python.
"""
import json
import os
import random

from pycocotools_reference import reference

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'fixtures', 'eval')


class Case:
    def __init__(self, seed, category_ids):
        self.random = random.Random(seed)
        self.images = []
        self.annotations = []
        self.detections = []
        self.categories = [{'id': c, 'name': f'class-{c}'} for c in category_ids]

    def image(self, image_id, width=640, height=480):
        self.images.append({'id': image_id, 'file_name': f'{image_id}.png', 'width': width, 'height': height})

    def truth(self, image_id, category_id, bbox, crowd=False, area=None):
        self.annotations.append({
            'id': len(self.annotations) + 1, 'image_id': image_id, 'category_id': category_id, 'bbox': bbox,
            'area': bbox[2] * bbox[3] if area is None else area, 'iscrowd': 1 if crowd else 0,
        })

    def detect(self, image_id, category_id, bbox, score):
        self.detections.append({'image_id': image_id, 'category_id': category_id, 'bbox': bbox, 'score': score})

    def box(self, size_low=8, size_high=200, decimals=None):
        r = self.random
        w, h = r.uniform(size_low, size_high), r.uniform(size_low, size_high)
        x, y = r.uniform(0, 640 - w), r.uniform(0, 480 - h)
        values = [x, y, w, h]
        return [round(v, decimals) if decimals is not None else round(v) for v in values]

    def jitter(self, bbox, amount, decimals=2):
        r = self.random
        x, y, w, h = bbox
        dx, dy = r.uniform(-amount, amount) * w, r.uniform(-amount, amount) * h
        dw, dh = r.uniform(-amount, amount) * w, r.uniform(-amount, amount) * h
        return [round(x + dx, decimals), round(y + dy, decimals), round(max(1, w + dw), decimals), round(max(1, h + dh), decimals)]

    def score(self, decimals=3):
        return round(self.random.random(), decimals)

    def write(self, name):
        folder = os.path.join(OUT, name)
        os.makedirs(folder, exist_ok=True)
        ground_truth = {'images': self.images, 'annotations': self.annotations, 'categories': self.categories}
        expected = reference(ground_truth, self.detections)
        for file, content in [('ground-truth.json', ground_truth), ('detections.json', self.detections), ('expected.json', expected)]:
            with open(os.path.join(folder, file), 'w') as handle:
                json.dump(content, handle, separators=(',', ':'))
                handle.write('\n')
        print(f'{name}: {len(self.images)} images, {len(self.annotations)} ground-truth boxes, {len(self.detections)} detections, AP {expected["summary"]["AP"]:.4f}')


def near_miss_detections(case, image_id, category_id, bbox, count, score_decimals=3):
    for _ in range(count):
        case.detect(image_id, category_id, case.jitter(bbox, case.random.choice([0.02, 0.1, 0.25, 0.5])), case.score(score_decimals))


def crowd():
    """Crowd regions matched by many detections (IoU = intersection / detection area), beside normal boxes."""
    case = Case(11, [1, 2, 3])
    for image_id in range(1, 13):
        case.image(image_id)
        for _ in range(case.random.randint(1, 5)):
            category = case.random.choice([1, 2, 3])
            bbox = case.box()
            case.truth(image_id, category, bbox)
            near_miss_detections(case, image_id, category, bbox, case.random.randint(0, 3))
        for _ in range(case.random.randint(1, 2)):
            category = case.random.choice([1, 2, 3])
            region = case.box(150, 300)
            case.truth(image_id, category, region, crowd=True, area=region[2] * region[3] * 0.6)
            x, y, w, h = region
            for _ in range(case.random.randint(2, 8)):  # small detections inside the crowd region
                dw, dh = case.random.uniform(10, w / 2), case.random.uniform(10, h / 2)
                case.detect(image_id, category, [round(x + case.random.uniform(0, w - dw), 2), round(y + case.random.uniform(0, h - dh), 2), round(dw, 2), round(dh, 2)], case.score())
        for _ in range(case.random.randint(0, 3)):
            case.detect(image_id, case.random.choice([1, 2, 3]), case.box(decimals=1), case.score())
    case.write('crowd')


def empty_images_and_false_positives():
    """Images with nothing, images with ground truth but no detections, images with only false positives."""
    case = Case(12, [1, 2])
    for image_id in range(1, 15):
        case.image(image_id)
        kind = image_id % 4
        if kind == 0:
            continue  # empty: no ground truth, no detections
        if kind in (1, 2):
            for _ in range(case.random.randint(1, 4)):
                category = case.random.choice([1, 2])
                bbox = case.box()
                case.truth(image_id, category, bbox)
                if kind == 2:
                    near_miss_detections(case, image_id, category, bbox, 2)
        if kind == 3 or kind == 2:  # false positives far from everything, in both classes
            for _ in range(case.random.randint(1, 4)):
                case.detect(image_id, case.random.choice([1, 2]), [600 + case.random.randint(0, 30), 440, 10, 10], case.score())
    case.write('empty-and-false-positives')


def score_ties():
    """Equal scores within and across images, duplicate detections (equal IoU), IoU exactly at 0.5 and 0.75."""
    case = Case(13, [1, 2])
    scores = [0.9, 0.5, 0.5, 0.3]
    for image_id in range(1, 11):
        case.image(image_id)
        for _ in range(case.random.randint(1, 4)):
            category = case.random.choice([1, 2])
            x, y = case.random.randint(0, 500), case.random.randint(0, 380)
            bbox = [x, y, 40, 40]
            case.truth(image_id, category, bbox)
            case.truth(image_id, category, [x + 20, y, 40, 40])  # equal IoU to a detection straddling both
            choice = case.random.randint(0, 3)
            if choice == 0:
                case.detect(image_id, category, [x, y, 40, 20], case.random.choice(scores))  # IoU exactly 0.5
            elif choice == 1:
                case.detect(image_id, category, [x, y, 40, 30], case.random.choice(scores))  # IoU exactly 0.75
            elif choice == 2:
                case.detect(image_id, category, [x + 10, y, 40, 40], case.random.choice(scores))  # same IoU with both
            for _ in range(case.random.randint(0, 3)):
                case.detect(image_id, category, list(bbox), case.random.choice(scores))  # exact duplicates
            case.detect(image_id, category, case.jitter(bbox, 0.2, 0), case.random.choice(scores))
    case.write('score-ties')


def area_ranges():
    """Boxes on both sides of 32² and 96², ground-truth areas exactly on the bounds, an `area` unlike w·h."""
    case = Case(14, [1, 2, 3])
    sides = [10, 31, 32, 33, 60, 95, 96, 97, 150, 250]
    for image_id in range(1, 13):
        case.image(image_id)
        for _ in range(case.random.randint(2, 6)):
            category = case.random.choice([1, 2, 3])
            side = case.random.choice(sides)
            bbox = [case.random.randint(0, 300), case.random.randint(0, 200), side, case.random.choice([side, side * 0.8])]
            area = case.random.choice([None, 32 * 32, 96 * 96, bbox[2] * bbox[3] * 0.5])
            case.truth(image_id, category, bbox, area=area)
            near_miss_detections(case, image_id, category, bbox, case.random.randint(0, 3))
        for _ in range(case.random.randint(0, 3)):
            side = case.random.choice(sides)
            case.detect(image_id, case.random.choice([1, 2, 3]), [case.random.randint(0, 300), case.random.randint(0, 200), side, side], case.score())
    case.write('area-ranges')


def many_detections():
    """More than 100 detections of a category in an image, so maxDets cuts (1, 10, 100) matter."""
    case = Case(15, [1, 2])
    for image_id in range(1, 6):
        case.image(image_id)
        truths = []
        for _ in range(30):
            category = case.random.choice([1, 2])
            bbox = case.box(10, 120, decimals=2)
            case.truth(image_id, category, bbox)
            truths.append((category, bbox))
        for _ in range(260):
            category, bbox = case.random.choice(truths)
            if case.random.random() < 0.3:
                case.detect(image_id, case.random.choice([1, 2]), case.box(10, 120, decimals=2), case.score(2))
            else:
                case.detect(image_id, category, case.jitter(bbox, 0.15), case.score(2))
    case.write('many-detections')


def absent_categories():
    """Listed categories without ground truth (with and without detections), detections of an unlisted category."""
    case = Case(16, [1, 2, 5, 7, 9])
    for image_id in [3, 8, 21, 40]:  # ids out of order and with gaps
        case.image(image_id)
        for _ in range(case.random.randint(1, 4)):
            category = case.random.choice([2, 7])
            bbox = case.box()
            case.truth(image_id, category, bbox)
            near_miss_detections(case, image_id, category, bbox, 2)
        case.detect(image_id, 5, case.box(), case.score())  # listed, never in the ground truth
        case.detect(image_id, 4, case.box(), case.score())  # not listed: pycocotools leaves it out
    case.write('absent-categories')


def random_mix():
    """Everything at once, at a larger size: crowds, ties, all sizes, float and integer boxes."""
    case = Case(17, [1, 2, 3, 4, 5, 6])
    for image_id in range(1, 81):
        case.image(image_id * 3)
        for _ in range(case.random.randint(0, 12)):
            category = case.random.randint(1, 6)
            bbox = case.box(4, 300, decimals=case.random.choice([None, 1, 2]))
            crowd_box = case.random.random() < 0.05
            case.truth(image_id * 3, category, bbox, crowd=crowd_box)
            for _ in range(case.random.randint(0, 4)):
                label = category if case.random.random() < 0.85 else case.random.randint(1, 6)
                case.detect(image_id * 3, label, case.jitter(bbox, case.random.choice([0.03, 0.1, 0.3])), case.score(2))
        for _ in range(case.random.randint(0, 6)):
            case.detect(image_id * 3, case.random.randint(1, 6), case.box(4, 300, decimals=1), case.score(2))
    case.write('random-mix')


if __name__ == '__main__':
    for make in [crowd, empty_images_and_false_positives, score_ties, area_ranges, many_detections, absent_categories, random_mix]:
        make()
