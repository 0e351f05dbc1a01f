"""Check that a resumed run is the same run. N steps straight, against a run started with a
longer schedule (wsd), stopped after a few steps, resumed with `--steps N` (its length changed
while still before the decay), stopped again and resumed to the end: both must end with
bit-identical weights, optimizer state, moving average and loss log. Also checks that a length
change after the decay has begun is refused.

  python3 check_resume.py --pool .work/pool-demo --heldout .work/heldout-demo [--steps 8]

Runs train.py several times on a tiny schedule (a few scenes, evaluation included) in a
temporary folder; exits non-zero on any difference.
"""
import argparse
import csv
import os
import subprocess
import sys
import tempfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def train(*extra):
    cmd = [sys.executable, os.path.join(HERE, "train.py"), *extra]
    subprocess.run(cmd, check=True, cwd=HERE)


def loss_rows(run):
    with open(os.path.join(run, "loss.csv"), newline="") as f:
        return [r[:1] + r[2:] for r in csv.reader(f)]  # without the wall-clock column


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--pool", nargs="+", required=True)
    p.add_argument("--heldout", nargs="+", required=True)
    p.add_argument("--steps", type=int, default=8)
    p.add_argument("--arch", default="small")
    a = p.parse_args()
    pools = [os.path.abspath(x) for x in a.pool]
    heldout = [os.path.abspath(x) for x in a.heldout]
    with tempfile.TemporaryDirectory() as tmp:
        # Two scenes a batch over 6 scenes: three batches an epoch, so the run crosses epochs, and
        # the stop falls inside an epoch; an evaluation and the moving average are included.
        common = ["--pool", *pools, "--pool-limit", "3", "--heldout", *heldout, "--eval-images", "2",
                  "--batch", "2", "--warmup", "2", "--eval-every", "2", "--ema", "0.9",
                  "--arch", a.arch, "--workers", "1", "--schedule", "wsd", "--decay-fraction", "0.25"]
        straight, staged = os.path.join(tmp, "straight"), os.path.join(tmp, "staged")
        resume = os.path.join(staged, "resume.pt")
        first, second = a.steps // 2 - 1, 2
        train(*common, "--steps", str(a.steps), "--out", straight)
        # Started as a longer run; its length changes at the first resume, before either decay.
        train(*common, "--steps", str(2 * a.steps), "--out", staged, "--stop-after-steps", str(first))
        train("--resume", resume, "--steps", str(a.steps), "--stop-after-steps", str(second))
        # As if the stage had logged past its checkpoint before it was killed: the rows are dropped.
        with open(os.path.join(staged, "loss.csv"), "a", newline="") as f:
            csv.writer(f).writerow([first + second + 4, 0, "x", 0, 0, "", "", "", ""])
        refused = subprocess.run([sys.executable, os.path.join(HERE, "train.py"), "--resume", resume, "--steps", str(first + second)],
                                 cwd=HERE, capture_output=True, text=True)
        if refused.returncode == 0 or "can no longer change" not in refused.stderr:
            print(f"a length change after the decay began was not refused: {refused.stderr[-300:]}")
            sys.exit(1)
        train("--resume", resume)
        one, two = (torch.load(os.path.join(r, "resume.pt")) for r in (straight, staged))
        problems = []
        if one["step"] != two["step"] or one["step"] != a.steps:
            problems.append(f"steps {one['step']} / {two['step']}")
        for part in ("model", "average"):
            for k in one[part]:
                if not torch.equal(one[part][k], two[part][k]):
                    problems.append(f"{part} {k} differs")
        for k, s in one["optimizer"]["state"].items():
            for name, v in s.items():
                if not torch.equal(torch.as_tensor(v), torch.as_tensor(two["optimizer"]["state"][k][name])):
                    problems.append(f"optimizer state {k}.{name} differs")
        if one["loss_means"] != two["loss_means"] or one["best"] != two["best"]:
            problems.append("loss means or best score differ")
        if loss_rows(straight) != loss_rows(staged):
            problems.append("loss.csv differs")
        if problems:
            print("RESUME IS NOT EXACT:\n  " + "\n  ".join(problems[:20]))
            sys.exit(1)
        print(f"ok: {a.steps} steps straight, and {first} steps of a {2 * a.steps}-step run + resume with --steps {a.steps} "
              f"for {second} + resume to the end, give identical weights, optimizer, moving average and loss log "
              f"({len(one['model'])} tensors); a length change inside the decay is refused")


if __name__ == "__main__":
    main()
