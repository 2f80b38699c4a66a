// NameTrie: one node (32 bytes) per scope path component ("model" -> "block_7" -> "layer_0").
// A node holds the ids of the variables whose name ends directly below it (in creation
// order); a trie used for TF's variable-scope default_name counters keeps them beside its
// nodes. Listing a scope walks only that subtree; resetting the counters of every sub-scope
// is O(1) (an epoch stamp checked along the path, O(depth), when a counter is read), and the
// nodes below a closed scope are reclaimed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "varstore/compact.hpp"

namespace varstore {

// A scope path: the root, or one or more '/'-separated components, each possibly empty
// ("" is one empty component, "a/" is "a" then "", "/b" is "" then "b"), as TF's string
// names nest.
struct ScopePath {
  bool root;
  std::string_view text;
};

class NameTrie {
 public:
  NameTrie();

  // Adds id under name's scope ("a/b/v" goes to the node "a/b"); ids must be < 2^32 - 1.
  void insert(std::string_view name, std::uint32_t id);
  // The same, for a name whose characters outlive the trie (the store's interned names):
  // new nodes refer to them instead of copying their components.
  void insert_stable(std::string_view name, std::uint32_t id);
  // Removes id from name's scope (a rolled-back create).
  void erase(std::string_view name, std::uint32_t id);

  // Candidate ids for the names starting with prefix, sorted: the ids directly in prefix's
  // scope node (the caller checks their last component) and every id in the subtrees of
  // that node's children whose component starts with the rest of prefix. Walks only those.
  std::vector<std::uint32_t> list_prefix(std::string_view prefix) const;

  // variable_scope default_name counters (TF's _VariableScopeStore.variable_scopes_count).
  std::int64_t scope_count(std::string_view scope_name) const;
  void open_scope(std::string_view scope_name);            // count += 1
  // counts of scope_name/* = 0; the nodes below scope_name are then reclaimed (unless one
  // holds ids or a journal is open), so counters cost memory only for open scopes' children.
  void close_subscopes(std::string_view scope_name);
  void close_all_subscopes();                              // every count = 0

  // Snapshot/restore of the counters (TF copies them when a scope is re-entered by object).
  std::size_t begin_journal();
  void rollback(std::size_t mark);

  std::size_t node_count() const noexcept { return nodes_.size(); }

 private:
  static constexpr std::uint32_t kNil = 0xFFFFFFFFu;
  // Nodes live in one vector (index 0 is the root) and find their children through one
  // flat index keyed by (parent, component): 32 bytes per scope, no allocation per node.
  struct Node {
    const char* comp = nullptr;  // the component's characters, in strings_
    std::uint32_t comp_len = 0;
    std::uint32_t parent = kNil;
    std::uint32_t first_child = kNil;
    std::uint32_t next_sibling = kNil;
    std::uint32_t first_item = kNil;  // ids ending here, a list threaded through next_item_
    std::uint32_t last_item = kNil;

    std::string_view component() const noexcept { return {comp, comp_len}; }
  };
  // The variable_scope counter of a node; only tries used as counters have them (a store's
  // trie holds ids only), so they live beside the nodes, grown on first use.
  struct Counter {
    std::int64_t count = 0;         // variable_scope default_name counter
    std::uint64_t count_stamp = 0;  // when count was last written
    std::uint64_t reset_stamp = 0;  // when the counters of all sub-scopes were reset
  };
  struct JournalEntry {
    std::uint32_t node;
    std::int64_t count;
    std::uint64_t count_stamp;
    std::uint64_t reset_stamp;
  };

  std::uint32_t child(std::uint32_t parent, std::string_view part, std::uint64_t hash) const;
  std::uint32_t find_node(ScopePath path, std::uint64_t* max_reset) const;
  std::uint32_t find_or_create(ScopePath path, std::uint64_t* max_reset,
                               bool stable_chars = false);
  void insert_impl(std::string_view name, std::uint32_t id, bool stable_chars);
  void record(std::uint32_t node);
  void collect(std::uint32_t node, std::vector<std::uint32_t>& out,
               std::vector<std::uint32_t>& stack) const;
  void reclaim_children(std::uint32_t node);

  Counter& counter(std::uint32_t node);
  std::uint64_t reset_stamp(std::uint32_t node) const noexcept {
    return node < counters_.size() ? counters_[node].reset_stamp : 0;
  }

  std::vector<Node> nodes_;
  std::vector<Counter> counters_;
  FlatIndex children_;
  StringArena strings_;
  std::vector<std::uint32_t> next_item_;  // per id: the next id in its node's list
  // The node of the last insert's scope: variables are mostly created one scope at a time.
  std::string last_scope_;
  std::uint32_t last_node_ = kNil;
  std::vector<std::uint32_t> free_;   // reclaimed nodes, reused by find_or_create
  std::vector<std::uint32_t> stack_;  // scratch for subtree walks
  std::uint64_t clock_ = 1;
  std::vector<JournalEntry> journal_;
  std::size_t journal_depth_ = 0;
};

}  // namespace varstore
