"""Kernel dispatch controls: which instruction set and how many threads conv2d uses.

The ISA is picked at run time (cpuid + OS support), or forced with the environment
variable ``VARSTORE_FORCE_ISA=scalar|avx2|avx512`` or :func:`force_isa`; an unknown or
unsupported name is an error, never a silent fallback. Threads: ``VARSTORE_NUM_THREADS``
or :func:`set_num_threads`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from varstore._core import kernels as _kernels

__all__ = [
    "active_isa",
    "compiled_isas",
    "force_isa",
    "get_num_threads",
    "reset_isa",
    "set_num_threads",
    "supported_isas",
    "use_isa",
]


def active_isa() -> str:
    """The instruction set conv2d runs with now: "avx512", "avx2" or "scalar"."""
    return str(_kernels.active_isa())


def supported_isas() -> list[str]:
    """The compiled instruction sets this CPU and OS can run, best first."""
    return [str(s) for s in _kernels.supported_isas()]


def compiled_isas() -> list[str]:
    """Every instruction set compiled into this build, best first."""
    return [str(s) for s in _kernels.compiled_isas()]


def force_isa(name: str) -> None:
    """Runs conv2d with ``name`` from now on; ValueError if unknown or unsupported here."""
    _kernels.force_isa(name)


def reset_isa() -> None:
    """Back to the automatic choice (or ``VARSTORE_FORCE_ISA`` when set)."""
    _kernels.reset_isa()


@contextlib.contextmanager
def use_isa(name: str) -> Iterator[str]:
    """``with use_isa("scalar"):`` forces an instruction set inside the block."""
    before = active_isa()
    force_isa(name)
    try:
        yield name
    finally:
        force_isa(before)


def set_num_threads(n: int) -> None:
    """Sets the kernel thread count (>= 1)."""
    _kernels.set_num_threads(n)


def get_num_threads() -> int:
    return int(_kernels.get_num_threads())
