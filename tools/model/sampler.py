"""The order in which a training run sees its data, as a pure function of (seed, batch number).

Epoch e (0-based) is a permutation of the data set with one flip (0..3, see dataset.dihedral) per
sample, both drawn from a generator seeded with (seed, e); an epoch has len // batch batches (the
remainder is dropped). Batch b of the run is batch b % per_epoch of epoch b // per_epoch, so a run
resumed at any step asks for exactly the batches the uninterrupted run would have.
"""
import torch


class ResumableBatches:
    """An endless batch sampler for torch's DataLoader, starting at batch `first_batch`."""

    def __init__(self, size, batch, seed, first_batch=0):
        if size < batch:
            raise ValueError(f"the pools hold {size} scenes, fewer than one batch of {batch}")
        self.size, self.batch, self.seed, self.first_batch = size, batch, seed, first_batch
        self.per_epoch = size // batch

    def epoch_plan(self, epoch):
        gen = torch.Generator()
        gen.manual_seed(self.seed * 1_000_003 + epoch)
        order = torch.randperm(self.size, generator=gen).tolist()
        flips = torch.randint(0, 4, (self.size,), generator=gen).tolist()
        return order, flips

    def __iter__(self):
        b = self.first_batch
        epoch, plan = None, None
        while True:
            if b // self.per_epoch != epoch:
                epoch = b // self.per_epoch
                plan = self.epoch_plan(epoch)
            order, flips = plan
            at = (b % self.per_epoch) * self.batch
            yield [(order[k], flips[k]) for k in range(at, at + self.batch)]
            b += 1
