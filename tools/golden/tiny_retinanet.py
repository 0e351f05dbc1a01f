"""A small RetinaNet built from torchvision's own classes, with seeded random weights.

Tiny ResNet-style body (strides 8/16/32 for C3-C5) -> torchvision FeaturePyramidNetwork with
LastLevelP6P7 -> torchvision RetinaNetHead, default AnchorGenerator sizes, K = 5 classes.
Weights are rescaled so scores vary widely between anchors, and the classification biases are
set so that thousands of anchors score above 0.05: top-k, NMS and the detection cap all matter.
"""
import math

import torch
from torch import nn
from torchvision.models.detection import RetinaNet
from torchvision.models.detection.backbone_utils import BackboneWithFPN
from torchvision.ops.feature_pyramid_network import LastLevelP6P7

NUM_CLASSES = 5
CLASS_NAMES = ["circle", "square", "triangle", "star", "cross"]
FPN_CHANNELS = 16
# One bias per class: a spread of "how many anchors pass 0.05" per class.
CLASS_BIASES = [-3.2, -3.6, -4.0, -3.4, -4.4]


class BasicBlock(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, stride: int):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.shortcut = nn.Sequential(
            nn.Conv2d(in_channels, out_channels, 1, stride, bias=False), nn.BatchNorm2d(out_channels))

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return torch.relu(y + self.shortcut(x))


class TinyResNetBody(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, 2, 1, bias=False), nn.BatchNorm2d(8), nn.ReLU())
        self.layer1 = BasicBlock(8, 8, 2)     # stride 4
        self.layer2 = BasicBlock(8, 16, 2)    # stride 8  (C3)
        self.layer3 = BasicBlock(16, 24, 2)   # stride 16 (C4)
        self.layer4 = BasicBlock(24, 32, 2)   # stride 32 (C5)

    def forward(self, x):
        return self.layer4(self.layer3(self.layer2(self.layer1(self.stem(x)))))


def _randomize_batch_norms(module: nn.Module, generator: torch.Generator) -> None:
    for layer in module.modules():
        if isinstance(layer, nn.BatchNorm2d):
            n = layer.num_features
            layer.weight.data = 0.5 + torch.rand(n, generator=generator)
            layer.bias.data = 0.2 * torch.randn(n, generator=generator)
            layer.running_mean.data = 0.1 * torch.randn(n, generator=generator)
            layer.running_var.data = 0.5 + torch.rand(n, generator=generator)


def _he_init_towers(model: RetinaNet, generator: torch.Generator) -> None:
    """torchvision initialises the head with std 0.01, which makes every anchor score nearly the
    same; He-style init keeps the activations (and thus the scores) spread out."""
    towers = [model.head.classification_head.conv, model.head.regression_head.conv]
    for tower in towers:
        for layer in tower.modules():
            if isinstance(layer, nn.Conv2d):
                fan_in = layer.in_channels * layer.kernel_size[0] * layer.kernel_size[1]
                layer.weight.data = torch.randn(layer.weight.shape, generator=generator) * math.sqrt(2.0 / fan_in)
                layer.bias.data = 0.05 * torch.randn(layer.bias.shape, generator=generator)


def build_tiny_retinanet(min_size: int = 256, max_size: int = 320, seed: int = 0) -> RetinaNet:
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    backbone = BackboneWithFPN(
        TinyResNetBody(),
        return_layers={"layer2": "0", "layer3": "1", "layer4": "2"},
        in_channels_list=[16, 24, 32],
        out_channels=FPN_CHANNELS,
        extra_blocks=LastLevelP6P7(FPN_CHANNELS, FPN_CHANNELS),
    )
    model = RetinaNet(backbone, num_classes=NUM_CLASSES, min_size=min_size, max_size=max_size)
    _randomize_batch_norms(model, generator)
    _he_init_towers(model, generator)
    return model.eval()


@torch.no_grad()
def calibrate_heads(model: RetinaNet, sample: torch.Tensor) -> None:
    """Scale the final convs so logits have std ~1.2 and box deltas std ~0.5, then bias them.

    One box-delta channel (dw of anchor 0) is pushed past log(1000/16) for many anchors so the
    box coder's clamp is exercised too."""
    features = list(model.backbone(sample).values())
    cls_head, reg_head = model.head.classification_head, model.head.regression_head
    cls_tower = [cls_head.conv(f) for f in features]
    reg_tower = [reg_head.conv(f) for f in features]
    cls_head.cls_logits.bias.data.zero_()
    reg_head.bbox_reg.bias.data.zero_()
    logits = torch.cat([cls_head.cls_logits(t).flatten() for t in cls_tower])
    deltas = torch.cat([reg_head.bbox_reg(t).flatten() for t in reg_tower])
    cls_head.cls_logits.weight.data *= 1.2 / float(logits.std())
    reg_head.bbox_reg.weight.data *= 0.5 / float(deltas.std())
    num_anchors = cls_head.num_anchors
    cls_head.cls_logits.bias.data = torch.tensor(CLASS_BIASES * num_anchors, dtype=torch.float32)
    box_bias = torch.zeros(num_anchors * 4)
    box_bias[2] = 4.0
    reg_head.bbox_reg.bias.data = box_bias
