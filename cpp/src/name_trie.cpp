#include "varstore/name_trie.hpp"

#include <algorithm>
#include <stdexcept>

namespace varstore {
namespace {

// "a/b/v" -> the scope "a/b"; "v" -> the root.
ScopePath scope_of(std::string_view name) {
  const auto slash = name.rfind('/');
  if (slash == std::string_view::npos) return {true, {}};
  return {false, name.substr(0, slash)};
}

// A scope name as given (never the root: "" is one empty component).
ScopePath scope_named(std::string_view scope_name) { return {false, scope_name}; }

template <typename F>
void for_each_component(ScopePath path, F&& f) {
  if (path.root) return;
  std::string_view rest = path.text;
  while (true) {
    const auto slash = rest.find('/');
    f(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
}

// The key of a child in the index: its component's hash mixed with its parent.
std::uint64_t child_hash(std::uint32_t parent, std::string_view part) noexcept {
  return hash_bytes(part.data(), part.size(), 0x9E3779B97F4A7C15ull + parent);
}

}  // namespace

NameTrie::NameTrie() { nodes_.emplace_back(); }

std::uint32_t NameTrie::child(std::uint32_t parent, std::string_view part,
                              std::uint64_t hash) const {
  return children_.find(hash, [&](std::uint32_t id) {
    const Node& n = nodes_[id];
    return n.parent == parent && n.component() == part;
  });
}

std::uint32_t NameTrie::find_or_create(ScopePath scope_name, std::uint64_t* max_reset,
                                       bool stable_chars) {
  std::uint32_t node = 0;
  std::uint64_t reset = 0;
  for_each_component(scope_name, [&](std::string_view part) {
    reset = std::max(reset, reset_stamp(node));
    const std::uint64_t hash = child_hash(node, part);
    std::uint32_t next = child(node, part, hash);
    if (next == FlatIndex::kNone) {
      if (nodes_.size() >= FlatIndex::kNone - 1) throw std::length_error("too many scopes");
      Node created;
      const std::string_view chars = stable_chars ? part : strings_.intern(part);
      created.comp = chars.data();
      created.comp_len = static_cast<std::uint32_t>(chars.size());
      created.parent = node;
      created.next_sibling = nodes_[node].first_child;
      const bool reuse = !free_.empty();
      next = reuse ? free_.back() : static_cast<std::uint32_t>(nodes_.size());
      if (reuse) {
        nodes_[next] = created;
        if (next < counters_.size()) counters_[next] = Counter{};
        free_.pop_back();
      } else {
        nodes_.push_back(created);
      }
      try {
        children_.insert(hash, next);
      } catch (...) {
        if (reuse) {
          free_.push_back(next);
        } else {
          nodes_.pop_back();
        }
        throw;
      }
      nodes_[node].first_child = next;
    }
    node = next;
  });
  if (max_reset != nullptr) *max_reset = reset;
  return node;
}

std::uint32_t NameTrie::find_node(ScopePath scope_name, std::uint64_t* max_reset) const {
  std::uint32_t node = 0;
  std::uint64_t reset = 0;
  for_each_component(scope_name, [&](std::string_view part) {
    if (node == kNil) return;
    reset = std::max(reset, reset_stamp(node));
    node = child(node, part, child_hash(node, part));
  });
  if (max_reset != nullptr) *max_reset = reset;
  return node;
}

void NameTrie::insert(std::string_view name, std::uint32_t id) { insert_impl(name, id, false); }

void NameTrie::insert_stable(std::string_view name, std::uint32_t id) {
  insert_impl(name, id, true);
}

void NameTrie::insert_impl(std::string_view name, std::uint32_t id, bool stable_chars) {
  if (id == kNil) throw std::length_error("id out of range");
  if (id >= next_item_.size()) next_item_.resize(id + 1, kNil);  // (capacity grows 2x)
  const ScopePath scope = scope_of(name);
  std::uint32_t node = last_node_;
  if (node == kNil || scope.root || scope.text != last_scope_) {
    node = find_or_create(scope, nullptr, stable_chars);
    if (!scope.root) {
      last_scope_.assign(scope.text);
      last_node_ = node;
    }
  }
  Node& n = nodes_[node];
  next_item_[id] = kNil;
  if (n.last_item == kNil) {
    n.first_item = id;
  } else {
    next_item_[n.last_item] = id;
  }
  n.last_item = id;
}

void NameTrie::erase(std::string_view name, std::uint32_t id) {
  const std::uint32_t node = find_node(scope_of(name), nullptr);
  if (node == kNil) return;
  Node& n = nodes_[node];
  std::uint32_t prev = kNil;
  for (std::uint32_t cur = n.first_item; cur != kNil; prev = cur, cur = next_item_[cur]) {
    if (cur != id) continue;
    const std::uint32_t next = next_item_[cur];
    if (prev == kNil) {
      n.first_item = next;
    } else {
      next_item_[prev] = next;
    }
    if (n.last_item == cur) n.last_item = prev;
    next_item_[cur] = kNil;
    return;
  }
}

void NameTrie::collect(std::uint32_t node, std::vector<std::uint32_t>& out,
                       std::vector<std::uint32_t>& stack) const {
  // Depth-first without recursion (scopes can nest thousands deep).
  stack.push_back(node);
  while (!stack.empty()) {
    const Node& n = nodes_[stack.back()];
    stack.pop_back();
    for (std::uint32_t id = n.first_item; id != kNil; id = next_item_[id]) out.push_back(id);
    for (std::uint32_t c = n.first_child; c != kNil; c = nodes_[c].next_sibling) {
      stack.push_back(c);
    }
  }
}

std::vector<std::uint32_t> NameTrie::list_prefix(std::string_view prefix) const {
  std::vector<std::uint32_t> out;
  const auto slash = prefix.rfind('/');
  const ScopePath dir = scope_of(prefix);
  const std::string_view partial =
      slash == std::string_view::npos ? prefix : prefix.substr(slash + 1);
  const std::uint32_t node = find_node(dir, nullptr);
  if (node == kNil) return out;
  const Node& n = nodes_[node];
  std::vector<std::uint32_t> stack;
  for (std::uint32_t id = n.first_item; id != kNil; id = next_item_[id]) out.push_back(id);
  for (std::uint32_t c = n.first_child; c != kNil; c = nodes_[c].next_sibling) {
    if (nodes_[c].component().substr(0, partial.size()) == partial) collect(c, out, stack);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::int64_t NameTrie::scope_count(std::string_view scope_name) const {
  std::uint64_t reset = 0;
  const std::uint32_t node = find_node(scope_named(scope_name), &reset);
  if (node == kNil || node >= counters_.size()) return 0;
  const Counter& c = counters_[node];
  return c.count_stamp <= reset ? 0 : c.count;
}

NameTrie::Counter& NameTrie::counter(std::uint32_t node) {
  if (node >= counters_.size()) counters_.resize(std::max<std::size_t>(node + 1, nodes_.size()));
  return counters_[node];
}

void NameTrie::record(std::uint32_t node) {
  if (journal_depth_ > 0) {
    const Counter& c = counter(node);
    journal_.push_back({node, c.count, c.count_stamp, c.reset_stamp});
  }
}

void NameTrie::open_scope(std::string_view scope_name) {
  std::uint64_t reset = 0;
  const std::uint32_t node = find_or_create(scope_named(scope_name), &reset);
  counter(node);  // (allocated before the journal records it)
  record(node);
  Counter& c = counters_[node];
  const std::int64_t current = c.count_stamp <= reset ? 0 : c.count;
  c.count = current + 1;
  c.count_stamp = ++clock_;
}

void NameTrie::close_subscopes(std::string_view scope_name) {
  const std::uint32_t node = find_node(scope_named(scope_name), nullptr);
  if (node == kNil) return;
  counter(node);
  record(node);
  counters_[node].reset_stamp = ++clock_;
  if (journal_depth_ == 0 && journal_.empty()) reclaim_children(node);
}

// Every counter below node reads 0 now (its reset stamp): the nodes below it carry nothing
// and are dropped from the index and kept for reuse, unless one of them holds ids.
void NameTrie::reclaim_children(std::uint32_t node) {
  if (nodes_[node].first_child == kNil) return;
  std::vector<std::uint32_t>& stack = stack_;
  stack.clear();
  std::size_t begin = 0;
  for (std::uint32_t c = nodes_[node].first_child; c != kNil; c = nodes_[c].next_sibling) {
    stack.push_back(c);
  }
  while (begin < stack.size()) {  // breadth-first list of the whole subtree
    const Node& n = nodes_[stack[begin++]];
    if (n.first_item != kNil) return;  // ids live here: keep the subtree
    for (std::uint32_t c = n.first_child; c != kNil; c = nodes_[c].next_sibling) {
      stack.push_back(c);
    }
  }
  free_.reserve(free_.size() + stack.size());  // (so that nothing below can throw)
  for (const std::uint32_t id : stack) {
    Node& n = nodes_[id];
    children_.erase(child_hash(n.parent, n.component()), id);
    n = Node{};
    if (id < counters_.size()) counters_[id] = Counter{};
    free_.push_back(id);
    if (last_node_ == id) last_node_ = kNil;
  }
  nodes_[node].first_child = kNil;
}

void NameTrie::close_all_subscopes() {
  counter(0);
  record(0);
  counters_[0].reset_stamp = ++clock_;
}

std::size_t NameTrie::begin_journal() {
  ++journal_depth_;
  return journal_.size();
}

void NameTrie::rollback(std::size_t mark) {
  while (journal_.size() > mark) {
    const JournalEntry& e = journal_.back();
    Counter& c = counter(e.node);
    c.count = e.count;
    c.count_stamp = e.count_stamp;
    c.reset_stamp = e.reset_stamp;
    journal_.pop_back();
  }
  if (journal_depth_ > 0) --journal_depth_;
}

}  // namespace varstore
