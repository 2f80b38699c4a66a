// libFuzzer target for the name handling of the core: the uniquifier (Graph.unique_name), the
// name validity checks, the scope trie (insert / erase / list_prefix and the variable_scope
// counters with their journal) and the store (get_or_create with fuzzed names, shapes, dtypes,
// reuse modes and constant fills; add_variable; discard_last; list_prefix). Each input is a
// small program; after every step the invariants are checked against plain models:
//   - a name returned by unique_name(mark=true) is never returned again (case-insensitively);
//   - is_valid_root_name / is_valid_scope_name agree with TF's regexes (re.match semantics);
//   - list_prefix results are sorted, unique and all start with the prefix, and none is missed;
//   - get_or_create throws exactly what TF's rules say, and a failed call adds no variable and
//     no memory (only a create failing after naming keeps its name taken, as in TF);
//   - store size == live variables; lookups, graph names and buffers are consistent;
//   - the scope counters equal TF's _VariableScopeStore dict (journal included).
//
// Build (clang only): cmake -DCMAKE_CXX_COMPILER=clang++ -DVARSTORE_BUILD_FUZZERS=ON ...
// Run: see .ci/sanitize.sh (short bounded run) and the longer command documented there.
//
// Known open core bug kept out of the generated inputs unless this file is compiled with
// -DVARSTORE_FUZZ_STRICT=1 (see test_name_trie, "TF semantics of the scope names"): the
// counter scope name "" (variable_scope("") at the root) is the root itself, so
// close_subscopes("") resets every counter where TF resets none. float16 fills are only
// checked for exact values (double rounding: see test_variable_store).
// -DVARSTORE_FUZZ_INT_OVERFLOW=0 keeps out-of-range integer fills out of the inputs.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <new>
#include <set>
#include <string>
#include <vector>

#include "varstore/dtype.hpp"
#include "varstore/errors.hpp"
#include "varstore/name_trie.hpp"
#include "varstore/naming.hpp"
#include "varstore/tensor_buffer.hpp"
#include "varstore/variable_store.hpp"

#ifndef VARSTORE_FUZZ_STRICT
#define VARSTORE_FUZZ_STRICT 0
#endif
// Integer constant fills outside the dtype's range (or non-integral): the store must reject
// them with a ValueError (they were float-cast-overflow UB in fill_as before).
#ifndef VARSTORE_FUZZ_INT_OVERFLOW
#define VARSTORE_FUZZ_INT_OVERFLOW 1
#endif

using namespace varstore;
using i64 = std::int64_t;

namespace {

[[noreturn]] void fail(const char* what, std::string_view detail) {
  std::string esc;  // names may hold any byte
  for (unsigned char c : detail) {
    if (c >= 0x20 && c < 0x7f) {
      esc += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      esc += buf;
    }
  }
  std::fprintf(stderr, "INVARIANT VIOLATED: %s: %s\n", what, esc.c_str());
  std::abort();
}
#define INVARIANT(cond, detail)         \
  do {                                  \
    if (!(cond)) fail(#cond, (detail)); \
  } while (0)

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// --- reference regexes (re.match, '$' also before one final '\n') ---------------------------
bool ref_scope_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '.' || c == '\\' || c == '/' || c == '>' || c == '-';
}
bool ref_valid(std::string s, bool root) {
  if (!s.empty() && s.back() == '\n') s.pop_back();
  if (root) {
    if (s.empty()) return false;
    const unsigned char f = static_cast<unsigned char>(s[0]);
    if (!((f >= 'a' && f <= 'z') || (f >= 'A' && f <= 'Z') || (f >= '0' && f <= '9') || f == '.'))
      return false;
  }
  for (char c : s)
    if (!ref_scope_char(static_cast<unsigned char>(c))) return false;
  return true;
}

// --- input decoding -------------------------------------------------------------------------
const char* const kParts[] = {"a", "A", "b", "a_1", "x", "block", "block_1", "", "v", "V_2", "."};

std::string gen_name(FuzzedDataProvider& in) {
  const int mode = in.ConsumeIntegralInRange<int>(0, 7);
  if (mode == 0) return in.ConsumeRandomLengthString(16);
  std::string s;
  const int n = in.ConsumeIntegralInRange<int>(1, 3);
  for (int i = 0; i < n; ++i) {
    if (i) s += '/';
    s += kParts[in.ConsumeIntegralInRange<int>(0, 10)];
  }
  switch (in.ConsumeIntegralInRange<int>(0, 7)) {
    case 0: s += '/'; break;
    case 1: s += "_1"; break;
    case 2: s += '\n'; break;
    default: break;
  }
  return s;
}

const i64 kDims[] = {-1, 0, 1, 2, 3, 7, 64, 1025, i64{1} << 40, i64{1} << 62,
                     std::numeric_limits<i64>::max(), 5};

PartialShape gen_shape(FuzzedDataProvider& in) {
  PartialShape s;
  const int rank = in.ConsumeIntegralInRange<int>(-1, 4);
  if (rank < 0) return s;  // unknown rank
  s.known_rank = true;
  for (int i = 0; i < rank; ++i) {
    // Mostly small dims, so that creates succeed and collide.
    const int k = in.ConsumeIntegralInRange<int>(0, 15);
    s.dims.push_back(k < 12 ? kDims[k] : (k - 11));
  }
  return s;
}

constexpr i64 kMaxBytes = i64{1} << 46;  // the store's documented limit

// 0: fits, allocate; 1: too large (the store must throw ValueError); 2: in between (skipped:
// a real multi-GiB allocation).
int size_class(const std::vector<i64>& dims, DType dt, i64* numel_out) {
  i64 numel = 1;
  for (i64 d : dims) {
    if (d != 0 && numel > kMaxBytes / d) return 1;
    numel *= d;
  }
  if (numel > kMaxBytes / static_cast<i64>(dtype_size(dt))) return 1;
  *numel_out = numel;
  return numel * static_cast<i64>(dtype_size(dt)) <= (i64{1} << 20) ? 0 : 2;
}

const double kFills[] = {0.0, 1.0, -1.0, 0.1, 255.0, -128.0, 65504.0, 1e-8, 2.5, 1e10,
                         -0.0, NAN, INFINITY, -7.0, 32767.0, 65536.0};

bool is_int(DType dt) {
  return dt != DType::kFloat16 && dt != DType::kFloat32 && dt != DType::kFloat64 &&
         dt != DType::kBool && dt != DType::kComplex64 && dt != DType::kComplex128;
}
bool in_range(DType dt, double v) {
  if (!std::isfinite(v) || v != std::trunc(v)) return false;
  switch (dt) {
    case DType::kInt8: return v >= -128 && v <= 127;
    case DType::kUInt8: return v >= 0 && v <= 255;
    case DType::kInt16: return v >= -32768 && v <= 32767;
    case DType::kUInt16: return v >= 0 && v <= 65535;
    case DType::kUInt32: return v >= 0 && v <= 4294967295.0;
    case DType::kUInt64: return v >= 0 && v < 18446744073709551616.0;
    case DType::kInt32: return v >= -2147483648.0 && v <= 2147483647.0;
    case DType::kInt64: return v >= -9.2e18 && v <= 9.2e18;
    default: return true;
  }
}

// --- models -------------------------------------------------------------------------------
struct VarModel {
  std::string name, graph_name;
  std::vector<i64> shape;
  DType dtype;
  std::uint8_t collections;
  bool from_get_variable;
};

struct TfCounts {
  std::map<std::string, i64> counts;
  i64 count(const std::string& s) const {
    auto it = counts.find(s);
    return it == counts.end() ? 0 : it->second;
  }
};

struct State {
  NameUniquifier u;
  std::set<std::string> returned;  // lower-cased names unique_name returned with mark=true

  NameTrie trie;
  std::vector<std::string> trie_names;  // by id; empty string + dead flag for erased
  std::vector<bool> trie_live;

  VariableStore store;
  std::vector<VarModel> vars;  // by id

  NameTrie counters;
  TfCounts tf;
  std::vector<std::pair<std::size_t, TfCounts>> marks;
};

void check_store(State& st) {
  INVARIANT(st.store.size() == st.vars.size(),
            std::to_string(st.store.size()) + " vs " + std::to_string(st.vars.size()));
  std::set<std::string> graph_names;
  for (std::uint32_t id = 0; id < st.vars.size(); ++id) {
    const VarModel& m = st.vars[id];
    const Variable& v = st.store.variable(id);
    INVARIANT(v.graph_name() == m.graph_name, std::string(v.graph_name()) + " vs " + m.graph_name);
    INVARIANT(v.shape() == m.shape && v.dtype == m.dtype, m.graph_name);
    INVARIANT(reinterpret_cast<std::uintptr_t>(v.data) % buffer_alignment(v.nbytes) == 0,
              m.graph_name);
    if (m.from_get_variable) {
      auto found = st.store.find(m.name);
      INVARIANT(found && *found == id, "find(" + m.name + ")");
    }
    const bool exact = m.from_get_variable && !m.name.empty() && m.name.back() == '/';
    if (!exact) {  // uniquified graph names never repeat among live variables
      INVARIANT(graph_names.insert(lower(m.graph_name)).second, "duplicate " + m.graph_name);
    }
  }
}

void check_store_listing(State& st, const std::string& prefix, std::uint8_t mask) {
  const auto got = st.store.list_prefix(prefix, mask);
  INVARIANT(std::is_sorted(got.begin(), got.end()), prefix);
  INVARIANT(std::adjacent_find(got.begin(), got.end()) == got.end(), prefix);
  std::vector<std::uint32_t> want;
  for (std::uint32_t id = 0; id < st.vars.size(); ++id) {
    const VarModel& m = st.vars[id];
    if ((m.collections & mask) == mask && starts_with(m.graph_name, prefix)) want.push_back(id);
  }
  for (auto id : got) {
    INVARIANT(id < st.vars.size() && starts_with(st.vars[id].graph_name, prefix),
              "'" + prefix + "' listed id " + std::to_string(id));
  }
  INVARIANT(got == want, "list_prefix('" + prefix + "') missed or added ids: got " +
                             std::to_string(got.size()) + " want " + std::to_string(want.size()));
}

void check_fill(const Variable& v, double value) {
  if (v.numel() == 0) return;
  for (std::size_t i : {std::size_t{0}, v.numel() - 1}) {
    const char* p = static_cast<const char*>(v.data);
    switch (v.dtype) {
      case DType::kFloat32: {
        float got, want = static_cast<float>(value);
        std::memcpy(&got, p + 4 * i, 4);
        INVARIANT(std::isnan(want) ? std::isnan(got) : got == want, v.graph_name());
        INVARIANT(std::signbit(got) == std::signbit(want), v.graph_name());  // -0.0 included
        break;
      }
      case DType::kFloat64: {
        double got;
        std::memcpy(&got, p + 8 * i, 8);
        INVARIANT(std::isnan(value) ? std::isnan(got) : got == value, v.graph_name());
        break;
      }
      case DType::kInt32: {
        std::int32_t got;
        std::memcpy(&got, p + 4 * i, 4);
        INVARIANT(got == static_cast<std::int32_t>(value), v.graph_name());
        break;
      }
      case DType::kInt64: {
        std::int64_t got;
        std::memcpy(&got, p + 8 * i, 8);
        INVARIANT(got == static_cast<std::int64_t>(value), v.graph_name());
        break;
      }
      case DType::kInt16: {
        std::int16_t got;
        std::memcpy(&got, p + 2 * i, 2);
        INVARIANT(got == static_cast<std::int16_t>(value), v.graph_name());
        break;
      }
      case DType::kInt8:
        INVARIANT(static_cast<std::int8_t>(p[i]) == static_cast<std::int8_t>(value), v.graph_name());
        break;
      case DType::kUInt8:
        INVARIANT(static_cast<std::uint8_t>(p[i]) == static_cast<std::uint8_t>(value), v.graph_name());
        break;
      case DType::kBool:
        INVARIANT(static_cast<std::uint8_t>(p[i]) == (value != 0.0 ? 1 : 0), v.graph_name());
        break;
      case DType::kFloat16: {
        std::uint16_t h;
        std::memcpy(&h, p + 2 * i, 2);
        if (std::isnan(value)) INVARIANT((h & 0x7c00) == 0x7c00 && (h & 0x3ff), v.graph_name());
        if (value == 1.0) INVARIANT(h == 0x3c00, v.graph_name());
        if (value > 65520.0) INVARIANT(h == 0x7c00, v.graph_name());
        break;
      }
      default:  // the unsigned and complex types: filled like the others, not decoded here
        break;
    }
  }
}

// Expected outcome of get_or_create according to TF's rules (and the store's size limit).
enum class Expect {
  kReturn, kCreate, kExists, kMissing, kShape, kDType, kUndefined, kBadName, kTooLarge,
  kFillRange, kSkip
};

Expect expect_goc(State& st, const std::string& name, const PartialShape& shape, DType dt,
                  ReuseMode reuse, bool fill, double value) {
  for (std::uint32_t id = 0; id < st.vars.size(); ++id) {
    const VarModel& m = st.vars[id];
    if (!m.from_get_variable || m.name != name) continue;
    if (reuse == ReuseMode::kCreate) return Expect::kExists;
    if (shape.known_rank) {
      if (shape.dims.size() != m.shape.size()) return Expect::kShape;
      for (std::size_t i = 0; i < m.shape.size(); ++i)
        if (shape.dims[i] >= 0 && shape.dims[i] != m.shape[i]) return Expect::kShape;
    }
    if (dt != m.dtype) return Expect::kDType;
    return Expect::kReturn;
  }
  if (reuse == ReuseMode::kReuse) return Expect::kMissing;
  if (!shape.fully_defined()) return Expect::kUndefined;
  if (!name.empty() && !ref_valid(name, true)) return Expect::kBadName;
  i64 numel = 0;
  const int sc = size_class(shape.dims, dt, &numel);
  if (sc == 1) return Expect::kTooLarge;
  if (sc == 2) return Expect::kSkip;
  // An integer fill the dtype cannot hold (non-finite or out of range; a non-integral value
  // in range is truncated, as C++ and numpy do). Zero is never converted.
  if (fill && is_int(dt) && value != 0.0) {
    const bool finite_in_range = std::isfinite(value) && in_range(dt, std::trunc(value));
    if (!finite_in_range) return Expect::kFillRange;
  }
  return Expect::kCreate;
}

Expect classify(const std::exception& e) {
  if (dynamic_cast<const VariableExistsError*>(&e)) return Expect::kExists;
  if (dynamic_cast<const VariableMissingError*>(&e)) return Expect::kMissing;
  if (dynamic_cast<const ShapeMismatchError*>(&e)) return Expect::kShape;
  if (dynamic_cast<const DTypeMismatchError*>(&e)) return Expect::kDType;
  if (dynamic_cast<const InvalidNameError*>(&e)) return Expect::kBadName;
  // The two plain ValueErrors: "Variable <name> of shape ... is too large to allocate" and
  // the undefined-shape one (whose wording follows TF's). Classified by the start of the
  // message: what() stops at the first NUL of a fuzzed name.
  if (dynamic_cast<const ValueError*>(&e)) {
    if (starts_with(e.what(), "Variable ")) return Expect::kTooLarge;
    if (starts_with(e.what(), "constant ")) return Expect::kFillRange;  // out-of-range int fill
    return Expect::kUndefined;
  }
  return Expect::kSkip;
}

void op_get_or_create(State& st, FuzzedDataProvider& in) {
  const std::string name = gen_name(in);
  const PartialShape shape = gen_shape(in);
  const DType dt = static_cast<DType>(in.ConsumeIntegralInRange<int>(0, kNumDTypes - 1));
  const auto reuse = static_cast<ReuseMode>(in.ConsumeIntegralInRange<int>(0, 2));
  const bool fill = in.ConsumeBool();
  double value = kFills[in.ConsumeIntegralInRange<int>(0, 15)];
  if (!VARSTORE_FUZZ_INT_OVERFLOW && is_int(dt) && !in_range(dt, value)) value = 3.0;
  const std::uint8_t collections = in.ConsumeIntegral<std::uint8_t>() & 7;
  const Expect want = expect_goc(st, name, shape, dt, reuse, fill, value);
  if (want == Expect::kSkip) return;

  const std::size_t size0 = st.store.size(), names0 = st.store.names().size();
  const std::size_t arena0 = st.store.arena_bytes();
  try {
    auto r = st.store.get_or_create(name, shape, dt, reuse, true, collections,
                                    fill ? Fill::kConstant : Fill::kNone, value);
    if (want == Expect::kReturn) {
      INVARIANT(!r.created && r.id < st.vars.size() && st.vars[r.id].name == name, name);
      INVARIANT(st.store.size() == size0 && st.store.names().size() == names0, name);
      return;
    }
    INVARIANT(want == Expect::kCreate, "'" + name + "' created, expected error " +
                                           std::to_string(static_cast<int>(want)));
    INVARIANT(r.created && r.id == st.vars.size(), name);
    const Variable& v = st.store.variable(r.id);
    const bool exact = !name.empty() && name.back() == '/';
    if (exact) {
      INVARIANT(v.graph_name() == name.substr(0, name.size() - 1), v.graph_name());
    } else {
      INVARIANT(v.graph_name() == name || starts_with(v.graph_name(), name + "_"), v.graph_name());
      INVARIANT(st.store.names().is_used(v.graph_name()), v.graph_name());
    }
    st.vars.push_back({name, std::string(v.graph_name()), shape.dims, dt, collections, true});
    if (fill) check_fill(v, value);
    else if (v.nbytes) INVARIANT(static_cast<const unsigned char*>(v.data)[v.nbytes - 1] == 0, name);
  } catch (const std::bad_alloc&) {
    fail("bad_alloc", name);
  } catch (const std::exception& e) {
    const Expect got = classify(e);
    INVARIANT(got == want, "'" + name + "': threw '" + e.what() + "', expected " +
                               std::to_string(static_cast<int>(want)));
    INVARIANT(st.store.size() == size0, "failed call added a variable: " + name);
    // A fill that fails after the allocation may leave the arena chunk it opened reserved
    // (empty, reused by the next small buffer); anything else must leave the arena as it was.
    const std::size_t slack = got == Expect::kFillRange ? 64 * 1024 : 0;
    INVARIANT(st.store.arena_bytes() <= arena0 + slack && st.store.arena_bytes() >= arena0,
              "failed call changed arena_bytes " + std::to_string(arena0) + " -> " +
                  std::to_string(st.store.arena_bytes()) + ": " + name + " (" + e.what() + ")");
    // A create that fails after naming (too large) keeps the name taken, as TF's name_scope
    // does; every earlier failure leaves the uniquifier as it was.
    const bool exact = !name.empty() && name.back() == '/';
    const bool after_naming = got == Expect::kTooLarge || got == Expect::kFillRange;
    const std::size_t taken = after_naming && !exact ? 1 : 0;
    INVARIANT(st.store.names().size() <= names0 + taken, "failed call marked names: " + name);
  }
}

void op_add_variable(State& st, FuzzedDataProvider& in) {
  const std::string name = gen_name(in);
  PartialShape shape = gen_shape(in);
  if (!shape.known_rank) shape.known_rank = true;
  const DType dt = static_cast<DType>(in.ConsumeIntegralInRange<int>(0, kNumDTypes - 1));
  i64 numel = 0;
  bool negative = false;
  for (i64 d : shape.dims) negative |= d < 0;
  const int sc = negative ? 1 : size_class(shape.dims, dt, &numel);
  if (sc == 2) return;
  // As tf.Variable does: the graph name is taken (marked) first, then passed as final.
  const std::string graph_name = st.store.names().unique_name("", name, true);
  const std::size_t size0 = st.store.size();
  try {
    const auto id = st.store.add_variable(graph_name, shape.dims, dt, false, kGlobalVariables);
    INVARIANT(sc == 0 && id == st.vars.size(), graph_name);
    st.vars.push_back({"", graph_name, shape.dims, dt, kGlobalVariables, false});
  } catch (const ValueError&) {
    INVARIANT(sc == 1 && st.store.size() == size0, name);
  }
}

void op_discard(State& st, FuzzedDataProvider& in) {
  if (st.vars.empty() || in.ConsumeIntegralInRange<int>(0, 7) == 0) {
    const std::uint32_t bad = static_cast<std::uint32_t>(st.vars.size()) + in.ConsumeIntegral<std::uint8_t>();
    bool threw = false;
    try {
      st.store.discard_last(bad);
    } catch (const ValueError&) {
      threw = true;
    }
    INVARIANT(threw, "discard_last(" + std::to_string(bad) + ")");
    return;
  }
  const auto id = static_cast<std::uint32_t>(st.vars.size() - 1);
  const VarModel m = st.vars.back();
  st.store.discard_last(id);
  st.vars.pop_back();
  INVARIANT(!m.from_get_variable || !st.store.find(m.name), "still found: " + m.name);
}

void op_unique_name(State& st, FuzzedDataProvider& in) {
  const std::string scope = in.ConsumeBool() ? std::string() : gen_name(in);
  const std::string name = gen_name(in);
  const bool mark = in.ConsumeIntegralInRange<int>(0, 3) != 0;
  const std::size_t size0 = st.u.size();
  const std::string got = st.u.unique_name(scope, name, mark);
  const std::string full = join_name(scope, name);
  INVARIANT(got == full || (starts_with(got, full + "_") && got.size() > full.size() + 1),
            got + " from " + full);
  if (mark) {
    INVARIANT(st.returned.insert(lower(got)).second, "unique_name returned '" + got + "' twice");
    INVARIANT(st.u.is_used(got) && st.u.is_used(full), got);
  } else {
    INVARIANT(st.u.size() == size0 && !st.u.is_used(got), got);
  }
}

void op_validity(FuzzedDataProvider& in) {
  const std::string s = in.ConsumeBool() ? in.ConsumeRandomLengthString(24) : gen_name(in);
  const bool root = is_valid_root_name(s), scope = is_valid_scope_name(s);
  INVARIANT(root == ref_valid(s, true), "root: " + s);
  INVARIANT(scope == ref_valid(s, false), "scope: " + s);
  INVARIANT(!root || scope, "root-valid but scope-invalid: " + s);
}

void op_trie(State& st, FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange<int>(0, 3)) {
    case 0:
    case 1: {
      const std::string name = gen_name(in);
      const auto id = static_cast<std::uint32_t>(st.trie_names.size());
      st.trie.insert(name, id);
      st.trie_names.push_back(name);
      st.trie_live.push_back(true);
      break;
    }
    case 2: {
      if (st.trie_names.empty()) break;
      const auto id = in.ConsumeIntegralInRange<std::uint32_t>(
          0, static_cast<std::uint32_t>(st.trie_names.size() - 1));
      st.trie.erase(st.trie_names[id], id);
      st.trie_live[id] = false;
      break;
    }
    default: {
      std::string prefix = gen_name(in);
      if (!st.trie_names.empty() && in.ConsumeBool()) {  // a prefix of a stored name
        const std::string& n = st.trie_names[in.ConsumeIntegralInRange<std::size_t>(
            0, st.trie_names.size() - 1)];
        prefix = n.substr(0, in.ConsumeIntegralInRange<std::size_t>(0, n.size()));
      }
      const auto got = st.trie.list_prefix(prefix);
      INVARIANT(std::is_sorted(got.begin(), got.end()), prefix);
      INVARIANT(std::adjacent_find(got.begin(), got.end()) == got.end(), prefix);
      std::set<std::uint32_t> got_set(got.begin(), got.end());
      for (auto id : got) INVARIANT(id < st.trie_live.size() && st.trie_live[id], prefix);
      for (std::uint32_t id = 0; id < st.trie_names.size(); ++id) {
        if (st.trie_live[id] && starts_with(st.trie_names[id], prefix))
          INVARIANT(got_set.count(id), "list_prefix('" + prefix + "') missed " + st.trie_names[id]);
      }
      break;
    }
  }
}

void op_counters(State& st, FuzzedDataProvider& in) {
  std::string s = gen_name(in);
  if (!s.empty() && s.back() == '\n') s.pop_back();
  if (!VARSTORE_FUZZ_STRICT && s.empty()) s = "a";  // known bug: "" is the root
  switch (in.ConsumeIntegralInRange<int>(0, 5)) {
    case 0:
    case 1:
      st.counters.open_scope(s);
      st.tf.counts[s] += 1;
      break;
    case 2: {
      st.counters.close_subscopes(s);
      const std::string p = s + "/";
      for (auto& kv : st.tf.counts)
        if (starts_with(kv.first, p)) kv.second = 0;
      break;
    }
    case 3:
      if (in.ConsumeIntegralInRange<int>(0, 3) == 0) {
        st.counters.close_all_subscopes();
        for (auto& kv : st.tf.counts) kv.second = 0;
      }
      break;
    case 4:
      if (st.marks.size() < 8) st.marks.emplace_back(st.counters.begin_journal(), st.tf);
      break;
    default:
      if (!st.marks.empty()) {
        st.counters.rollback(st.marks.back().first);
        st.tf = st.marks.back().second;
        st.marks.pop_back();
      }
      break;
  }
  for (const auto& kv : st.tf.counts) {
    INVARIANT(st.counters.scope_count(kv.first) == kv.second,
              "count('" + kv.first + "') = " + std::to_string(st.counters.scope_count(kv.first)) +
                  ", TF " + std::to_string(kv.second));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  State st;
  for (int step = 0; step < 256 && in.remaining_bytes() > 0; ++step) {
    switch (in.ConsumeIntegralInRange<int>(0, 9)) {
      case 0: case 1: op_get_or_create(st, in); break;
      case 2: op_add_variable(st, in); break;
      case 3: op_discard(st, in); break;
      case 4: op_unique_name(st, in); break;
      case 5: op_validity(in); break;
      case 6: op_trie(st, in); break;
      case 7: op_counters(st, in); break;
      case 8: {
        std::string prefix = gen_name(in);
        if (!st.vars.empty() && in.ConsumeBool()) {
          const std::string& g = st.vars[in.ConsumeIntegralInRange<std::size_t>(0, st.vars.size() - 1)].graph_name;
          prefix = g.substr(0, in.ConsumeIntegralInRange<std::size_t>(0, g.size()));
        }
        check_store_listing(st, prefix, in.ConsumeIntegral<std::uint8_t>() & 7);
        break;
      }
      default: check_store(st); break;
    }
  }
  check_store(st);
  check_store_listing(st, "", 0);
  return 0;
}
