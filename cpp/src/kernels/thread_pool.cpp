// Persistent spin-then-block thread pool with dynamic task claiming (see thread_pool.hpp).
#include "thread_pool.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#if defined(_MSC_VER) && (defined(_M_X64) || defined(_M_IX86))
#include <intrin.h>
#endif
#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#endif

namespace varstore::kernels::detail {
namespace {

constexpr auto kSpinTime = std::chrono::microseconds(1000);
// A gap this long between two checks of a spin loop means the thread was descheduled: its CPU
// is shared with another process, and blocking (a futex wake-up gets wake-up preemption) then
// reacts faster than waiting for the next time slice.
constexpr auto kPreempted = std::chrono::microseconds(150);

void yield_cpu() {
#if defined(__linux__)
  sched_yield();
#else
  std::this_thread::yield();
#endif
}

void cpu_relax() {
#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
  __builtin_ia32_pause();
#elif defined(_MSC_VER) && (defined(_M_X64) || defined(_M_IX86))
  _mm_pause();
#elif defined(__aarch64__) && (defined(__GNUC__) || defined(__clang__))
  __asm__ __volatile__("yield");
#endif
}

int current_cpu() {
#if defined(__linux__)
  return sched_getcpu();
#else
  return -1;
#endif
}

int available_cpus() {
#if defined(__linux__)
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
#endif
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

// Spin-then-block policy of a waiting thread. spin() returns false when the thread should block:
// after ~1 ms, or as soon as it notices it was descheduled. While it spins it calls sched_yield()
// only when it shares its CPU with its partner thread (the caller, or a helper), so that the
// partner runs; otherwise it spins with `pause` and keeps its share of a CPU it may be sharing
// with another process (sched_yield() there would hand whole time slices to that process).
class SpinWait {
 public:
  bool spin(int partner_cpu) {
    const auto t = std::chrono::steady_clock::now();
    if (t - last_ > kPreempted || t - start_ > kSpinTime) return false;
    last_ = t;
    if (partner_cpu >= 0 && (++n_ & 15) == 0 && partner_cpu == current_cpu()) {
      yield_cpu();
    } else {
      for (int i = 0; i < 8; ++i) cpu_relax();
    }
    return true;
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_ = start_;
  unsigned n_ = 0;
};

int default_num_threads() {
  const char* env = std::getenv("VARSTORE_NUM_THREADS");
  if (env != nullptr && *env != '\0') {
    char* end = nullptr;
    const long v = std::strtol(env, &end, 10);
    if (end == env || *end != '\0' || v < 1 || v > 1024) {
      throw std::invalid_argument(std::string("VARSTORE_NUM_THREADS: expected a positive integer, got '") +
                                  env + "'");
    }
    return static_cast<int>(v);
  }
  return available_cpus();
}

class Pool {
 public:
  explicit Pool(int nthreads) : nthreads_(nthreads) {
#if defined(__linux__)
    CPU_ZERO(&allowed_);
    if (sched_getaffinity(0, sizeof(allowed_), &allowed_) != 0) CPU_ZERO(&allowed_);
#endif
  }

  // Leaked on purpose (see instance()): never destroyed, so no join at interpreter exit.
  int num_threads() const { return nthreads_; }

  void set_num_threads(int n) {
    std::lock_guard<std::mutex> run(run_mutex_);
    stop_workers();
    nthreads_ = n;
  }

  void run(std::int64_t ntasks, TaskFn fn, void* ctx) {
    if (ntasks <= 0) return;
    std::unique_lock<std::mutex> run(run_mutex_, std::try_to_lock);
    if (nthreads_ <= 1 || ntasks == 1 || !run.owns_lock()) {
      fn(ctx, 0, ntasks);  // single-threaded, or the pool is busy with another caller
      return;
    }
    start_workers();
    fn_.store(fn, std::memory_order_relaxed);
    ctx_.store(ctx, std::memory_order_relaxed);
    ntasks_.store(ntasks, std::memory_order_relaxed);
    done_.store(0, std::memory_order_relaxed);
    caller_cpu_.store(current_cpu(), std::memory_order_relaxed);
    const std::uint64_t epoch = ++epoch_;
    state_.store(epoch << 32, std::memory_order_seq_cst);  // publishes the job
    if (sleepers_.load(std::memory_order_seq_cst) > 0) {
      std::lock_guard<std::mutex> lock(sleep_mutex_);
      work_cv_.notify_all();
    }
    work(epoch, /*is_caller=*/true);
    wait_done(ntasks);
  }

 private:
  // Claims and runs tasks of job `epoch` until none is left.
  void work(std::uint64_t epoch, bool is_caller) {
    bool first = true;
    for (;;) {
      std::uint64_t s = state_.load(std::memory_order_acquire);
      if ((s >> 32) != (epoch & 0xFFFFFFFFu)) return;
      const std::int64_t t = static_cast<std::int64_t>(s & 0xFFFFFFFFu);
      const std::int64_t n = ntasks_.load(std::memory_order_relaxed);
      if (t >= n) return;
      if (!state_.compare_exchange_weak(s, s + 1, std::memory_order_acq_rel)) continue;
      if (first && !is_caller) {
        first = false;
        avoid_caller_cpu();
        helper_cpu_.store(current_cpu(), std::memory_order_relaxed);
      }
      fn_.load(std::memory_order_relaxed)(ctx_.load(std::memory_order_relaxed), t, t + 1);
      if (done_.fetch_add(1, std::memory_order_seq_cst) + 1 == n &&
          caller_sleeping_.load(std::memory_order_seq_cst)) {
        std::lock_guard<std::mutex> lock(sleep_mutex_);
        done_cv_.notify_all();
      }
    }
  }

  // A helper that the scheduler left on the caller's CPU runs at half speed for the whole
  // call (seen under KVM): move it to the other CPUs.
  void avoid_caller_cpu() {
#if defined(__linux__)
    const int caller = caller_cpu_.load(std::memory_order_relaxed);
    if (caller < 0 || caller >= CPU_SETSIZE || current_cpu() != caller) return;
    cpu_set_t set = allowed_;  // every CPU the process could use when the pool was made
    if (!CPU_ISSET(caller, &set)) return;
    CPU_CLR(caller, &set);
    if (CPU_COUNT(&set) > 0) pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
#endif
  }

  void wait_done(std::int64_t ntasks) {
    SpinWait spinner;
    while (done_.load(std::memory_order_acquire) < ntasks) {
      if (spinner.spin(helper_cpu_.load(std::memory_order_relaxed))) continue;
      std::unique_lock<std::mutex> lock(sleep_mutex_);
      caller_sleeping_.store(true, std::memory_order_seq_cst);
      while (done_.load(std::memory_order_seq_cst) < ntasks) done_cv_.wait(lock);
      caller_sleeping_.store(false, std::memory_order_relaxed);
    }
  }

  void worker_main() {
    std::uint64_t seen = epoch_seen_at_start_;
    for (;;) {
      // Wait for a new job: spin (up to ~1 ms, see SpinWait), then block.
      SpinWait spinner;
      std::uint64_t e = 0;
      for (;;) {
        if (stop_.load(std::memory_order_acquire)) return;
        e = state_.load(std::memory_order_acquire) >> 32;
        if (e != seen) break;
        if (spinner.spin(caller_cpu_.load(std::memory_order_relaxed))) continue;
        std::unique_lock<std::mutex> lock(sleep_mutex_);
        sleepers_.fetch_add(1, std::memory_order_seq_cst);
        while (!stop_.load(std::memory_order_seq_cst) &&
               (state_.load(std::memory_order_seq_cst) >> 32) == seen) {
          work_cv_.wait(lock);
        }
        sleepers_.fetch_sub(1, std::memory_order_seq_cst);
      }
      seen = e;
      work(e, /*is_caller=*/false);
    }
  }

  void start_workers() {
    const auto want = static_cast<std::size_t>(nthreads_ - 1);
    if (workers_.size() == want) return;
    stop_workers();
    stop_.store(false, std::memory_order_release);
    epoch_seen_at_start_ = state_.load(std::memory_order_acquire) >> 32;
    for (std::size_t i = 0; i < want; ++i) workers_.emplace_back([this] { worker_main(); });
  }

  void stop_workers() {
    if (workers_.empty()) return;
    {
      std::lock_guard<std::mutex> lock(sleep_mutex_);
      stop_.store(true, std::memory_order_seq_cst);
      work_cv_.notify_all();
    }
    for (auto& t : workers_) t.join();
    workers_.clear();
  }

  int nthreads_;
#if defined(__linux__)
  cpu_set_t allowed_;
#endif
  std::mutex run_mutex_;  // one parallel job at a time
  std::vector<std::thread> workers_;
  std::uint64_t epoch_ = 0;
  std::uint64_t epoch_seen_at_start_ = 0;
  // (job epoch << 32) | next unclaimed task index.
  std::atomic<std::uint64_t> state_{0};
  std::atomic<std::int64_t> ntasks_{0};
  std::atomic<std::int64_t> done_{0};
  std::atomic<TaskFn> fn_{nullptr};
  std::atomic<void*> ctx_{nullptr};
  std::atomic<int> caller_cpu_{-1};
  std::atomic<int> helper_cpu_{-1};  // CPU of the last helper that joined a job
  std::atomic<bool> stop_{false};
  std::mutex sleep_mutex_;
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  std::atomic<int> sleepers_{0};
  std::atomic<bool> caller_sleeping_{false};
};

std::mutex g_instance_mutex;
Pool* g_pool = nullptr;
std::atomic<int> g_requested_threads{0};  // set_num_threads(); survives fork()

#if defined(__linux__)
// After fork() only the forking thread exists in the child: start from a fresh pool there
// (the old one, whose threads are gone, is leaked rather than joined).
void reset_after_fork() {
  g_pool = nullptr;
  new (&g_instance_mutex) std::mutex();  // in case another thread held it at fork()
}
#endif

Pool& instance() {
  std::lock_guard<std::mutex> lock(g_instance_mutex);
  if (g_pool == nullptr) {
#if defined(__linux__)
    static const bool registered = [] {
      pthread_atfork(nullptr, nullptr, &reset_after_fork);
      return true;
    }();
    (void)registered;
#endif
    const int n = g_requested_threads.load();
    g_pool = new Pool(n > 0 ? n : default_num_threads());  // intentionally leaked: no join at exit
  }
  return *g_pool;
}

}  // namespace

void parallel_for(std::int64_t ntasks, TaskFn fn, void* ctx) { instance().run(ntasks, fn, ctx); }

int pool_num_threads() { return instance().num_threads(); }

void pool_set_num_threads(int n) {
  if (n < 1 || n > 1024) {
    throw std::invalid_argument("set_num_threads: expected 1 <= n <= 1024, got " + std::to_string(n));
  }
  instance().set_num_threads(n);
  g_requested_threads.store(n);
}

}  // namespace varstore::kernels::detail
