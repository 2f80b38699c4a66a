"""How TF's CPU kernels split work across the intra-op threads (core/util/work_sharder.cc,
``Shard`` -> ``ThreadPool::ParallelFor`` -> Eigen's ``ThreadPoolDevice::parallelFor``).

Some random kernels restart their Philox stream at every shard (Multinomial,
StatelessParameterizedTruncatedNormal), so what they draw depends on where the shards begin;
this reproduces Eigen's choice from the total, the kernel's cost per unit and the thread count
(varstore's kernel threads, which a session's ``intra_op_parallelism_threads`` sets, as TF's
CPU device's). TF fixes its pool once per process, from the first session; varstore follows
the current setting.
"""

from __future__ import annotations

__all__ = ["shards", "tf_threads"]

# Eigen's TensorCostModel constants (device cycles)
_STARTUP_CYCLES = 100000
_PER_THREAD_CYCLES = 100000
_TASK_SIZE = 40000
_MAX_OVERSHARDING = 4


def tf_threads() -> int:
    """The intra-op thread count TF's CPU device would have: varstore's kernel threads."""
    from varstore import kernels

    return max(1, kernels.get_num_threads())


def _divup(a: int, b: int) -> int:
    return -(-a // b)


def shards(total: int, cost_per_unit: float, threads: int | None = None
           ) -> list[tuple[int, int]]:
    """The [start, limit) ranges ``Shard(threads, pool, total, cost_per_unit, work)`` calls
    ``work`` with, in order."""
    if total <= 0:
        return []
    n_threads = tf_threads() if threads is None else threads
    if n_threads <= 1 or total == 1:
        return [(0, total)]
    cost = total * float(cost_per_unit)
    parallel = int(min((cost - _STARTUP_CYCLES) / _PER_THREAD_CYCLES + 0.9, 2 ** 31 - 1))
    if min(n_threads, max(1, parallel)) == 1:
        return [(0, total)]
    # CalculateParallelForBlock: a block of at least one task's worth of cycles, then
    # coarser blocks while that keeps the threads as evenly busy
    block_size_f = _TASK_SIZE / float(cost_per_unit)
    block_size = min(total, max(_divup(total, _MAX_OVERSHARDING * n_threads),
                                int(block_size_f)))
    max_block_size = min(total, 2 * block_size)
    block_count = _divup(total, block_size)
    max_efficiency = block_count / (_divup(block_count, n_threads) * n_threads)
    prev = block_count
    while max_efficiency < 1.0 and prev > 1:
        coarser = _divup(total, prev - 1)
        if coarser > max_block_size:
            break
        coarser_count = _divup(total, coarser)
        prev = coarser_count
        efficiency = coarser_count / (_divup(coarser_count, n_threads) * n_threads)
        if efficiency + 0.01 >= max_efficiency:
            block_size, block_count = coarser, coarser_count
            max_efficiency = max(max_efficiency, efficiency)
    return [(i * block_size, min(total, (i + 1) * block_size)) for i in range(block_count)]
