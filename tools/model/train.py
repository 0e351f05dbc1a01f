"""Train the shapes RetinaNet on rendered pools (see dataset.py), in resumable stages.

The schedule is a step count (`--steps`): linear warm-up, then (`--schedule wsd`, warm-up /
stable / decay) the peak learning rate until the last `--decay-fraction` of the steps and a
cosine decay to `--final-lr-ratio` of the peak over those, or (`--schedule cosine`) cosine decay
over all steps after the warm-up; AdamW, gradient-norm clipping. With `wsd` the length of a run
can still change while it is in its stable phase: `--resume <checkpoint> --steps N` is accepted
while the checkpoint's step is before N's decay begins, and the run stays exactly the one that
`--steps N` from the start gives (the learning rate so far did not depend on the length).
Everything a step depends on is
a function of the step number or is saved in the checkpoint, so a run can stop anywhere and
`--resume` continues it step for step as if it had never stopped:
  * the data order: epoch e is a permutation of the pools (with one flip per sample) drawn from a
    generator seeded with (seed, e); step s takes batch s-1 of that sequence, whatever happened
    before (sampler.py);
  * the model, optimizer (AdamW moments and step counts), the moving average of the weights
    (`--ema`), the running loss means, the best held-out score and the RNG states are in the
    checkpoint; the learning rate is recomputed from the step.
A checkpoint `resume.pt` is written atomically at least every `--checkpoint-minutes` of wall
clock and after every evaluation; `loss.csv` is appended to (rows after the checkpoint's step,
written by a stage that stopped later, are dropped first). Every `--eval-every` steps: mAP on the
held-out sets (torchvision's own post-processing), and `best.pt` (weights only) when the mean
mAP@0.5 over the held-out sets improved.

  python3 train.py --pool .work/pool-demo .work/pool --heldout .work/heldout-demo .work/heldout \\
      --out .work/run --steps 14000
  python3 train.py --resume .work/run/resume.pt          # the same run, from where it stopped
  python3 train.py --resume .work/run/resume.pt --steps 16000   # wsd, before its decay: longer

`--stop-after-steps N` / `--stop-after-minutes M` end a stage early without changing the schedule.
"""
import argparse
import csv
import math
import os
import random
import time

import numpy as np
import torch

from checkpoint import load_checkpoint, save_checkpoint, trim_loss_log
from dataset import PoolDataset, collate, read_manifests, restore_manifests
from net import DEFAULT_ARCH, arch_spec, build_model, parameter_count
from pyeval import evaluate_model, load_coco_set
from sampler import ResumableBatches
from shapes import CLASSES

LOG_FIELDS = ["step", "minutes", "lr", "classification", "bbox_regression", "map50", "map", "ema_map50", "ema_map"]
# Arguments that define the run; a resumed stage takes them from the checkpoint.
SCHEDULE_ARGS = ("pool", "pool_limit", "heldout", "eval_images", "steps", "schedule", "decay_fraction", "batch", "lr", "final_lr_ratio",
                 "weight_decay", "warmup", "seed", "ema", "arch", "eval_every", "init")


def decay_start(args):
    """The first step of the decay phase of a `wsd` schedule."""
    return max(args.warmup, args.steps - int(round(args.decay_fraction * args.steps)))


def lr_at(step, args):
    """Linear warm-up over `warmup` steps, then the schedule's decay to `final_lr_ratio` at `steps`."""
    if step < args.warmup:
        return args.lr * (0.1 + 0.9 * step / args.warmup)
    begin = decay_start(args) if args.schedule == "wsd" else args.warmup
    if step < begin:
        return args.lr
    t = min(1.0, (step - begin) / max(1, args.steps - begin))
    return args.lr * (args.final_lr_ratio + (1 - args.final_lr_ratio) * 0.5 * (1 + math.cos(math.pi * t)))


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


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--resume", default=None, help="continue the run of this checkpoint (resume.pt) exactly")
    p.add_argument("--pool", nargs="+", help="one or more rendered pools, mixed")
    p.add_argument("--heldout", nargs="+", help="held-out COCO sets evaluated during training")
    p.add_argument("--out", default=None, help="run folder (default: the resumed checkpoint's folder)")
    p.add_argument("--steps", type=int, help="length of the schedule (with --resume: a new length, wsd only, before its decay)")
    p.add_argument("--schedule", choices=["wsd", "cosine"], default="wsd")
    p.add_argument("--decay-fraction", type=float, default=0.25, help="wsd: the last fraction of the steps that decays")
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--final-lr-ratio", type=float, default=0.02)
    p.add_argument("--weight-decay", type=float, default=1e-4)
    p.add_argument("--warmup", type=int, default=150)
    p.add_argument("--arch", default=DEFAULT_ARCH, help="an architecture of net.ARCHITECTURES")
    p.add_argument("--eval-every", type=int, default=500, help="steps between held-out evaluations (0: never)")
    p.add_argument("--eval-images", type=int, default=50, help="images taken from each held-out set")
    p.add_argument("--pool-limit", type=int, default=None, help="use only the first N scenes of each pool")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--ema", type=float, default=None, help="also keep a moving average of the weights with this decay, e.g. 0.999")
    p.add_argument("--init", default=None, help="start from this checkpoint's weights (a fresh optimizer and schedule)")
    # How this stage runs; none of these changes what is computed.
    p.add_argument("--device", default="cpu", help="cpu or cuda")
    p.add_argument("--workers", type=int, default=1, help="data-loading processes")
    p.add_argument("--threads", type=int, default=1, help="1 is fastest when the cores are shared: OpenMP threads spin at barriers")
    p.add_argument("--checkpoint-minutes", type=float, default=8.0)
    p.add_argument("--stop-after-steps", type=int, default=None, help="end this stage after this many steps")
    p.add_argument("--stop-after-minutes", type=float, default=None, help="end this stage after this much wall clock")
    args = p.parse_args()
    if args.resume:
        return args
    for name in ("pool", "heldout", "out", "steps"):
        if getattr(args, name) is None:
            p.error(f"--{name} is required (unless --resume)")
    return args


def change_length(args, new_steps, step):
    """A new length for a resumed run: only where every step so far had the learning rate the
    new length gives it, i.e. a wsd run still before the decay of both lengths."""
    old_steps = args.steps
    if args.schedule != "wsd":
        raise SystemExit("--steps with --resume: only a wsd schedule can change its length")
    before = decay_start(args)
    args.steps = new_steps
    after = decay_start(args)
    if step >= min(before, after):
        args.steps = old_steps
        raise SystemExit(f"--steps {new_steps}: the run is at step {step}, past the start of the decay "
                         f"(step {min(before, after)}); its length can no longer change")
    print(f"length changed from {old_steps} to {new_steps} steps (decay from step {after})", flush=True)


def main():
    args = parse_args()
    device = torch.device(args.device)
    torch.set_num_threads(args.threads)
    resumed = load_checkpoint(args.resume) if args.resume else None
    if resumed:
        new_steps = args.steps
        # Checkpoints from before the schedule was chosen ran the cosine one.
        saved = {"schedule": "cosine", "decay_fraction": 0.25, **resumed["args"]}
        for name in SCHEDULE_ARGS:
            setattr(args, name, saved[name])
        if new_steps is not None and new_steps != args.steps:
            change_length(args, new_steps, resumed["step"])
        args.out = args.out or os.path.dirname(os.path.abspath(args.resume))
    seed_everything(args.seed)
    os.makedirs(args.out, exist_ok=True)
    # A fresh clone has no rendered pools: their manifests travel in the checkpoint, and the
    # scenes are rendered as the run first asks for them.
    if resumed and resumed.get("pool_manifests"):
        restore_manifests(resumed["pool_manifests"])
    pool_manifests = read_manifests(args.pool)

    model = build_model(arch_spec(args.arch))
    if args.init and not resumed:
        model.load_state_dict(torch.load(args.init, map_location="cpu")["model"])
        print(f"weights from {args.init}", flush=True)
    model.to(device).train()
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    average = WeightAverage(model, args.ema) if args.ema else None
    step, best, avg = 0, -1.0, None
    if resumed:
        model.load_state_dict(resumed["model"])
        opt.load_state_dict(resumed["optimizer"])
        if average:
            average.state = {k: v.to(device) for k, v in resumed["average"].items()}
            average.updates = resumed["average_updates"]
        step, best = resumed["step"], resumed["best"]
        avg = None if resumed["loss_means"] is None else np.array(resumed["loss_means"])
        random.setstate(resumed["rng"]["python"])
        np.random.set_state(resumed["rng"]["numpy"])
        torch.set_rng_state(resumed["rng"]["torch"])
        print(f"resumed {args.resume} at step {step} of {args.steps} (best mean mAP50 {best:.4f})", flush=True)
    print(f"architecture {args.arch}: {parameter_count(model)} parameters; device {device}", flush=True)
    heldout = [load_coco_set(d, args.eval_images) for d in args.heldout]
    print(f"held-out: {', '.join(f'{d} ({len(h)} images)' for d, h in zip(args.heldout, heldout))}", flush=True)

    log_path = os.path.join(args.out, "loss.csv")
    if resumed:
        trim_loss_log(log_path, step)
    new_log = not os.path.exists(log_path)
    log = open(log_path, "a", newline="")
    writer = csv.writer(log)
    if new_log:
        writer.writerow(LOG_FIELDS + [f"map50_{os.path.basename(os.path.normpath(d))}" for d in args.heldout])

    def checkpoint(reason):
        started = time.time()
        save_checkpoint(os.path.join(args.out, "resume.pt"), {
            "args": {name: getattr(args, name) for name in SCHEDULE_ARGS}, "pool_manifests": pool_manifests,
            "arch": arch_spec(args.arch), "step": step, "best": best,
            "model": model.state_dict(), "optimizer": opt.state_dict(),
            "average": average.state if average else None, "average_updates": average.updates if average else 0,
            "loss_means": None if avg is None else avg.tolist(),
            "rng": {"python": random.getstate(), "numpy": np.random.get_state(), "torch": torch.get_rng_state()},
        })
        print(f"checkpoint at step {step} ({reason}, {time.time() - started:.1f} s)", flush=True)

    dataset = PoolDataset(args.pool, limit=args.pool_limit)
    sampler = ResumableBatches(len(dataset), args.batch, args.seed, first_batch=step)
    loader = torch.utils.data.DataLoader(dataset, batch_sampler=sampler, num_workers=args.workers, collate_fn=collate,
                                         persistent_workers=args.workers > 0)
    print(f"pool: {len(dataset)} scenes, {sampler.per_epoch} batches an epoch; starting at epoch {step // sampler.per_epoch + 1}",
          flush=True)
    data = iter(loader)
    averaged_model = build_model(arch_spec(args.arch)).to(device) if average else None
    stage_start = last_checkpoint = time.time()
    stage_steps = 0
    while step < args.steps:
        step += 1
        stage_steps += 1
        lr = lr_at(step, args)
        for g in opt.param_groups:
            g["lr"] = lr
        images, targets = next(data)
        images = [im.to(device) for im in images]
        targets = [{k: v.to(device) for k, v in t.items()} for t in targets]
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
        minutes = (time.time() - stage_start) / 60
        evaluate = (args.eval_every and step % args.eval_every == 0) or step == args.steps
        scores = [evaluate_model(model, h, len(CLASSES)) for h in heldout] if evaluate else None
        ema_scores = None
        if scores and average:
            averaged_model.load_state_dict(average.state)
            ema_scores = [evaluate_model(averaged_model, h, len(CLASSES)) for h in heldout]
        mean = (lambda s, k: float(np.mean([x[k] for x in s])) if s else None)
        if step % 10 == 0 or evaluate:
            writer.writerow([step, round(minutes, 2), f"{lr:.2e}", round(avg[0], 4), round(avg[1], 4)]
                            + [round(mean(s, k), 4) if s else "" for s in (scores, ema_scores) for k in ("map50", "map")]
                            + ([round(x["map50"], 4) for x in scores] if scores else [""] * len(heldout)))
            log.flush()
            print(f"step {step} {minutes:.1f} min lr {lr:.2e} cls {avg[0]:.3f} reg {avg[1]:.3f}"
                  + (f" mAP50 {mean(scores, 'map50'):.3f} (" + " / ".join(f"{x['map50']:.3f}" for x in scores)
                     + f") mAP {mean(scores, 'map'):.3f}" if scores else "")
                  + (f" | averaged mAP50 {mean(ema_scores, 'map50'):.3f}" if ema_scores else ""), flush=True)
        if scores:
            use_average = ema_scores is not None and mean(ema_scores, "map50") > mean(scores, "map50")
            chosen = ema_scores if use_average else scores
            if mean(chosen, "map50") > best:
                best = mean(chosen, "map50")
                weights = average.state if use_average else model.state_dict()
                save_checkpoint(os.path.join(args.out, "best.pt"), {
                    "model": weights, "arch": arch_spec(args.arch), "weights": "averaged" if use_average else "raw",
                    "step": step, "scores": dict(zip(args.heldout, chosen))})
        stop = (args.stop_after_steps is not None and stage_steps >= args.stop_after_steps) or \
               (args.stop_after_minutes is not None and minutes >= args.stop_after_minutes)
        if scores or stop or step == args.steps or time.time() - last_checkpoint >= args.checkpoint_minutes * 60:
            checkpoint("evaluation" if scores else "end of stage" if stop or step == args.steps else "timer")
            last_checkpoint = time.time()
        if stop:
            break
    log.close()
    print(f"stage ended at step {step} of {args.steps} after {(time.time() - stage_start) / 60:.1f} min; "
          f"best mean mAP50 {best:.3f}", flush=True)


if __name__ == "__main__":
    main()
