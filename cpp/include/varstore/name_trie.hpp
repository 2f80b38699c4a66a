// NameTrie: one node per scope path component ("model" -> "block_7" -> "layer_0").
// A node holds the ids of the variables whose name ends directly below it (in creation
// order) and the default_name counters of TF's variable-scope store. Listing a scope walks
// only that subtree; resetting the counters of every sub-scope is O(1) (an epoch stamp
// checked along the path, O(depth), when a counter is read).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

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
  struct Node {
    std::unordered_map<std::string, std::unique_ptr<Node>> children;
    std::vector<std::uint32_t> items;  // ids of names ending below this node
    std::int64_t count = 0;            // variable_scope default_name counter
    std::uint64_t count_stamp = 0;     // when count was last written
    std::uint64_t reset_stamp = 0;     // when the counters of all sub-scopes were reset
  };

  NameTrie() = default;

  // Adds id under the scope part of name ("a/b/v" -> node a/b). Creates nodes on the way.
  void insert(std::string_view name, std::uint32_t id);
  // Removes id from the node of name (used to roll back a failed create).
  void erase(std::string_view name, std::uint32_t id);

  // Ids of every name that starts with prefix (plain string prefix, as re.match of a
  // literal does), in ascending id order. Walks only the matching subtrees.
  std::vector<std::uint32_t> list_prefix(std::string_view prefix) const;

  // variable_scope default_name counters (TF's _VariableScopeStore.variable_scopes_count).
  std::int64_t scope_count(std::string_view scope_name) const;
  void open_scope(std::string_view scope_name);            // count += 1
  void close_subscopes(std::string_view scope_name);       // counts of scope_name/* = 0
  void close_all_subscopes();                              // every count = 0

  // Journal for re-entering a scope by object: TF snapshots every counter on entry and
  // restores them on exit. begin_journal() returns a mark; rollback(mark) undoes every
  // counter change made since, in O(changes).
  std::size_t begin_journal();
  void rollback(std::size_t mark);

 private:
  struct JournalEntry {
    Node* node;
    std::int64_t count;
    std::uint64_t count_stamp;
    std::uint64_t reset_stamp;
  };

  const Node* find_node(ScopePath path, std::uint64_t* max_reset) const;
  Node* find_or_create(ScopePath path, std::uint64_t* max_reset);
  void record(Node* node);
  static void collect(const Node& node, std::vector<std::uint32_t>& out);

  Node root_;
  std::uint64_t clock_ = 1;
  std::vector<JournalEntry> journal_;
  std::size_t journal_depth_ = 0;
};

}  // namespace varstore
