// Persistent thread pool for the kernels (private header).
//
// * Threads are created once (lazily) and reused; never one thread per call.
// * Work is handed out dynamically: every thread, the caller included, claims the next task
//   index from one atomic counter, so a descheduled vCPU only delays the tasks it holds.
// * Waiting (idle workers for work, the caller for the last task) spins for ~1 ms calling
//   sched_yield() between checks, then blocks on a condition variable.
// * A call made while the pool is busy (another Python thread, or a nested call) runs on the
//   calling thread alone instead of waiting or deadlocking.
#pragma once

#include <cstdint>

namespace varstore::kernels::detail {

using TaskFn = void (*)(void* ctx, std::int64_t task_begin, std::int64_t task_end);

// Runs fn(ctx, t, t + 1) for every t in [0, ntasks) on up to get_num_threads() threads
// (the calling thread takes part) and returns when all tasks are done.
void parallel_for(std::int64_t ntasks, TaskFn fn, void* ctx);

int pool_num_threads();
void pool_set_num_threads(int n);

}  // namespace varstore::kernels::detail
