"""The output layouts met in the wild, each as a thin module around one torchvision RetinaNet."""
import torch
from torch import nn
from torchvision.models.detection import RetinaNet


def per_level_maps(model: RetinaNet, images: torch.Tensor):
    """Class maps [N, A*K, H, W] and box maps [N, A*4, H, W], P3..P7, before any reshaping."""
    features = list(model.backbone(images).values())
    cls_head, reg_head = model.head.classification_head, model.head.regression_head
    class_maps = [cls_head.cls_logits(cls_head.conv(f)) for f in features]
    box_maps = [reg_head.bbox_reg(reg_head.conv(f)) for f in features]
    return class_maps, box_maps


class PerLevelLogits(nn.Module):
    """Raw per-level maps (logits), outputs named cls_p3..cls_p7, box_p3..box_p7."""

    def __init__(self, model: RetinaNet):
        super().__init__()
        self.model = model
        self.eval()  # torch.onnx.export restores the wrapper's mode afterwards; keep it eval

    def forward(self, images):
        class_maps, box_maps = per_level_maps(self.model, images)
        return tuple(class_maps) + tuple(box_maps)


class OdtkStyleSigmoidMaps(nn.Module):
    """Like the ONNX Model Zoo's retinanet-9 (NVIDIA ODTK export): per-level maps with the
    sigmoid already applied, outputs output1..output10, class maps first."""

    def __init__(self, model: RetinaNet):
        super().__init__()
        self.model = model
        self.eval()  # torch.onnx.export restores the wrapper's mode afterwards; keep it eval

    def forward(self, images):
        class_maps, box_maps = per_level_maps(self.model, images)
        return tuple(torch.sigmoid(m) for m in class_maps) + tuple(box_maps)


class MmdeployStyleDetections(nn.Module):
    """mmdeploy's end-to-end shape: `dets [1, M, 5]` (x1, y1, x2, y2, score) and `labels [1, M]`,
    taking an already-normalized, padded tensor and answering in that tensor's frame. The
    wrapped model must have an identity transform (mean 0, std 1, sizes that give scale 1)."""

    def __init__(self, model: RetinaNet):
        super().__init__()
        self.model = model
        self.eval()  # torch.onnx.export restores the wrapper's mode afterwards; keep it eval

    def forward(self, images):
        result = self.model([images[0]])[0]
        dets = torch.cat([result["boxes"], result["scores"].unsqueeze(1)], dim=1)
        return dets.unsqueeze(0), result["labels"].unsqueeze(0)
