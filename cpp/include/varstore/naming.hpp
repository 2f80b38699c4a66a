// Naming rules of a TF1 graph, as pure functions plus the graph-wide name uniquifier.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "varstore/compact.hpp"

namespace varstore {

// TF's _VALID_OP_NAME_REGEX: ^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*$ (names at the root).
bool is_valid_root_name(std::string_view name) noexcept;
// TF's _VALID_SCOPE_NAME_REGEX: ^[A-Za-z0-9_.\\/>-]*$ (scope names below the root).
bool is_valid_scope_name(std::string_view name) noexcept;

// "a" + "b" -> "a/b"; an empty scope leaves the name as it is.
std::string join_name(std::string_view scope, std::string_view name);

// Removes one trailing '/', as TF's name_from_scope_name does.
std::string_view strip_scope_slash(std::string_view name) noexcept;

// Graph.unique_name: names are compared case-insensitively; a used name gets "_N" with the
// smallest N whose composed name is free, and the composed name is marked as used too.
class NameUniquifier {
 public:
  std::string unique_name(std::string_view scope, std::string_view name, bool mark_as_used);
  // The same, as a view of an internal buffer valid until the next call on this object; the
  // character after the view is always '/' (callers make "name/" from the same buffer).
  std::string_view unique_name_view(std::string_view scope, std::string_view name,
                                    bool mark_as_used);
  // unique_name_view("", name, true) for a name whose characters live as long as this
  // uniquifier (the store's interned variable names): a new entry for an all-lower-case name
  // keys on those characters instead of a copy.
  std::string_view unique_name_stable(std::string_view name);
  // Marks an exact name (used by variables, whose name is already final).
  void mark_used(std::string_view name);
  // Undoes one mark_used (used when a create is rolled back).
  void unmark(std::string_view name);
  bool is_used(std::string_view name) const;
  std::size_t size() const noexcept { return index_.size(); }
  // Starts loading where a lookup of a name with this hash_view (lower-cased) begins.
  void prefetch(std::uint64_t hash) const noexcept { index_.prefetch(hash); }

 private:
  struct Entry {  // 16 bytes
    const char* key;     // lower-cased; the characters live in keys_ (or the store's names)
    std::uint32_t len;
    std::uint32_t count;  // times used, saturating (0: a dead entry, no longer in index_)

    std::string_view view() const noexcept { return {key, len}; }
  };
  // The entry id of `key` (lower-cased already), or FlatIndex::kNone.
  std::uint32_t find(std::string_view key, std::uint64_t hash) const;
  void add(std::string_view key, std::uint64_t hash, std::int64_t count,
           bool stable_key = false);
  std::string_view unique_impl(std::string_view scope, std::string_view name, bool mark_as_used,
                               std::string_view stable);

  static constexpr std::uint32_t kSaturated = 0xFFFFFFFFu;
  static void bump(Entry& e) noexcept;

  std::vector<Entry> entries_;
  FlatIndex index_;
  StringArena keys_;
  std::string scratch_;  // the lower-cased key being looked up (no allocation per call)
  std::string candidate_;
  std::string result_;
};

}  // namespace varstore
