// Native benchmark of the registry core: NameTrie, VariableStore and NameUniquifier against
// the classic alternatives, run side by side in one process at N = 1k, 10k, 100k, 1M names.
//
// Names are model/block_i/layer_j/{kernel,bias}, 25 layers per block, so one block is a
// 50-name subtree. Per operation it prints the median over repeats of the time per call
// (ns), the peer's time and the ratio peer / ours (> 1: varstore is faster):
//   trie insert         NameTrie::insert of all N names, per name
//                       peers: std::unordered_map<std::string, uint32_t>::emplace and
//                              std::map<std::string, uint32_t>::emplace
//   trie list           NameTrie::list_prefix("model/block_7/") (50 ids) with N names held
//                       peer: std::map lower_bound + prefix scan + sort of the ids
//   store create        VariableStore::get_or_create(kCreate, float32 [4]), per variable
//                       peer: std::unordered_map emplace
//   store reuse / find  get_or_create(kReuse) and find() of existing names, visited in a
//                       shuffled order (fixed seed) so that caches behave as at 1M
//                       peer: std::unordered_map::find, same order
//   store list          VariableStore::list_prefix("model/block_7/", kGlobalVariables)
//                       peer: std::map lower_bound + prefix scan + sort
//   unique_name         NameUniquifier::unique_name (the store's, holding N names) of a
//                       fresh name, and of one repeated name (the "_N" suffix path)
//                       peer: Graph.unique_name's algorithm over std::unordered_map
//   scope counters      NameTrie::open_scope + close_subscopes of "model/block_7" (every
//                       scope of the model opened once)
//                       peer: std::map<std::string, int64_t> counter, zeroing the
//                       "model/block_7/" range found with lower_bound
// Build times are measured on fresh containers (destruction untimed); per-call times are
// batches of calls on the containers of the last build, after one warm-up batch. Results are
// folded into a volatile sink so that nothing is optimised away.
//
// Build and run (from the repository root):
//   cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DVARSTORE_BUILD_PYTHON=OFF
//         -DVARSTORE_BUILD_BENCHMARKS=ON && cmake --build build/bench
//   build/bench/benchmarks/bench_name_trie
//   (the cmake configure command is one line)
//
//   bench_name_trie [--sizes 1000 100000 ...] [--repeats R] [--json FILE]
//   (default sizes 1000 10000 100000 1000000, R = 7; builds of N >= 1M use min(R, 5) repeats)
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#if defined(__linux__)
#include <sys/resource.h>
#endif

#include "varstore/name_trie.hpp"
#include "varstore/naming.hpp"
#include "varstore/variable_store.hpp"

namespace vs = varstore;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kLayersPerBlock = 25;
constexpr std::size_t kNamesPerBlock = 2 * kLayersPerBlock;
constexpr std::size_t kBigN = 1000000;       // builds at N >= kBigN use fewer repeats
constexpr int kBigBuildRepeats = 5;
constexpr std::size_t kListCalls = 2000;     // calls per batch
constexpr std::size_t kUniqueCalls = 20000;
constexpr std::size_t kScopeCalls = 20000;
constexpr std::size_t kLookupCalls = 200000;  // at least; whole shuffled passes over N

constexpr std::string_view kSubtree = "model/block_7/";
constexpr std::string_view kScope = "model/block_7";

using UMap = std::unordered_map<std::string, std::uint32_t>;
using OMap = std::map<std::string, std::uint32_t>;
using ScopeMap = std::map<std::string, std::int64_t>;

volatile std::uint64_t g_sink = 0;
void sink(std::uint64_t v) { g_sink = g_sink ^ v; }

template <typename F>
double time_ns(F&& f) {
  const auto t0 = Clock::now();
  f();
  const auto t1 = Clock::now();
  return std::chrono::duration<double, std::nano>(t1 - t0).count();
}

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 == 1 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

std::string with_commas(std::size_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) {
    s.insert(static_cast<std::size_t>(i), ",");
  }
  return s;
}

std::vector<std::string> make_names(std::size_t n) {
  std::vector<std::string> names;
  names.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t block = i / kNamesPerBlock;
    const std::size_t layer = (i % kNamesPerBlock) / 2;
    names.push_back("model/block_" + std::to_string(block) + "/layer_" + std::to_string(layer) +
                    (i % 2 == 0 ? "/kernel" : "/bias"));
  }
  return names;
}

// Every variable scope of the model: model, model/block_i, model/block_i/layer_j.
std::vector<std::string> make_scopes(std::size_t n) {
  std::vector<std::string> scopes{"model"};
  const std::size_t blocks = (n + kNamesPerBlock - 1) / kNamesPerBlock;
  for (std::size_t b = 0; b < blocks; ++b) {
    const std::string block = "model/block_" + std::to_string(b);
    scopes.push_back(block);
    const std::size_t in_block = std::min(kNamesPerBlock, n - b * kNamesPerBlock);
    for (std::size_t l = 0; l < (in_block + 1) / 2; ++l) {
      scopes.push_back(block + "/layer_" + std::to_string(l));
    }
  }
  return scopes;
}

// The classic subtree listing: a sorted map, lower_bound, scan while the prefix matches.
std::vector<std::uint32_t> map_list_prefix(const OMap& m, const std::string& prefix) {
  std::vector<std::uint32_t> out;
  for (auto it = m.lower_bound(prefix); it != m.end() && starts_with(it->first, prefix); ++it) {
    out.push_back(it->second);
  }
  std::sort(out.begin(), out.end());  // same output as ours: ids in ascending order
  return out;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// TF's Graph.unique_name (names_in_use dict of lower-cased names -> count) with std containers.
std::string peer_unique_name(UMap& used, std::string_view scope, std::string_view name) {
  std::string full;
  if (scope.empty()) {
    full.assign(name);
  } else {
    full.reserve(scope.size() + 1 + name.size());
    full.append(scope).append("/").append(name);
  }
  const std::string key = ascii_lower(full);
  auto it = used.find(key);
  const std::uint32_t seen = it == used.end() ? 0 : it->second;
  if (it == used.end()) {
    used.emplace(key, 1);
  } else {
    it->second = seen + 1;
  }
  if (seen == 0) return full;
  std::uint32_t i = seen;
  std::string candidate = key;
  while (used.count(candidate) != 0) {
    candidate = key + "_" + std::to_string(i);
    ++i;
  }
  used.emplace(std::move(candidate), 1);
  return full + "_" + std::to_string(i - 1);
}

struct Row {
  std::string op;
  double ours_ns;
  double peer_ns;
  std::string peer;
  int samples;
};

// One warm-up batch each, then `reps` batches, alternating which side goes first.
// ours() and peer() run one batch and return ns per call.
template <typename Ours, typename Peer>
Row measure(const char* op, const char* peer_name, int reps, Ours&& ours, Peer&& peer) {
  ours();
  peer();
  std::vector<double> so;
  std::vector<double> sp;
  for (int r = 0; r < reps; ++r) {
    if (r % 2 == 0) {
      so.push_back(ours());
      sp.push_back(peer());
    } else {
      sp.push_back(peer());
      so.push_back(ours());
    }
  }
  return Row{op, median(so), median(sp), peer_name, reps};
}

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "bench_name_trie: CHECK FAILED: %s\n", what.c_str());
  std::exit(1);
}

struct SizeResult {
  std::size_t n;
  int build_repeats;
  std::size_t subtree_size;
  std::vector<Row> rows;
};

SizeResult run_size(std::size_t n, int repeats) {
  SizeResult result{n, n >= kBigN ? std::min(repeats, kBigBuildRepeats) : repeats, 0, {}};
  const std::vector<std::string> names = make_names(n);
  const auto u8_collections =
      static_cast<std::uint8_t>(vs::kGlobalVariables | vs::kTrainableVariables);
  vs::PartialShape shape4;
  shape4.known_rank = true;
  shape4.dims = {4};

  // ---- Builds: fresh containers each repeat; the last ones serve the per-call benches. ----
  std::unique_ptr<vs::NameTrie> trie;
  std::unique_ptr<UMap> umap;
  std::unique_ptr<OMap> omap;
  std::unique_ptr<vs::VariableStore> store;
  std::vector<double> t_trie, t_umap, t_omap, t_store;
  const double per_name = 1.0 / static_cast<double>(n);
  for (int r = 0; r < result.build_repeats; ++r) {
    trie.reset();
    umap.reset();
    omap.reset();
    store.reset();
    const auto build_trie = [&] {
      trie = std::make_unique<vs::NameTrie>();
      t_trie.push_back(per_name * time_ns([&] {
        for (std::size_t i = 0; i < n; ++i) trie->insert(names[i], static_cast<std::uint32_t>(i));
      }));
    };
    const auto build_umap = [&] {
      umap = std::make_unique<UMap>();
      t_umap.push_back(per_name * time_ns([&] {
        for (std::size_t i = 0; i < n; ++i) umap->emplace(names[i], static_cast<std::uint32_t>(i));
      }));
    };
    const auto build_omap = [&] {
      omap = std::make_unique<OMap>();
      t_omap.push_back(per_name * time_ns([&] {
        for (std::size_t i = 0; i < n; ++i) omap->emplace(names[i], static_cast<std::uint32_t>(i));
      }));
    };
    const auto build_store = [&] {
      store = std::make_unique<vs::VariableStore>();
      std::uint64_t acc = 0;
      t_store.push_back(per_name * time_ns([&] {
        for (std::size_t i = 0; i < n; ++i) {
          const vs::GetOrCreateResult got =
              store->get_or_create(names[i], shape4, vs::DType::kFloat32, vs::ReuseMode::kCreate,
                                   true, u8_collections, vs::Fill::kConstant, 0.0);
          acc += got.id + (got.created ? 1u : 0u);
        }
      }));
      sink(acc);
    };
    // Rotate the order so that no side always gets the freshly freed memory.
    switch (r % 4) {
      case 0: build_trie(); build_umap(); build_omap(); build_store(); break;
      case 1: build_umap(); build_omap(); build_store(); build_trie(); break;
      case 2: build_omap(); build_store(); build_trie(); build_umap(); break;
      default: build_store(); build_trie(); build_umap(); build_omap(); break;
    }
  }
  const int br = result.build_repeats;
  result.rows.push_back({"trie insert (per name)", median(t_trie), median(t_umap),
                         "unordered_map emplace", br});
  result.rows.push_back({"trie insert (per name)", median(t_trie), median(t_omap),
                         "map emplace", br});
  result.rows.push_back({"store create kCreate [4] (per var)", median(t_store), median(t_umap),
                         "unordered_map emplace", br});

  // ---- Checks: the three listings agree; sizes are right. ----
  const std::string subtree(kSubtree);
  const std::vector<std::uint32_t> expect = map_list_prefix(*omap, subtree);
  result.subtree_size = expect.size();
  if (trie->list_prefix(subtree) != expect) fail("NameTrie::list_prefix != std::map scan");
  if (store->list_prefix(subtree, vs::kGlobalVariables) != expect) {
    fail("VariableStore::list_prefix != std::map scan");
  }
  if (store->size() != n || umap->size() != n || omap->size() != n) fail("container sizes");

  // ---- Per-call benches on the containers of the last build. ----
  result.rows.push_back(measure(
      "trie list_prefix 50-name subtree", "map lower_bound scan+sort", repeats,
      [&] {
        std::uint64_t acc = 0;
        const double t = time_ns([&] {
          for (std::size_t k = 0; k < kListCalls; ++k) acc += trie->list_prefix(kSubtree).size();
        });
        sink(acc);
        return t / kListCalls;
      },
      [&] {
        std::uint64_t acc = 0;
        const double t = time_ns([&] {
          for (std::size_t k = 0; k < kListCalls; ++k) {
            acc += map_list_prefix(*omap, subtree).size();
          }
        });
        sink(acc);
        return t / kListCalls;
      }));

  result.rows.push_back(measure(
      "store list_prefix(kGlobalVariables)", "map lower_bound scan+sort", repeats,
      [&] {
        std::uint64_t acc = 0;
        const double t = time_ns([&] {
          for (std::size_t k = 0; k < kListCalls; ++k) {
            acc += store->list_prefix(kSubtree, vs::kGlobalVariables).size();
          }
        });
        sink(acc);
        return t / kListCalls;
      },
      [&] {
        std::uint64_t acc = 0;
        const double t = time_ns([&] {
          for (std::size_t k = 0; k < kListCalls; ++k) {
            acc += map_list_prefix(*omap, subtree).size();
          }
        });
        sink(acc);
        return t / kListCalls;
      }));

  // Lookups in a shuffled order (fixed seed), whole passes over the N names.
  std::vector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(i);
  std::mt19937_64 rng(20240611);
  std::shuffle(order.begin(), order.end(), rng);
  const std::size_t passes = std::max<std::size_t>(1, (kLookupCalls + n - 1) / n);
  const double lookup_calls = static_cast<double>(passes * n);
  const auto peer_find = [&] {
    std::uint64_t acc = 0;
    const double t = time_ns([&] {
      for (std::size_t p = 0; p < passes; ++p) {
        for (std::uint32_t i : order) acc += umap->find(names[i])->second;
      }
    });
    sink(acc);
    return t / lookup_calls;
  };
  result.rows.push_back(measure(
      "store get_or_create kReuse (shuffled)", "unordered_map find", repeats,
      [&] {
        std::uint64_t acc = 0;
        const double t = time_ns([&] {
          for (std::size_t p = 0; p < passes; ++p) {
            for (std::uint32_t i : order) {
              acc += store
                         ->get_or_create(names[i], shape4, vs::DType::kFloat32,
                                         vs::ReuseMode::kReuse, true, u8_collections,
                                         vs::Fill::kConstant, 0.0)
                         .id;
            }
          }
        });
        sink(acc);
        return t / lookup_calls;
      },
      peer_find));
  result.rows.push_back(measure(
      "store find (shuffled)", "unordered_map find", repeats,
      [&] {
        std::uint64_t acc = 0;
        const double t = time_ns([&] {
          for (std::size_t p = 0; p < passes; ++p) {
            for (std::uint32_t i : order) acc += *store->find(names[i]);
          }
        });
        sink(acc);
        return t / lookup_calls;
      },
      peer_find));

  // Scope counters: every scope of the model opened once on both sides.
  {
    ScopeMap counts;
    for (const std::string& s : make_scopes(n)) {
      trie->open_scope(s);
      counts.emplace(s, 1);
    }
    const std::string scope(kScope);
    const auto peer_pair = [&] {
      auto it = counts.find(scope);
      if (it == counts.end()) it = counts.emplace(scope, 0).first;
      ++it->second;
      for (auto jt = counts.lower_bound(subtree);
           jt != counts.end() && starts_with(jt->first, subtree); ++jt) {
        jt->second = 0;
      }
    };
    result.rows.push_back(measure(
        "scope open_scope + close_subscopes", "map counter + range zero", repeats,
        [&] {
          const double t = time_ns([&] {
            for (std::size_t k = 0; k < kScopeCalls; ++k) {
              trie->open_scope(kScope);
              trie->close_subscopes(kScope);
            }
          });
          sink(static_cast<std::uint64_t>(trie->scope_count(kScope)));
          return t / kScopeCalls;
        },
        [&] {
          const double t = time_ns([&] {
            for (std::size_t k = 0; k < kScopeCalls; ++k) peer_pair();
          });
          sink(static_cast<std::uint64_t>(counts.find(scope)->second));
          return t / kScopeCalls;
        }));
    if (n > 7 * kNamesPerBlock) {
      const std::string layer = subtree + "layer_3";
      if (trie->scope_count(layer) != 0 || counts.at(layer) != 0) fail("close_subscopes");
      if (trie->scope_count(kScope) != counts.at(scope)) fail("open_scope counts differ");
    }
  }

  // Uniquifier (last: it adds names). Ours is the store's, holding the N variable names; the
  // peer's names_in_use is the unordered_map, holding the same N (already lower-case) names.
  {
    vs::NameUniquifier& uniq = store->names();
    std::vector<std::string> fresh;
    fresh.reserve(static_cast<std::size_t>(repeats + 1) * kUniqueCalls);
    for (std::size_t k = 0; k < static_cast<std::size_t>(repeats + 1) * kUniqueCalls; ++k) {
      fresh.push_back("fresh_" + std::to_string(k));
    }
    std::size_t ours_next = 0;
    std::size_t peer_next = 0;
    result.rows.push_back(measure(
        "unique_name fresh name", "TF algorithm, unordered_map", repeats,
        [&] {
          std::uint64_t acc = 0;
          const double t = time_ns([&] {
            for (std::size_t k = 0; k < kUniqueCalls; ++k) {
              acc += uniq.unique_name(kScope, fresh[ours_next++], true).size();
            }
          });
          sink(acc);
          return t / kUniqueCalls;
        },
        [&] {
          std::uint64_t acc = 0;
          const double t = time_ns([&] {
            for (std::size_t k = 0; k < kUniqueCalls; ++k) {
              acc += peer_unique_name(*umap, kScope, fresh[peer_next++]).size();
            }
          });
          sink(acc);
          return t / kUniqueCalls;
        }));
    result.rows.push_back(measure(
        "unique_name repeated name (_N)", "TF algorithm, unordered_map", repeats,
        [&] {
          std::uint64_t acc = 0;
          const double t = time_ns([&] {
            for (std::size_t k = 0; k < kUniqueCalls; ++k) {
              acc += uniq.unique_name(kScope, "dense", true).size();
            }
          });
          sink(acc);
          return t / kUniqueCalls;
        },
        [&] {
          std::uint64_t acc = 0;
          const double t = time_ns([&] {
            for (std::size_t k = 0; k < kUniqueCalls; ++k) {
              acc += peer_unique_name(*umap, kScope, "dense").size();
            }
          });
          sink(acc);
          return t / kUniqueCalls;
        }));
    const std::size_t total_calls = static_cast<std::size_t>(repeats + 1) * kUniqueCalls;
    const std::string last = "model/block_7/dense_" + std::to_string(total_calls - 1);
    if (!uniq.is_used(last) || umap->count(last) == 0) fail("unique_name suffixes differ");
  }

  // Destruction is not timed; free before the next size.
  store.reset();
  trie.reset();
  omap.reset();
  umap.reset();
  return result;
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) {
        std::string v = line.substr(colon + 1);
        v.erase(0, v.find_first_not_of(" \t"));
        return v;
      }
    }
  }
  return "unknown";
}

std::string compiler() {
#if defined(__clang__)
  return __VERSION__;
#elif defined(__GNUC__)
  return std::string("GCC ") + __VERSION__;
#elif defined(_MSC_VER)
  return "MSVC " + std::to_string(_MSC_VER);
#else
  return "unknown";
#endif
}

std::string json_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

void usage(FILE* f) {
  std::fprintf(f,
               "usage: bench_name_trie [--sizes N ...] [--repeats R] [--json FILE]\n"
               "  --sizes    numbers of names (default 1000 10000 100000 1000000; 1e6 works)\n"
               "  --repeats  samples per operation, median reported (default 7; builds at\n"
               "             N >= 1M use min(R, %d))\n"
               "  --json     also write the results to FILE\n",
               kBigBuildRepeats);
}

bool parse_count(const char* s, std::size_t* out) {
  char* end = nullptr;
  const double v = std::strtod(s, &end);
  if (end == s || *end != '\0' || !(v >= 1.0) || v > 4.0e9) return false;
  if (v != static_cast<double>(static_cast<std::uint64_t>(v))) return false;
  *out = static_cast<std::size_t>(v);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::size_t> sizes{1000, 10000, 100000, 1000000};
  int repeats = 7;
  std::string json_path;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--sizes") {
      sizes.clear();
      while (i + 1 < argc && argv[i + 1][0] != '-') {
        std::size_t v = 0;
        if (!parse_count(argv[++i], &v)) {
          std::fprintf(stderr, "bad size: %s\n", argv[i]);
          return 2;
        }
        sizes.push_back(v);
      }
      if (sizes.empty()) {
        usage(stderr);
        return 2;
      }
    } else if (a == "--repeats" && i + 1 < argc) {
      std::size_t v = 0;
      if (!parse_count(argv[++i], &v) || v > 1000) {
        std::fprintf(stderr, "bad repeats: %s\n", argv[i]);
        return 2;
      }
      repeats = static_cast<int>(v);
    } else if (a == "--json" && i + 1 < argc) {
      json_path = argv[++i];
    } else if (a == "-h" || a == "--help") {
      usage(stdout);
      return 0;
    } else {
      std::fprintf(stderr, "unknown argument: %s\n", a.c_str());
      usage(stderr);
      return 2;
    }
  }

  const auto t_start = Clock::now();
  const std::string cpu = cpu_model();
  const std::string cc = compiler();
  std::printf("bench_name_trie: varstore registry core vs std::unordered_map / std::map\n");
  std::printf("machine : %s (%u hardware threads)\n", cpu.c_str(),
              std::thread::hardware_concurrency());
  std::printf("compiler: %s\n", cc.c_str());
#ifdef NDEBUG
  std::printf("build   : NDEBUG\n");
#else
  std::printf("build   : assertions ON (not a Release build: numbers are not representative)\n");
#endif
  std::printf("N       :");
  for (auto n : sizes) std::printf(" %s", with_commas(n).c_str());
  std::printf("\nrepeats : %d per operation (median); builds at N >= %s: %d\n", repeats,
              with_commas(kBigN).c_str(), std::min(repeats, kBigBuildRepeats));
  std::printf("names   : model/block_i/layer_j/{kernel,bias}, %zu layers per block; listing and\n"
              "          scopes use \"%s\"; ratio = peer ns / ours ns (> 1: varstore faster)\n",
              kLayersPerBlock, std::string(kSubtree).c_str());
  std::fflush(stdout);

  std::vector<SizeResult> results;
  for (std::size_t n : sizes) {
    const auto t0 = Clock::now();
    SizeResult r = run_size(n, repeats);
    const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    std::printf("\nN = %s  (builds: %d repeats, per-call: %d; subtree %s = %zu names; %.1f s)\n",
                with_commas(n).c_str(), r.build_repeats, repeats, std::string(kSubtree).c_str(),
                r.subtree_size, secs);
    std::printf("  %-38s %10s %10s %9s  %s\n", "operation", "ours ns", "peer ns", "peer/ours",
                "peer");
    for (const Row& row : r.rows) {
      std::printf("  %-38s %10.1f %10.1f %9.2f  %s\n", row.op.c_str(), row.ours_ns, row.peer_ns,
                  row.ours_ns > 0 ? row.peer_ns / row.ours_ns : 0.0, row.peer.c_str());
    }
    std::fflush(stdout);
    results.push_back(std::move(r));
  }

  // Listing must not grow with N: compare the smallest and the largest N.
  if (results.size() >= 2) {
    const SizeResult& lo = results.front();
    const SizeResult& hi = results.back();
    std::printf("\nflatness in N (%s -> %s names), time at largest / smallest:\n",
                with_commas(lo.n).c_str(), with_commas(hi.n).c_str());
    for (std::size_t i = 0; i < lo.rows.size() && i < hi.rows.size(); ++i) {
      if (lo.rows[i].op.find("list_prefix") == std::string::npos) continue;
      std::printf("  %-38s ours x%.2f   peer x%.2f\n", lo.rows[i].op.c_str(),
                  hi.rows[i].ours_ns / lo.rows[i].ours_ns, hi.rows[i].peer_ns / lo.rows[i].peer_ns);
    }
  }

  const double total = std::chrono::duration<double>(Clock::now() - t_start).count();
  std::printf("\ntotal time: %.1f s", total);
#if defined(__linux__)
  rusage ru{};
  if (getrusage(RUSAGE_SELF, &ru) == 0) {
    std::printf("; peak RSS %.0f MiB", static_cast<double>(ru.ru_maxrss) / 1024.0);
  }
#endif
  std::printf("\n");

  if (!json_path.empty()) {
    std::ofstream out(json_path);
    if (!out) {
      std::fprintf(stderr, "cannot write %s\n", json_path.c_str());
      return 1;
    }
    out << "{\n  \"benchmark\": \"bench_name_trie\",\n  \"machine\": \"" << json_escape(cpu)
        << "\",\n  \"hardware_threads\": " << std::thread::hardware_concurrency()
        << ",\n  \"compiler\": \"" << json_escape(cc) << "\",\n  \"repeats\": " << repeats
        << ",\n  \"unit\": \"ns per call (median)\",\n  \"sizes\": [\n";
    for (std::size_t s = 0; s < results.size(); ++s) {
      const SizeResult& r = results[s];
      out << "    {\"n\": " << r.n << ", \"build_repeats\": " << r.build_repeats
          << ", \"subtree_size\": " << r.subtree_size << ", \"ops\": [\n";
      for (std::size_t i = 0; i < r.rows.size(); ++i) {
        const Row& row = r.rows[i];
        out << "      {\"op\": \"" << json_escape(row.op) << "\", \"ours_ns\": " << row.ours_ns
            << ", \"peer_ns\": " << row.peer_ns << ", \"ratio\": "
            << (row.ours_ns > 0 ? row.peer_ns / row.ours_ns : 0.0) << ", \"peer\": \""
            << json_escape(row.peer) << "\", \"samples\": " << row.samples << "}"
            << (i + 1 < r.rows.size() ? ",\n" : "\n");
      }
      out << "    ]}" << (s + 1 < results.size() ? ",\n" : "\n");
    }
    out << "  ],\n  \"total_seconds\": " << total << "\n}\n";
    std::printf("wrote %s\n", json_path.c_str());
  }
  return 0;
}
