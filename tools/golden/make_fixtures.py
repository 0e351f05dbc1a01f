"""Regenerate the engine's golden fixtures (models, images, tensors, expected detections).

    /usr/bin/python3 tools/golden/make_fixtures.py

Deterministic: seeded weights, generated images. Writes test/fixtures/models/tiny-*.onnx + .json
and test/fixtures/golden/** (see test/fixtures/golden/README.md for each file).
"""
import copy
import gzip
import json
import os
import shutil
import sys

import numpy as np
import torch
import torchvision
from PIL import Image
from torchvision.transforms import functional as TF

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "model"))

from export_torchvision import export_concat  # noqa: E402
from fixture_images import FIXTURE_IMAGES, draw_fixture_image, save_fixture_image  # noqa: E402
from graph_wrappers import MmdeployStyleDetections, OdtkStyleSigmoidMaps, PerLevelLogits  # noqa: E402
from odtk_reference import odtk_detect  # noqa: E402
from tiny_retinanet import CLASS_NAMES, build_tiny_retinanet, calibrate_heads  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
MODELS = os.path.join(ROOT, "test", "fixtures", "models")
GOLDEN = os.path.join(ROOT, "test", "fixtures", "golden")
MIN_SIZE, MAX_SIZE = 256, 320
ODTK_HEIGHT, ODTK_WIDTH = 256, 384
IMAGENET_MEAN, IMAGENET_STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
MMDET_MEAN, MMDET_STD = [123.675, 116.28, 103.53], [58.395, 57.12, 57.375]
TORCHVISION_IMAGES = ["landscape-320x256", "portrait-256x320", "downscaled-400x300", "upscaled-150x200"]
# Images whose in-graph resize is the identity, so an end-to-end graph sees exactly torchvision's tensor.
END_TO_END_IMAGES = ["landscape-320x256", "portrait-256x320"]
MMDEPLOY_IMAGE = "landscape-320x256"
ODTK_IMAGE = "odtk-384x256"


def write_json(path, value):
    with open(path, "w") as file:
        json.dump(value, file, indent=1)
        file.write("\n")


def write_tensor(name, array, dtype):
    """Little-endian, channels-first, gzip-compressed (mtime 0 keeps the bytes reproducible)."""
    is_float = dtype == np.float32
    relative = f"tensors/{name}.{'f32' if is_float else 'u8'}.gz"
    data = np.ascontiguousarray(array, dtype=np.dtype(dtype).newbyteorder("<")).tobytes()
    with open(os.path.join(GOLDEN, relative), "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as file:
            file.write(data)
    return {"file": relative, "dtype": "float32" if is_float else "uint8", "dims": list(array.shape)}


def detections_json(boxes, scores, labels, source):
    rows = [{"classIndex": int(label), "score": float(score), "box": [float(v) for v in box]}
            for box, score, label in zip(np.asarray(boxes), np.asarray(scores), np.asarray(labels))]
    return {"source": source, "count": len(rows), "detections": rows}


def frame(original, resized, padded):
    return {"originalWidth": original[0], "originalHeight": original[1], "resizedWidth": resized[0],
            "resizedHeight": resized[1], "paddedWidth": padded[0], "paddedHeight": padded[1]}


def candidate_stats(model, tensor, top_k=1000):
    """Per level: anchors x classes scoring above 0.05, and exact score ties among the ones top-k
    keeps (including the k-th/(k+1)-th boundary). A tie there would make the order of top-k or
    NMS framework-defined, so the fixture would be ambiguous; the generator refuses it."""
    class_maps = PerLevelLogits(model)(tensor)[:5]
    stats = []
    for level, class_map in enumerate(class_maps):
        scores = torch.sigmoid(class_map).flatten()
        candidates = scores[scores > 0.05].sort(descending=True).values
        kept = candidates[: top_k + 1]
        ties = int(kept.numel() - torch.unique(kept).numel())
        stats.append({"level": f"P{level + 3}", "scores": int(scores.numel()), "above0.05": int(candidates.numel()), "keptTies": ties})
        if ties:
            raise SystemExit(f"ambiguous fixture: {ties} tied scores among the top {top_k} at P{level + 3}")
    return stats


def model_config(preset, **extra):
    config = {"preset": preset, "classes": CLASS_NAMES}
    config.update(extra)
    return config


def export(module, path, sample, input_names, output_names, dynamic_axes):
    torch.onnx.export(module, (sample,), path, opset_version=11, input_names=input_names,
                      output_names=output_names, dynamic_axes=dynamic_axes, do_constant_folding=True)


def main():
    torch.set_num_threads(2)
    for folder in ("images", "tensors", "detections"):
        shutil.rmtree(os.path.join(GOLDEN, folder), ignore_errors=True)
        os.makedirs(os.path.join(GOLDEN, folder))
    os.makedirs(MODELS, exist_ok=True)

    images = {}
    for name, (width, height, file_format) in FIXTURE_IMAGES.items():
        file = f"images/{name}.{file_format}"
        save_fixture_image(draw_fixture_image(name, width, height), os.path.join(GOLDEN, file), file_format)
        images[name] = {"file": file, "width": width, "height": height}

    def load(name):  # reload from disk: JPEG fixtures must be the decoded file, not the drawing
        return TF.to_tensor(Image.open(os.path.join(GOLDEN, images[name]["file"])).convert("RGB"))

    model = build_tiny_retinanet(MIN_SIZE, MAX_SIZE)
    calibrate_heads(model, model.transform([load(TORCHVISION_IMAGES[0])])[0].tensors)

    manifest = {"generator": "tools/golden/make_fixtures.py", "torch": torch.__version__,
                "torchvision": torchvision.__version__, "images": images, "tensors": {}, "detections": {},
                "stats": {}, "cases": []}
    source = f"torchvision {torchvision.__version__} RetinaNet.forward in eval mode"
    with torch.no_grad():
        for name in TORCHVISION_IMAGES:
            image = load(name)
            batch, _ = model.transform([image])
            tensor = batch.tensors
            (resized_h, resized_w), (padded_h, padded_w) = batch.image_sizes[0], tensor.shape[-2:]
            key = f"{name}.torchvision"
            manifest["tensors"][key] = {**write_tensor(key, tensor[0].numpy(), np.float32), "image": name,
                                        "frame": frame((image.shape[2], image.shape[1]), (resized_w, resized_h), (padded_w, padded_h))}
            result = model([image])[0]
            manifest["detections"][key] = f"detections/{key}.json"
            write_json(os.path.join(GOLDEN, manifest["detections"][key]),
                       detections_json(result["boxes"], result["scores"], result["labels"], source))
            manifest["stats"][key] = candidate_stats(model, tensor)
            for model_name in ("tiny-concat", "tiny-per-level"):
                manifest["cases"].append({"model": model_name, "tensor": key, "expected": key})
            if name in END_TO_END_IMAGES:
                raw_key = f"{name}.rgb"
                pixels = np.asarray(Image.open(os.path.join(GOLDEN, images[name]["file"])).convert("RGB"))
                size = (image.shape[2], image.shape[1])
                manifest["tensors"][raw_key] = {**write_tensor(raw_key, pixels.transpose(2, 0, 1), np.uint8), "image": name,
                                                "frame": frame(size, size, size)}
                manifest["cases"].append({"model": "tiny-end-to-end", "tensor": raw_key, "expected": key})

        sample = model.transform([load(TORCHVISION_IMAGES[0])])[0].tensors
        dynamic = {"images": {0: "batch", 2: "height", 3: "width"}}
        export_concat(model, os.path.join(MODELS, "tiny-concat.onnx"), sample)
        level_names = [f"cls_p{i}" for i in range(3, 8)] + [f"box_p{i}" for i in range(3, 8)]
        export(PerLevelLogits(model), os.path.join(MODELS, "tiny-per-level.onnx"), sample, ["images"], level_names,
               {**dynamic, **{n: {0: "batch", 2: "height", 3: "width"} for n in level_names}})
        export(model, os.path.join(MODELS, "tiny-end-to-end.onnx"), [load(TORCHVISION_IMAGES[0])], ["images"],
               ["boxes", "scores", "labels"], {"images": {1: "height", 2: "width"}, "boxes": {0: "detections"},
                                               "scores": {0: "detections"}, "labels": {0: "detections"}})

        # ODTK / retinanet-9 style: static input, sigmoid maps output1..output10, numpy reference decode.
        odtk = OdtkStyleSigmoidMaps(model)
        odtk_image = load(ODTK_IMAGE)
        odtk_tensor = TF.normalize(odtk_image, IMAGENET_MEAN, IMAGENET_STD).unsqueeze(0)
        export(odtk, os.path.join(MODELS, "tiny-odtk.onnx"), odtk_tensor, ["input"], [f"output{i}" for i in range(1, 11)], None)
        maps = [m[0].numpy() for m in odtk(odtk_tensor)]
        scores, boxes, classes = odtk_detect(maps[:5], maps[5:])
        key = f"{ODTK_IMAGE}.odtk"
        size = (ODTK_WIDTH, ODTK_HEIGHT)
        manifest["tensors"][key] = {**write_tensor(key, odtk_tensor[0].numpy(), np.float32), "image": ODTK_IMAGE, "frame": frame(size, size, size)}
        manifest["detections"][key] = f"detections/{key}.json"
        write_json(os.path.join(GOLDEN, manifest["detections"][key]),
                   detections_json(boxes, scores, classes, "tools/golden/odtk_reference.py (NVIDIA ODTK decode + NMS in numpy)"))
        manifest["cases"].append({"model": "tiny-odtk", "tensor": key, "expected": key})

        # mmdeploy style: the graph takes mmdet-normalized 0-255 input and answers in its frame.
        mm_model = copy.deepcopy(model)
        mm_model.transform.image_mean, mm_model.transform.image_std = [0.0, 0.0, 0.0], [1.0, 1.0, 1.0]
        mm_model.detections_per_img = 100
        mm_image = load(MMDEPLOY_IMAGE)
        mm_tensor = ((mm_image * 255 - torch.tensor(MMDET_MEAN)[:, None, None]) / torch.tensor(MMDET_STD)[:, None, None]).unsqueeze(0)
        mmdeploy = MmdeployStyleDetections(mm_model)
        export(mmdeploy, os.path.join(MODELS, "tiny-mmdeploy.onnx"), mm_tensor, ["input"], ["dets", "labels"],
               {"dets": {1: "detections"}, "labels": {1: "detections"}})
        dets, labels = mmdeploy(mm_tensor)
        key = f"{MMDEPLOY_IMAGE}.mmdeploy"
        size = (mm_image.shape[2], mm_image.shape[1])
        mm_tensor_size = tuple(mm_tensor.shape)
        manifest["tensors"][key] = {**write_tensor(key, mm_tensor[0].numpy(), np.float32), "image": MMDEPLOY_IMAGE, "frame": frame(size, size, size)}
        manifest["detections"][key] = f"detections/{key}.json"
        write_json(os.path.join(GOLDEN, manifest["detections"][key]),
                   detections_json(dets[0, :, :4], dets[0, :, 4], labels[0], source + " (mmdeploy-style wrapper)"))
        manifest["cases"].append({"model": "tiny-mmdeploy", "tensor": key, "expected": key})

    resize = {"mode": "torchvision", "minSize": MIN_SIZE, "maxSize": MAX_SIZE}
    write_json(os.path.join(MODELS, "tiny-concat.json"), model_config("torchvision", input={"resize": resize}))
    write_json(os.path.join(MODELS, "tiny-per-level.json"), model_config(
        "torchvision-per-level", input={"resize": resize},
        output={"classOutputs": level_names[:5], "boxOutputs": level_names[5:]}))
    write_json(os.path.join(MODELS, "tiny-end-to-end.json"), model_config("torchvision-end-to-end"))
    write_json(os.path.join(MODELS, "tiny-odtk.json"), model_config(
        "retinanet-9", input={"resize": {"mode": "letterbox", "width": ODTK_WIDTH, "height": ODTK_HEIGHT}}))
    # The mmdeploy-style graph is static (like most mmdeploy exports), so the tensor size is fixed.
    write_json(os.path.join(MODELS, "tiny-mmdeploy.json"), model_config(
        "mmdeploy", input={"resize": {"mode": "letterbox", "width": mm_tensor_size[3], "height": mm_tensor_size[2]}}))
    write_json(os.path.join(GOLDEN, "manifest.json"), manifest)
    for key, path in manifest["detections"].items():
        with open(os.path.join(GOLDEN, path)) as file:
            print(key, "detections:", json.load(file)["count"])
    for key, stats in manifest["stats"].items():
        print(key, [(s["level"], s["above0.05"], s["keptTies"]) for s in stats])
    return 0


if __name__ == "__main__":
    sys.exit(main())
