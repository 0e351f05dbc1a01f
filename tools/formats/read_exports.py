"""Reads an exported COCO file with pycocotools' COCO() and exported Pascal VOC XML with
Python's expat-based ElementTree, and prints what they read as JSON (see reference-readers.ts).

Usage: python3 read_exports.py <annotations.json> <Annotations folder>
pycocotools must be importable (PYTHONPATH pointing at a build of cocoapi's PythonAPI).
"""
import json
import os
import sys
import xml.etree.ElementTree as ElementTree

from pycocotools.coco import COCO


def read_coco(path):
    coco = COCO(path)
    images = []
    for image in coco.loadImgs(sorted(coco.getImgIds())):
        annotations = coco.loadAnns(coco.getAnnIds(imgIds=[image["id"]], iscrowd=None))
        images.append({
            "id": image["id"],
            "file_name": image["file_name"],
            "width": image["width"],
            "height": image["height"],
            "annotations": [
                {"category_id": a["category_id"], "bbox": a["bbox"], "area": a["area"], "iscrowd": a["iscrowd"]}
                for a in sorted(annotations, key=lambda a: a["id"])
            ],
        })
    categories = [{"id": c["id"], "name": c["name"]} for c in coco.loadCats(coco.getCatIds())]
    return {"images": images, "categories": categories, "annotation_count": len(coco.anns)}


def read_voc(folder):
    documents = {}
    for root, _dirs, files in os.walk(folder):
        for name in files:
            if not name.endswith(".xml"):
                continue
            path = os.path.join(root, name)
            annotation = ElementTree.parse(path).getroot()
            size = annotation.find("size")
            documents[os.path.relpath(path, folder).replace(os.sep, "/")] = {
                "filename": annotation.findtext("filename"),
                "path": annotation.findtext("path"),
                "size": [int(size.findtext(key)) for key in ("width", "height", "depth")],
                "objects": [
                    {
                        "name": obj.findtext("name"),
                        "pose": obj.findtext("pose"),
                        "truncated": int(obj.findtext("truncated")),
                        "difficult": int(obj.findtext("difficult")),
                        "bndbox": [int(obj.find("bndbox").findtext(key)) for key in ("xmin", "ymin", "xmax", "ymax")],
                    }
                    for obj in annotation.findall("object")
                ],
            }
    return dict(sorted(documents.items()))


if __name__ == "__main__":
    json.dump({"coco": read_coco(sys.argv[1]), "voc": read_voc(sys.argv[2])}, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
