"""Train the shapes RetinaNet on a rendered pool (see dataset.py).

AdamW with linear warm-up then cosine decay, gradient-norm clipping, seeded. Every
`--eval-every` steps: mAP on a held-out COCO set (torchvision's own post-processing), a
checkpoint `last.pt`, and `best.pt` when mAP@0.5 improved. With `--ema`, an exponential moving
average of the weights is kept beside them and evaluated too; a checkpoint stores whichever of the
two scored better (`weights` says which). The loss curve goes to `loss.csv`.
The run's length is either a step count (`--steps`, exactly reproducible) or a wall-clock budget
(`--minutes`: the cosine schedule follows elapsed time, so a run on a machine shared with other
work still finishes its schedule on time; the number of steps it managed is logged, and
re-running with `--steps <that number>` reproduces the same schedule shape step by step).

  python3 train.py --pool .work/pool --heldout .work/heldout --out .work/run --minutes 65
"""
import argparse
import csv
import math
import os
import random
import time

import numpy as np
import torch

from dataset import PoolDataset, collate
from net import build_model, parameter_count
from pyeval import evaluate_model, load_coco_set
from shapes import CLASSES


def lr_at(step, progress, args):
    """Linear warm-up over `warmup` steps, then cosine decay over `progress` (0..1) of the run."""
    if step < args.warmup:
        return args.lr * (0.1 + 0.9 * step / args.warmup)
    t = progress
    return args.lr * (args.final_lr_ratio + (1 - args.final_lr_ratio) * 0.5 * (1 + math.cos(math.pi * min(1.0, t))))


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


class WeightAverage:
    """Exponential moving average of every float tensor of the model's state (weights and
    BatchNorm statistics). The decay ramps up from 0 so that early averages are not dominated by
    the random initial weights."""

    def __init__(self, model, decay):
        self.decay = decay
        self.updates = 0
        self.state = {k: v.detach().clone() for k, v in model.state_dict().items()}

    @torch.no_grad()
    def update(self, model):
        self.updates += 1
        d = min(self.decay, (1 + self.updates) / (10 + self.updates))
        for k, v in model.state_dict().items():
            if v.dtype.is_floating_point:
                self.state[k].mul_(d).add_(v.detach(), alpha=1 - d)
            else:
                self.state[k].copy_(v)


def batches(args):
    """Endless shuffled batches with a seeded order. The pool is listed again at each epoch, so
    scenes that a still-running renderer adds are used from the next epoch on."""
    gen = torch.Generator()
    gen.manual_seed(args.seed)
    epoch = 0
    while True:
        dataset = PoolDataset(args.pool, limit=args.pool_limit)
        epoch += 1
        print(f"epoch {epoch}: {len(dataset)} scenes", flush=True)
        yield from torch.utils.data.DataLoader(dataset, batch_size=args.batch, shuffle=True, drop_last=True,
                                               num_workers=args.workers, collate_fn=collate, generator=gen)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--pool", required=True, nargs="+", help="one or more rendered pools, mixed")
    p.add_argument("--heldout", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--steps", type=int, default=None)
    p.add_argument("--minutes", type=float, default=None)
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--final-lr-ratio", type=float, default=0.02)
    p.add_argument("--weight-decay", type=float, default=1e-4)
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--eval-minutes", type=float, default=12)
    p.add_argument("--eval-images", type=int, default=50)
    p.add_argument("--pool-limit", type=int, default=None, help="use only the first N scenes of each pool")
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--threads", type=int, default=1, help="1 is fastest when the cores are shared: OpenMP threads spin at barriers")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--ema", type=float, default=None, help="also keep a moving average of the weights with this decay, e.g. 0.999")
    p.add_argument("--init", default=None, help="start from this checkpoint's weights (a fresh optimizer and schedule)")
    args = p.parse_args()
    if (args.steps is None) == (args.minutes is None):
        p.error("give exactly one of --steps or --minutes")

    torch.set_num_threads(args.threads)
    seed_everything(args.seed)
    os.makedirs(args.out, exist_ok=True)
    model = build_model()
    if args.init:
        model.load_state_dict(torch.load(args.init, map_location="cpu")["model"])
        print(f"weights from {args.init}", flush=True)
    model.train()
    print(f"parameters: {parameter_count(model)}", flush=True)
    heldout = load_coco_set(args.heldout, args.eval_images)
    print(f"held-out: {len(heldout)} images", flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    average = WeightAverage(model, args.ema) if args.ema else None
    averaged_model = build_model() if average else None

    log = open(os.path.join(args.out, "loss.csv"), "w", newline="")
    writer = csv.writer(log)
    writer.writerow(["step", "minutes", "lr", "classification", "bbox_regression", "map50", "map", "ema_map50", "ema_map"])
    start, best, avg, last_eval = time.time(), -1.0, None, 0.0
    data = batches(args)
    step = 0
    while True:
        step += 1
        minutes = (time.time() - start) / 60
        progress = step / args.steps if args.steps else minutes / args.minutes
        lr = lr_at(step, min(1.0, progress), args)
        for g in opt.param_groups:
            g["lr"] = lr
        images, targets = next(data)
        losses = model(images, targets)
        loss = losses["classification"] + losses["bbox_regression"]
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 10.0)
        opt.step()
        if average:
            average.update(model)
        cur = np.array([losses["classification"].item(), losses["bbox_regression"].item()])
        avg = cur if avg is None else 0.95 * avg + 0.05 * cur
        minutes = (time.time() - start) / 60
        finished = progress >= 1.0
        evaluate = minutes - last_eval >= args.eval_minutes or finished
        if evaluate:
            last_eval = minutes
        scores = evaluate_model(model, heldout, len(CLASSES)) if evaluate else None
        ema_scores = None
        if scores and average:
            averaged_model.load_state_dict(average.state)
            ema_scores = evaluate_model(averaged_model, heldout, len(CLASSES))
        if step % 10 == 0 or evaluate:
            writer.writerow([step, round(minutes, 2), f"{lr:.2e}", round(avg[0], 4), round(avg[1], 4)]
                            + [round(s[k], 4) if s else "" for s in (scores, ema_scores) for k in ("map50", "map")])
            log.flush()
            print(f"step {step} {minutes:.1f} min lr {lr:.2e} cls {avg[0]:.3f} reg {avg[1]:.3f}"
                  + (f" mAP50 {scores['map50']:.3f} mAP {scores['map']:.3f}" if scores else "")
                  + (f" | averaged mAP50 {ema_scores['map50']:.3f} mAP {ema_scores['map']:.3f}" if ema_scores else ""),
                  flush=True)
        if scores:
            use_average = ema_scores is not None and ema_scores["map50"] > scores["map50"]
            chosen = ema_scores if use_average else scores
            state = {"model": average.state if use_average else model.state_dict(), "weights": "averaged" if use_average else "raw",
                     "step": step, "scores": chosen, "args": vars(args)}
            torch.save(state, os.path.join(args.out, "last.pt"))
            if chosen["map50"] > best:
                best = chosen["map50"]
                torch.save(state, os.path.join(args.out, "best.pt"))
        if finished:
            break
    print(f"done after {step} steps, {(time.time() - start) / 60:.1f} min; best mAP50 {best:.3f}", flush=True)


if __name__ == "__main__":
    main()
