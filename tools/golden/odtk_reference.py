"""An independent numpy rendition of NVIDIA ODTK's RetinaNet decoding (odtk/box.py: generate_anchors,
delta2box, decode, nms), in float32 as ODTK computes it, for the retinanet-9-style fixture.

ODTK conventions: anchors scale-major with ratios (1, 2, 0.5) and scales 4*2^(i/3) times the
level's stride, centred on stride/2 of each cell; "+1" widths; deltas not clamped; boxes clamped
to [0, feature_size*stride - 1] per level; scores >= threshold; top_n per level; per-class greedy
NMS with "+1" areas suppressing IoU > 0.5; at most `detections` results.
"""
import numpy as np

F32 = np.float32


def generate_anchors(stride: int, ratios, scales) -> np.ndarray:
    scale_col = np.repeat(np.asarray(scales, F32), len(ratios))            # scale-major
    ratio_col = np.tile(np.asarray(ratios, F32), len(scales))
    side = F32(stride)
    widths = np.sqrt(side * side / ratio_col).astype(F32)
    heights = (widths * ratio_col).astype(F32)
    half = F32(0.5)
    x1 = half * (side - widths * scale_col)
    y1 = half * (side - heights * scale_col)
    x2 = half * (side + widths * scale_col)
    y2 = half * (side + heights * scale_col)
    return np.stack([x1, y1, x2, y2], axis=1).astype(F32)


def delta_to_box(deltas, anchors, feature_width, feature_height, stride):
    one, half = F32(1), F32(0.5)
    anchor_wh = anchors[:, 2:] - anchors[:, :2] + one
    centre = anchors[:, :2] + half * anchor_wh
    pred_centre = deltas[:, :2] * anchor_wh + centre
    pred_wh = np.exp(deltas[:, 2:]).astype(F32) * anchor_wh
    upper = np.asarray([feature_width * stride - 1, feature_height * stride - 1], F32)
    low = np.clip(pred_centre - half * pred_wh, 0, upper)
    high = np.clip(pred_centre + half * pred_wh - one, 0, upper)
    return np.concatenate([low, high], axis=1).astype(F32)


def decode_level(class_map, box_map, stride, anchors, threshold, top_n):
    """class_map [A*K, H, W] (probabilities), box_map [A*4, H, W] for one image."""
    num_anchors = anchors.shape[0]
    channels, height, width = class_map.shape
    num_classes = channels // num_anchors
    flat = class_map.reshape(-1)
    keep = np.nonzero(flat >= threshold)[0]
    if keep.size == 0:
        return np.zeros((0,), F32), np.zeros((0, 4), F32), np.zeros((0,), np.int64)
    order = np.argsort(-flat[keep], kind="stable")[:top_n]
    indices = keep[order]
    scores = flat[indices]
    channel = indices // (width * height)
    classes = channel % num_classes
    anchor = channel // num_classes
    x = indices % width
    y = (indices // width) % height
    boxes_by_anchor = box_map.reshape(num_anchors, 4, height, width)
    deltas = boxes_by_anchor[anchor, :, y, x]
    grid = np.stack([x, y, x, y], axis=1).astype(F32) * F32(stride) + anchors[anchor]
    boxes = delta_to_box(deltas.astype(F32), grid.astype(F32), width, height, stride)
    return scores.astype(F32), boxes, classes.astype(np.int64)


def nms(scores, boxes, classes, iou_threshold, max_detections):
    order = np.argsort(-scores, kind="stable")
    scores, boxes, classes = scores[order], boxes[order], classes[order]
    areas = (boxes[:, 2] - boxes[:, 0] + 1) * (boxes[:, 3] - boxes[:, 1] + 1)
    suppressed = np.zeros(len(scores), bool)
    kept = []
    for i in range(len(scores)):
        if suppressed[i]:
            continue
        kept.append(i)
        if len(kept) == max_detections:
            break
        xy1 = np.maximum(boxes[:, :2], boxes[i, :2])
        xy2 = np.minimum(boxes[:, 2:], boxes[i, 2:])
        inter = np.prod(np.clip(xy2 - xy1 + 1, 0, None), axis=1)
        iou = inter / (areas + areas[i] - inter)
        suppressed |= (iou > iou_threshold) & (classes == classes[i])
    kept = np.asarray(kept, np.int64)
    return scores[kept], boxes[kept], classes[kept]


def odtk_detect(class_maps, box_maps, strides=(8, 16, 32, 64, 128), ratios=(1.0, 2.0, 0.5),
                threshold=0.05, top_n=1000, iou_threshold=0.5, max_detections=100):
    """Per-image lists of maps (no batch axis) -> (scores, boxes, classes) in the input frame."""
    scales = [4 * 2 ** (i / 3) for i in range(3)]
    all_scores, all_boxes, all_classes = [], [], []
    for class_map, box_map, stride in zip(class_maps, box_maps, strides):
        anchors = generate_anchors(stride, list(ratios), scales)
        s, b, c = decode_level(class_map, box_map, stride, anchors, F32(threshold), top_n)
        all_scores.append(s), all_boxes.append(b), all_classes.append(c)
    return nms(np.concatenate(all_scores), np.concatenate(all_boxes), np.concatenate(all_classes),
               iou_threshold, max_detections)
