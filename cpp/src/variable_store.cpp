#include "varstore/variable_store.hpp"

#include <cmath>
#include <cstring>
#include <type_traits>
#include <limits>
#include <new>

#include "varstore/errors.hpp"

namespace varstore {
namespace {

constexpr std::int64_t kMaxBytes = std::int64_t{1} << 46;  // 64 TiB: beyond any real buffer

std::string shape_str(const std::vector<std::int64_t>& dims) {
  PartialShape s;
  s.known_rank = true;
  s.dims = dims;
  return s.str();
}

template <typename T>
void fill_as(void* data, std::size_t n, double value) {
  if constexpr (std::is_integral_v<T>) {
    // An out-of-range (or non-finite) value cannot be converted: undefined behaviour in C++.
    if (!(value >= static_cast<double>(std::numeric_limits<T>::lowest()) &&
          value < static_cast<double>(std::numeric_limits<T>::max()) + 1.0)) {
      throw ValueError("constant " + std::to_string(value) +
                       " is out of range for the variable's integer dtype");
    }
  }
  T* p = static_cast<T*>(data);
  const T v = static_cast<T>(value);
  for (std::size_t i = 0; i < n; ++i) p[i] = v;
}

// IEEE half from double (round to nearest even, in one step: going through float would
// round twice), for constant fills of float16 variables.
std::uint16_t to_half(double value) {
  std::uint64_t x;
  std::memcpy(&x, &value, sizeof x);
  const auto sign = static_cast<std::uint32_t>((x >> 48) & 0x8000u);
  std::uint64_t mant = x & ((std::uint64_t{1} << 52) - 1);
  const int exp = static_cast<int>((x >> 52) & 0x7ffu);
  if (exp == 0x7ff) return static_cast<std::uint16_t>(sign | 0x7c00u | (mant ? 0x200u : 0u));
  const int e = exp - 1023 + 15;
  if (e >= 0x1f) return static_cast<std::uint16_t>(sign | 0x7c00u);
  if (e <= 0) {
    if (e < -10) return static_cast<std::uint16_t>(sign);
    mant |= std::uint64_t{1} << 52;
    const int shift = 43 - e;  // 43..53
    std::uint64_t half = mant >> shift;
    const std::uint64_t rem = mant & ((std::uint64_t{1} << shift) - 1);
    const std::uint64_t mid = std::uint64_t{1} << (shift - 1);
    if (rem > mid || (rem == mid && (half & 1u))) ++half;
    return static_cast<std::uint16_t>(sign | half);
  }
  std::uint64_t half = (static_cast<std::uint64_t>(e) << 10) | (mant >> 42);
  const std::uint64_t rem = mant & ((std::uint64_t{1} << 42) - 1);
  const std::uint64_t mid = std::uint64_t{1} << 41;
  if (rem > mid || (rem == mid && (half & 1u))) ++half;
  return static_cast<std::uint16_t>(sign | half);
}

void fill_constant(void* data, std::size_t n, DType dtype, double value) {
  if (value == 0.0 && !std::signbit(value)) return;  // buffers start zeroed (-0.0 is not)
  switch (dtype) {
    case DType::kFloat16: {
      const std::uint16_t h = to_half(value);
      auto* p = static_cast<std::uint16_t*>(data);
      for (std::size_t i = 0; i < n; ++i) p[i] = h;
      return;
    }
    case DType::kFloat32: fill_as<float>(data, n, value); return;
    case DType::kFloat64: fill_as<double>(data, n, value); return;
    case DType::kInt32: fill_as<std::int32_t>(data, n, value); return;
    case DType::kInt64: fill_as<std::int64_t>(data, n, value); return;
    case DType::kBool: fill_as<std::uint8_t>(data, n, value != 0.0 ? 1.0 : 0.0); return;
    case DType::kInt8: fill_as<std::int8_t>(data, n, value); return;
    case DType::kUInt8: fill_as<std::uint8_t>(data, n, value); return;
    case DType::kInt16: fill_as<std::int16_t>(data, n, value); return;
    case DType::kUInt16: fill_as<std::uint16_t>(data, n, value); return;
    case DType::kUInt32: fill_as<std::uint32_t>(data, n, value); return;
    case DType::kUInt64: fill_as<std::uint64_t>(data, n, value); return;
    case DType::kComplex64: {
      auto* p = static_cast<float*>(data);
      for (std::size_t i = 0; i < n; ++i) { p[2 * i] = static_cast<float>(value); p[2 * i + 1] = 0.0f; }
      return;
    }
    case DType::kComplex128: {
      auto* p = static_cast<double*>(data);
      for (std::size_t i = 0; i < n; ++i) { p[2 * i] = value; p[2 * i + 1] = 0.0; }
      return;
    }
  }
}

}  // namespace

std::int64_t VariableStore::check_size(std::string_view name,
                                       const std::vector<std::int64_t>& dims, DType dtype) {
  std::int64_t numel = 1;
  for (auto d : dims) {
    if (d < 0) {
      throw ValueError("Dimension " + std::to_string(d) + " must be >= 0 in shape " +
                       shape_str(dims) + " of variable " + std::string(name));
    }
    if (d != 0 && numel > kMaxBytes / d) {
      throw ValueError("Variable " + std::string(name) + " of shape " + shape_str(dims) +
                       " is too large to allocate");
    }
    numel *= d;
  }
  if (numel > kMaxBytes / static_cast<std::int64_t>(dtype_size(dtype))) {
    throw ValueError("Variable " + std::string(name) + " of shape " + shape_str(dims) +
                     " is too large to allocate");
  }
  return numel;
}

bool PartialShape::fully_defined() const noexcept {
  if (!known_rank) return false;
  for (auto d : dims) {
    if (d < 0) return false;
  }
  return true;
}

bool PartialShape::compatible_with(const PartialShape& other) const noexcept {
  if (!known_rank || !other.known_rank) return true;
  if (dims.size() != other.dims.size()) return false;
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (dims[i] >= 0 && other.dims[i] >= 0 && dims[i] != other.dims[i]) return false;
  }
  return true;
}

std::string PartialShape::str() const {
  if (!known_rank) return "<unknown>";
  std::string out = "(";
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (i > 0) out += ", ";
    out += dims[i] < 0 ? std::string("None") : std::to_string(dims[i]);
  }
  if (dims.size() == 1) out += ",";
  out += ")";
  return out;
}

VariableStore::~VariableStore() {
  for (std::size_t i = 0; i < vars_.size(); ++i) arena_.release(vars_[i].data, vars_[i].nbytes);
}

std::optional<std::uint32_t> VariableStore::find(std::string_view name) const {
  const std::uint32_t id = lookup(name, hash_view(name));
  if (id == FlatIndex::kNone) return std::nullopt;
  return id;
}

const Variable& VariableStore::variable(std::uint32_t id) const {
  if (id >= vars_.size()) throw ValueError("invalid variable id " + std::to_string(id));
  return vars_[id];
}

Variable& VariableStore::variable(std::uint32_t id) {
  if (id >= vars_.size()) throw ValueError("invalid variable id " + std::to_string(id));
  return vars_[id];
}

GetOrCreateResult VariableStore::get_or_create(std::string_view name, const PartialShape& shape,
                                               DType dtype, ReuseMode reuse, bool trainable,
                                               std::uint8_t collections, Fill fill,
                                               double fill_value) {
  const std::uint64_t hash = hash_view(name);
  by_name_.prefetch(hash);
  names_.prefetch(hash);  // (where a create's unique_name looks, for a name without capitals)
  const std::uint32_t existing = lookup(name, hash);
  if (existing != FlatIndex::kNone) {
    const Variable& found = vars_[existing];
    if (reuse == ReuseMode::kCreate) {
      throw VariableExistsError("Variable " + std::string(name) +
                                " already exists, disallowed. Did you mean to set reuse=True "
                                "or reuse=tf.AUTO_REUSE in VarScope?");
    }
    bool compatible = !shape.known_rank;
    if (!compatible && shape.dims.size() == found.shape().size()) {
      compatible = true;
      for (std::size_t i = 0; i < found.shape().size(); ++i) {
        if (shape.dims[i] >= 0 && shape.dims[i] != found.shape()[i]) compatible = false;
      }
    }
    if (!compatible) {
      PartialShape found_shape;
      found_shape.known_rank = true;
      found_shape.dims = found.shape().to_vector();
      throw ShapeMismatchError("Trying to share variable " + std::string(name) +
                               ", but specified shape " + shape.str() + " and found shape " +
                               found_shape.str() + ".");
    }
    if (dtype != found.dtype) {
      throw DTypeMismatchError("Trying to share variable " + std::string(name) +
                               ", but specified dtype " + std::string(dtype_name(dtype)) +
                               " and found dtype " + std::string(dtype_name(found.dtype)) + ".");
    }
    return {existing, false};
  }
  if (reuse == ReuseMode::kReuse) {
    throw VariableMissingError("Variable " + std::string(name) +
                               " does not exist, or was not created with tf.get_variable(). "
                               "Did you mean to set reuse=tf.AUTO_REUSE in VarScope?");
  }
  if (!shape.fully_defined()) {
    // TF's wording: a callable initializer needs a fully defined shape.
    throw ValueError(
        "The initializer passed is not valid. It should be a callable with no arguments and "
        "the shape should not be provided or an instance of `tf.keras.initializers.*' and "
        "`shape` should be fully defined.");
  }
  // Variables are named through name_scope(full_name) at the root: the full name must be a
  // valid root name (an empty name is not checked), a trailing '/' names it exactly.
  if (!name.empty() && !is_valid_root_name(name)) {
    throw InvalidNameError("'" + std::string(name) +
                           "' is not a valid root scope name. A root scope name has to match "
                           "the following pattern: ^[A-Za-z0-9.][A-Za-z0-9_.\\\\/>-]*$");
  }
  // The graph takes the name first, as TF's name_scope does: a create that fails from here
  // on (too large, an initializer error) adds no variable but leaves the name used, so the
  // next variable called `name` is `name_1`, exactly as in TF.
  const std::string_view stored = strings_.intern(name);  // (shared with the uniquifier)
  // (a view of the uniquifier's buffer: valid until its next call, after create())
  const std::string_view graph_name = (!name.empty() && name.back() == '/')
                                          ? strip_scope_slash(name)
                                          : names_.unique_name_stable(stored);
  check_size(name, shape.dims, dtype);
  const std::uint32_t id =
      create(stored, graph_name, shape.dims, dtype, trainable, true, collections, hash);
  Variable& v = vars_[id];
  if (fill == Fill::kConstant) {
    try {
      fill_constant(v.data, v.numel(), dtype, fill_value);
    } catch (...) {
      discard_last(id);
      throw;
    }
  }
  return {id, true};
}

std::uint32_t VariableStore::add_variable(std::string_view graph_name,
                                          const std::vector<std::int64_t>& shape, DType dtype,
                                          bool trainable, std::uint8_t collections) {
  return create({}, graph_name, shape, dtype, trainable, false, collections, 0);
}

std::uint32_t VariableStore::create(std::string_view name, std::string_view graph_name,
                                    const std::vector<std::int64_t>& dims, DType dtype,
                                    bool trainable, bool from_get_variable,
                                    std::uint8_t collections, std::uint64_t name_hash) {
  if (vars_.size() >= std::numeric_limits<std::uint32_t>::max()) {
    throw ValueError("too many variables in one graph");
  }
  // Size check first: nothing is touched when the shape is too large to allocate.
  const std::int64_t numel = check_size(graph_name, dims, dtype);
  const std::size_t nbytes = static_cast<std::size_t>(numel) * dtype_size(dtype);

  void* data = arena_.allocate(nbytes);  // std::bad_alloc -> MemoryError, nothing changed
  const auto id = static_cast<std::uint32_t>(vars_.size());
  bool pushed = false;
  bool in_trie = false;
  try {
    Variable& var = vars_.emplace_back();
    pushed = true;
    if (name.size() >= FlatIndex::kNone || graph_name.size() >= FlatIndex::kNone ||
        dims.size() >= FlatIndex::kNone) {
      throw ValueError("variable name or rank too large");
    }
    const std::string_view graph = graph_name == name ? name : strings_.intern(graph_name);
    var.name_ = name.data();  // interned by the caller
    var.name_len_ = static_cast<std::uint32_t>(name.size());
    var.graph_ = graph.data();
    var.graph_len_ = static_cast<std::uint32_t>(graph.size());
    var.dims_ = dims_.intern(dims.data(), dims.size());
    var.rank_ = static_cast<std::uint32_t>(dims.size());
    var.dtype = dtype;
    var.trainable = trainable;
    var.from_get_variable = from_get_variable;
    var.collections = collections;
    var.nbytes = nbytes;
    var.data = data;
    trie_.insert_stable(var.graph_name(), id);  // (its characters live in strings_)
    in_trie = true;
    if (from_get_variable) by_name_.insert(name_hash, id);
  } catch (...) {
    if (in_trie) trie_.erase(vars_.back().graph_name(), id);
    if (pushed) vars_.pop_back();
    arena_.release(data, nbytes);
    throw;
  }
  return id;
}

void VariableStore::discard_last(std::uint32_t id) {
  if (vars_.empty() || id != vars_.size() - 1) {
    throw ValueError("only the most recently created variable can be discarded");
  }
  Variable& v = vars_.back();
  trie_.erase(v.graph_name(), id);
  if (v.from_get_variable) by_name_.erase(hash_view(v.name()), id);
  arena_.release(v.data, v.nbytes);
  // The name stays used in the uniquifier, as in TF (see get_or_create).
  vars_.pop_back();
}

std::vector<std::uint32_t> VariableStore::list_prefix(std::string_view prefix,
                                                      std::uint8_t mask) const {
  std::vector<std::uint32_t> candidates = trie_.list_prefix(prefix);
  std::vector<std::uint32_t> out;
  out.reserve(candidates.size());
  for (auto id : candidates) {
    const Variable& v = vars_[id];
    if ((v.collections & mask) != mask) continue;
    // TF matches the variable's name, "<graph name>:0".
    const std::string_view g = v.graph_name();
    const bool match = prefix.size() <= g.size()
                           ? g.compare(0, prefix.size(), prefix) == 0
                           : prefix.size() <= g.size() + 2 && prefix.substr(0, g.size()) == g &&
                                 std::string_view(":0").substr(0, prefix.size() - g.size()) ==
                                     prefix.substr(g.size());
    if (match) out.push_back(id);
  }
  return out;
}

}  // namespace varstore
