// Persistent thread pool for the kernels (private header).
//
// * Threads are created once (lazily) and reused; never one thread per call.
// * Work is handed out dynamically: every thread, the caller included, claims the next task
//   index from one atomic counter, so a descheduled vCPU only delays the tasks it holds.
// * Waiting (idle workers for work, the caller for the last task) spins for up to ~1 ms, then
//   blocks on a condition variable. The spin uses `pause` and calls sched_yield() only when the
//   partner thread sits on the same CPU (so that it runs); a thread that notices it was
//   descheduled (its CPU is shared with another process) blocks at once, because on a busy CPU
//   sched_yield() hands whole time slices to the other process and a futex wake-up gets
//   wake-up preemption. (Measured on the 2-vCPU KVM box with a neighbour compiling on one CPU:
//   2-thread speed-up 1.0-1.1x with the sched_yield() spin, 1.4-1.9x with this policy.)
// * A helper that finds itself on the caller's CPU moves itself to the other CPUs
//   (pthread_setaffinity_np), which the scheduler was seen not to do for a whole benchmark.
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
