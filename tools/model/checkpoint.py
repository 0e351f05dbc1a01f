"""Checkpoint files of training runs: written atomically, so a stage killed while saving leaves the
previous checkpoint intact; and the loss log trimmed back to a checkpoint's step on resume."""
import csv
import os

import torch


def save_checkpoint(path, state):
    tmp = f"{path}.{os.getpid()}.tmp"
    torch.save(state, tmp)
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)


def load_checkpoint(path):
    return torch.load(path, map_location="cpu")


def trim_loss_log(path, step):
    """Drop the rows after `step` (logged by a stage that ran past its last checkpoint), so that the
    resumed stage's rows follow on without repeats."""
    if not os.path.exists(path):
        return
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    kept = rows[:1] + [r for r in rows[1:] if r and int(r[0]) <= step]
    if len(kept) == len(rows):
        return
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w", newline="") as f:
        csv.writer(f).writerows(kept)
    os.replace(tmp, path)
