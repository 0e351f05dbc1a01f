"""The shapes RetinaNet: a small ResNet-style backbone, FPN P3–P7 and torchvision's RetinaNet.

Everything except the backbone's stages is torchvision's own: FeaturePyramidNetwork with
LastLevelP6P7 (P6 from C5, as in the paper), AnchorGenerator, RetinaNetHead (two 4-conv towers
shared across levels, GroupNorm in the towers, classification bias from prior 0.01), sigmoid
focal loss (alpha 0.25, gamma 2) and the 0.5/0.4 matcher.
"""
from collections import OrderedDict
from functools import partial

import torch
from torch import nn
from torchvision.models.detection import RetinaNet
from torchvision.models.detection.anchor_utils import AnchorGenerator
from torchvision.models.detection.retinanet import RetinaNetHead
from torchvision.models.resnet import BasicBlock
from torchvision.ops.feature_pyramid_network import FeaturePyramidNetwork, LastLevelP6P7

from shapes import CLASSES

# Smallest anchors 16 px (the default starts at 32): the scenes have objects down to ~12 px.
ANCHOR_BASE = (16, 32, 64, 128, 256)
ANCHOR_SIZES = tuple((s, int(s * 2 ** (1 / 3)), int(s * 2 ** (2 / 3))) for s in ANCHOR_BASE)
ASPECT_RATIOS = ((0.5, 1.0, 2.0),) * len(ANCHOR_SIZES)

# The network's shape. A checkpoint records the architecture it was trained with (`arch`), so
# export and resume rebuild the same network whatever these defaults become.
ARCHITECTURES = {
    # The models up to the 86-minute run (924,849 parameters).
    "small": {"widths": (32, 48, 96, 160), "blocks": (1, 1, 1), "fpn": 48},
    # The long resumable run: a 64-channel FPN and heads, two residual blocks in C4 and C5
    # (2,091,361 parameters, about 8.4 MB of ONNX; 1.3x the step time of "small" on one thread).
    "medium": {"widths": (32, 64, 128, 160), "blocks": (1, 2, 2), "fpn": 64},
}
DEFAULT_ARCH = "small"
GN_GROUPS = 8
MIN_SIZE, MAX_SIZE = 320, 512


def arch_spec(arch):
    """An architecture by name, or an explicit dict {widths, blocks, fpn} (from a checkpoint)."""
    spec = ARCHITECTURES[arch] if isinstance(arch, str) else arch
    return {"widths": tuple(spec["widths"]), "blocks": tuple(spec["blocks"]), "fpn": int(spec["fpn"])}


def make_stage(in_ch, out_ch, blocks, stride):
    down = None
    if stride != 1 or in_ch != out_ch:
        down = nn.Sequential(nn.Conv2d(in_ch, out_ch, 1, stride, bias=False), nn.BatchNorm2d(out_ch))
    layers = [BasicBlock(in_ch, out_ch, stride, down)]
    layers += [BasicBlock(out_ch, out_ch) for _ in range(blocks - 1)]
    return nn.Sequential(*layers)


class ShapesBackbone(nn.Module):
    """A strided stem (stride 4), residual stages C3..C5 (strides 8..32), then an FPN giving P3..P7."""

    def __init__(self, widths, blocks, fpn_width):
        super().__init__()
        w = widths
        self.stem = nn.Sequential(
            nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU(inplace=True),
            nn.Conv2d(16, w[0], 3, 2, 1, bias=False), nn.BatchNorm2d(w[0]), nn.ReLU(inplace=True),
        )
        self.c3 = make_stage(w[0], w[1], blocks[0], 2)
        self.c4 = make_stage(w[1], w[2], blocks[1], 2)
        self.c5 = make_stage(w[2], w[3], blocks[2], 2)
        self.fpn = FeaturePyramidNetwork(list(w[1:]), fpn_width, extra_blocks=LastLevelP6P7(w[3], fpn_width))
        self.out_channels = fpn_width

    def forward(self, x):
        c3 = self.c3(self.stem(x))
        c4 = self.c4(c3)
        c5 = self.c5(c4)
        return self.fpn(OrderedDict([("p3", c3), ("p4", c4), ("p5", c5)]))


def build_model(arch=DEFAULT_ARCH):
    spec = arch_spec(arch)
    backbone = ShapesBackbone(spec["widths"], spec["blocks"], spec["fpn"])
    anchors = AnchorGenerator(ANCHOR_SIZES, ASPECT_RATIOS)
    head = RetinaNetHead(spec["fpn"], anchors.num_anchors_per_location()[0], len(CLASSES),
                         norm_layer=partial(nn.GroupNorm, GN_GROUPS))
    return RetinaNet(backbone, num_classes=len(CLASSES), min_size=MIN_SIZE, max_size=MAX_SIZE,
                     anchor_generator=anchors, head=head)


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())


if __name__ == "__main__":
    torch.manual_seed(0)
    for name in ARCHITECTURES:
        print(name, "parameters:", parameter_count(build_model(name)))
    print("anchor sizes:", ANCHOR_SIZES)
