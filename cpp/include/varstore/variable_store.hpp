// VariableStore: owns every variable of one graph (name, shape, dtype, flags, buffer), the
// graph-wide name uniquifier and the scope trie. get_or_create() is the one call behind
// tf.get_variable: it checks the reuse mode, shape and dtype and either returns the existing
// variable or creates it, with TF's error messages. A failed call changes nothing.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "varstore/compact.hpp"
#include "varstore/dtype.hpp"
#include "varstore/name_trie.hpp"
#include "varstore/naming.hpp"
#include "varstore/tensor_buffer.hpp"

namespace varstore {

// A shape whose rank or dims may be unknown (TF's TensorShape); -1 marks an unknown dim.
struct PartialShape {
  bool known_rank = false;
  std::vector<std::int64_t> dims;

  bool fully_defined() const noexcept;
  bool compatible_with(const PartialShape& other) const noexcept;
  // TF's str(TensorShape): "(2,)", "(1, 2)", "()", "(None, 3)", "<unknown>".
  std::string str() const;
};

enum class ReuseMode : std::uint8_t { kCreate = 0, kReuse = 1, kAutoReuse = 2 };

// How a new variable's buffer is filled in C++ (anything else is filled from Python).
enum class Fill : std::uint8_t { kNone = 0, kConstant = 1 };

// Collection membership kept in the store so that scoped listing can use the trie.
enum CollectionBits : std::uint8_t {
  kGlobalVariables = 1,
  kTrainableVariables = 2,
  kLocalVariables = 4,
};

struct Variable {  // 64 bytes
  // store key ("foo/v"): what get_variable looks up
  std::string_view name() const noexcept { return {name_, name_len_}; }
  // the op name the graph gave it; usually the same characters
  std::string_view graph_name() const noexcept { return {graph_, graph_len_}; }
  DimsView shape() const noexcept { return {dims_, rank_}; }
  std::size_t numel() const noexcept { return nbytes / dtype_size(dtype); }

  const char* name_ = nullptr;          // in the store's StringArena
  const char* graph_ = nullptr;         // (== name_ unless the graph renamed it)
  const std::int64_t* dims_ = nullptr;  // in the store's DimsArena
  std::uint32_t name_len_ = 0;
  std::uint32_t graph_len_ = 0;
  std::uint32_t rank_ = 0;
  DType dtype = DType::kFloat32;
  bool trainable = true;
  bool from_get_variable = true;
  std::uint8_t collections = 0;
  std::uint64_t version = 0;  // bumped on every write through assign()
  void* data = nullptr;
  std::size_t nbytes = 0;
};

// The store's variables: chunks of 256 (16 KiB) that never move, found through a small table
// (32 KiB of chunk pointers at 1M variables, so it stays in cache): an index lookup's key check
// is one load from the index, and growing never copies or leaves old arrays behind.
class VariableTable {
 public:
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  Variable& operator[](std::size_t i) noexcept { return chunks_[i >> kShift][i & kMask]; }
  const Variable& operator[](std::size_t i) const noexcept {
    return chunks_[i >> kShift][i & kMask];
  }
  Variable& back() noexcept { return (*this)[size_ - 1]; }
  Variable& emplace_back() {
    if (size_ == chunks_.size() << kShift) {
      chunks_.reserve(chunks_.size() + 1);  // (both allocations before anything changes)
      chunks_.push_back(std::make_unique<Variable[]>(kChunk));
    }
    Variable& v = (*this)[size_];
    v = Variable{};
    ++size_;
    return v;
  }
  void pop_back() noexcept { --size_; }

 private:
  static constexpr std::size_t kShift = 8;
  static constexpr std::size_t kChunk = std::size_t{1} << kShift;
  static constexpr std::size_t kMask = kChunk - 1;
  std::vector<std::unique_ptr<Variable[]>> chunks_;
  std::size_t size_ = 0;
};

struct GetOrCreateResult {
  std::uint32_t id;
  bool created;
};

class VariableStore {
 public:
  VariableStore() = default;
  VariableStore(const VariableStore&) = delete;
  VariableStore& operator=(const VariableStore&) = delete;
  ~VariableStore();

  // tf.get_variable's store step. shape may be partially known when reusing; a new
  // variable needs a fully defined shape. fill/fill_value initialise the new buffer.
  GetOrCreateResult get_or_create(std::string_view name, const PartialShape& shape, DType dtype,
                                  ReuseMode reuse, bool trainable, std::uint8_t collections,
                                  Fill fill, double fill_value);

  // tf.Variable: a variable that is not found by get_variable. graph_name is final.
  std::uint32_t add_variable(std::string_view graph_name, const std::vector<std::int64_t>& shape,
                             DType dtype, bool trainable, std::uint8_t collections);

  // Undoes the most recent create (when its Python initializer failed).
  void discard_last(std::uint32_t id);

  std::optional<std::uint32_t> find(std::string_view name) const;
  const Variable& variable(std::uint32_t id) const;
  Variable& variable(std::uint32_t id);
  std::size_t size() const noexcept { return vars_.size(); }

  // Ids of variables (and of names added with add_variable) whose TF name, "<graph name>:0",
  // starts with prefix and whose collection bits include mask, in creation order. Walks only
  // the trie nodes under prefix.
  std::vector<std::uint32_t> list_prefix(std::string_view prefix, std::uint8_t mask) const;

  NameUniquifier& names() noexcept { return names_; }
  std::size_t arena_bytes() const noexcept { return arena_.bytes_reserved(); }

 private:
  // Number of elements of dims; ValueError for a negative dim or an impossible size.
  std::uint32_t lookup(std::string_view name, std::uint64_t hash) const {
    return by_name_.find(hash, [&](std::uint32_t id) { return vars_[id].name() == name; });
  }
  static std::int64_t check_size(std::string_view name, const std::vector<std::int64_t>& dims,
                                 DType dtype);
  // name: already interned in strings_ (or empty, for add_variable); name_hash: its
  // hash_view (used when from_get_variable).
  std::uint32_t create(std::string_view name, std::string_view graph_name,
                       const std::vector<std::int64_t>& dims, DType dtype, bool trainable,
                       bool from_get_variable, std::uint8_t collections,
                       std::uint64_t name_hash);

  VariableTable vars_;
  StringArena strings_;        // every variable's name characters
  DimsArena dims_;             // every variable's dims
  // Keys view the names in strings_.
  FlatIndex by_name_;          // get_variable names -> ids (keys are the variables' names)
  NameTrie trie_;
  NameUniquifier names_;
  BufferArena arena_;
};

}  // namespace varstore
