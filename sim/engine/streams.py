"""Random streams keyed by purpose, so that strategies share their buyers' draws.

Every stream is a child of one ``SeedSequence(seed)``: replication ``r``, purpose ``p`` and
chunk ``c`` get ``SeedSequence(seed, spawn_key=(r, p, c, ...))``, which is exactly the child
``SeedSequence(seed).spawn(...)[r].spawn(...)[p].spawn(...)[c]`` would give. Keying by purpose and
chunk (rather than drawing from one long stream) gives random access: the draws of order 5 000 do
not depend on what the strategy did with orders 0..4 999, which is what common random numbers need.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

__all__ = ["Purpose", "generator", "uniforms"]


class Purpose(IntEnum):
    """What a stream decides; a new purpose never shifts the draws of another."""

    ARRIVALS = 0
    BUYERS = 1
    REMINDERS = 2
    FULFILMENT = 3
    ORDER_KINDS = 4


def generator(seed: int, replication: int, purpose: Purpose, *key: int) -> np.random.Generator:
    """The generator for one (replication, purpose, chunk, ...) cell of the seed tree."""
    seq = np.random.SeedSequence(seed, spawn_key=(replication, int(purpose), *key))
    return np.random.Generator(np.random.PCG64(seq))


def uniforms(
    seed: int, replication: int, purpose: Purpose, key: tuple[int, ...], rows: int, n: int
) -> np.ndarray:
    """A (rows, n) block of U[0,1) draws; row r is the same whatever ``rows`` is (row-major)."""
    return generator(seed, replication, purpose, *key).random((rows, n))
