"""TF's CTC prefix beam search (tensorflow/core/util/ctc/ctc_beam_search.h) with the
default scorer: a trie of beam entries (each a label prefix) holding P(prefix ending in a
blank), P(ending in its label) and their sum, at the previous and the current step; the
beam keeps the ``beam_width`` best prefixes by total probability."""

from __future__ import annotations

import math

import numpy as np

_LOG_ZERO = -math.inf


def _log_sum_exp(a: float, b: float) -> float:
    # TF's LogSumExp: log zero is an identity, never a NaN
    if a == _LOG_ZERO:
        return b
    if b == _LOG_ZERO:
        return a
    return a + math.log1p(math.exp(b - a)) if a > b else b + math.log1p(math.exp(a - b))


class _Prob:
    __slots__ = ("blank", "label", "total")

    def __init__(self) -> None:
        self.blank = self.label = self.total = _LOG_ZERO

    def copy_from(self, other: _Prob) -> None:
        self.blank, self.label, self.total = other.blank, other.label, other.total

    def reset(self) -> None:
        self.blank = self.label = self.total = _LOG_ZERO


class _Entry:
    __slots__ = ("children", "label", "newp", "oldp", "parent")

    def __init__(self, parent: _Entry | None, label: int) -> None:
        self.parent, self.label = parent, label
        self.children: dict[int, _Entry] = {}
        self.oldp, self.newp = _Prob(), _Prob()

    def active(self) -> bool:
        return self.newp.total != _LOG_ZERO

    def child(self, label: int) -> _Entry:
        c = self.children.get(label)
        if c is None:
            c = self.children[label] = _Entry(self, label)
        return c

    def label_seq(self, merge_repeated: bool) -> list[int]:
        out: list[int] = []
        prev = -1
        e: _Entry | None = self
        while e is not None and e.parent is not None:
            if not merge_repeated or e.label != prev:
                out.append(e.label)
            prev = e.label
            e = e.parent
        return out[::-1]


def _sorted(leaves: list[_Entry]) -> list[_Entry]:
    return sorted(leaves, key=lambda e: -e.newp.total)


def _candidate(total: float, leaves: list[_Entry], beam_width: int) -> bool:
    """TF's is_candidate: a nonzero probability, and room in the beam or better than its
    worst entry."""
    return total > _LOG_ZERO and (
        len(leaves) < beam_width or total > min(e.newp.total for e in leaves))


def beam_search_decode(x: np.ndarray, beam_width: int, top_paths: int, merge_repeated: bool
                       ) -> tuple[list[list[int]] | str, list[float]]:
    """One batch item: x [T, C] logits (the blank is C - 1). The ``top_paths`` best label
    sequences and their log probabilities, or TF's error message."""
    num_classes = x.shape[1]
    blank = num_classes - 1
    root = _Entry(None, -1)
    root.newp.total = root.newp.blank = 0.0
    leaves = [root]
    for step in x.astype(np.float64):
        inp = step - step.max()
        norm = math.log(float(np.exp(inp).sum()))
        logp = (inp - norm).tolist()
        branches = _sorted(leaves)
        leaves = []
        for b in branches:
            b.oldp.copy_from(b.newp)
        for b in branches:
            if b.parent is not None:
                if b.parent.active():
                    prev = b.parent.oldp.blank if b.label == b.parent.label else \
                        b.parent.oldp.total
                    b.newp.label = _log_sum_exp(b.newp.label, prev)
                b.newp.label += logp[b.label]
            b.newp.blank = b.oldp.total + logp[blank]
            b.newp.total = _log_sum_exp(b.newp.blank, b.newp.label)
            leaves.append(b)

        for b in branches:
            if not _candidate(b.oldp.total, leaves, beam_width):
                continue
            for label in range(num_classes - 1):
                c = b.child(label)
                if c.active():
                    continue
                c.newp.blank = _LOG_ZERO
                prev = b.oldp.blank if c.label == b.label else b.oldp.total
                c.newp.label = logp[label] + prev
                c.newp.total = c.newp.label
                if _candidate(c.newp.total, leaves, beam_width):
                    if len(leaves) == beam_width:
                        worst = min(range(len(leaves)), key=lambda i: leaves[i].newp.total)
                        leaves.pop(worst).newp.reset()
                    leaves.append(c)
                else:
                    c.oldp.reset()
                    c.newp.reset()
    if top_paths > beam_width:
        return "requested more paths than the beam width.", []
    if top_paths > len(leaves):
        return "Less leaves in the beam search than requested.", []
    best = _sorted(leaves)[:top_paths]
    return [e.label_seq(merge_repeated) for e in best], [e.newp.total for e in best]
