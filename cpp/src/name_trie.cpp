#include "varstore/name_trie.hpp"

#include <algorithm>

namespace varstore {
namespace {

// The scope a full name lives in: "a/b/c" -> a/b; "c" -> the root; "/c" -> the "" component.
ScopePath scope_of(std::string_view name) {
  const auto slash = name.rfind('/');
  if (slash == std::string_view::npos) return {true, {}};
  return {false, name.substr(0, slash)};
}

// A scope name as given to the counters: the full key of TF's variable_scopes_count dict
// ("" and "a/" are keys of their own: close_subscopes("") closes only "/..." keys, as TF).
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

}  // namespace

NameTrie::Node* NameTrie::find_or_create(ScopePath scope_name, std::uint64_t* max_reset) {
  Node* node = &root_;
  std::uint64_t reset = 0;
  std::string key;
  for_each_component(scope_name, [&](std::string_view part) {
    reset = std::max(reset, node->reset_stamp);
    key.assign(part);
    auto it = node->children.find(key);
    if (it == node->children.end()) {
      it = node->children.emplace(key, std::make_unique<Node>()).first;
    }
    node = it->second.get();
  });
  if (max_reset != nullptr) *max_reset = reset;
  return node;
}

const NameTrie::Node* NameTrie::find_node(ScopePath scope_name,
                                          std::uint64_t* max_reset) const {
  const Node* node = &root_;
  std::uint64_t reset = 0;
  std::string key;
  bool missing = false;
  for_each_component(scope_name, [&](std::string_view part) {
    if (missing) return;
    reset = std::max(reset, node->reset_stamp);
    key.assign(part);
    auto it = node->children.find(key);
    if (it == node->children.end()) {
      missing = true;
      return;
    }
    node = it->second.get();
  });
  if (max_reset != nullptr) *max_reset = reset;
  return missing ? nullptr : node;
}

void NameTrie::insert(std::string_view name, std::uint32_t id) {
  find_or_create(scope_of(name), nullptr)->items.push_back(id);
}

void NameTrie::erase(std::string_view name, std::uint32_t id) {
  const Node* found = find_node(scope_of(name), nullptr);
  if (found == nullptr) return;
  auto& items = const_cast<Node*>(found)->items;
  auto it = std::find(items.rbegin(), items.rend(), id);
  if (it != items.rend()) items.erase(std::next(it).base());
}

void NameTrie::collect(const Node& node, std::vector<std::uint32_t>& out) {
  out.insert(out.end(), node.items.begin(), node.items.end());
  for (const auto& child : node.children) collect(*child.second, out);
}

std::vector<std::uint32_t> NameTrie::list_prefix(std::string_view prefix) const {
  std::vector<std::uint32_t> out;
  const auto slash = prefix.rfind('/');
  const ScopePath dir = scope_of(prefix);
  const std::string_view partial =
      slash == std::string_view::npos ? prefix : prefix.substr(slash + 1);
  const Node* node = find_node(dir, nullptr);
  if (node == nullptr) return out;
  // Names directly below `dir` are candidates (the caller checks their leaf against the
  // prefix); child scopes must start with the partial component.
  out.insert(out.end(), node->items.begin(), node->items.end());
  for (const auto& child : node->children) {
    if (child.first.compare(0, partial.size(), partial) == 0) collect(*child.second, out);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::int64_t NameTrie::scope_count(std::string_view scope_name) const {
  std::uint64_t reset = 0;
  const Node* node = find_node(scope_named(scope_name), &reset);
  if (node == nullptr || node->count_stamp <= reset) return 0;
  return node->count;
}

void NameTrie::record(Node* node) {
  if (journal_depth_ > 0) {
    journal_.push_back({node, node->count, node->count_stamp, node->reset_stamp});
  }
}

void NameTrie::open_scope(std::string_view scope_name) {
  std::uint64_t reset = 0;
  Node* node = find_or_create(scope_named(scope_name), &reset);
  const std::int64_t current = node->count_stamp <= reset ? 0 : node->count;
  record(node);
  node->count = current + 1;
  node->count_stamp = ++clock_;
}

void NameTrie::close_subscopes(std::string_view scope_name) {
  const Node* found = find_node(scope_named(scope_name), nullptr);
  if (found == nullptr) return;
  Node* node = const_cast<Node*>(found);
  record(node);
  node->reset_stamp = ++clock_;
}

void NameTrie::close_all_subscopes() {
  record(&root_);
  root_.reset_stamp = ++clock_;
}

std::size_t NameTrie::begin_journal() {
  ++journal_depth_;
  return journal_.size();
}

void NameTrie::rollback(std::size_t mark) {
  while (journal_.size() > mark) {
    const JournalEntry& e = journal_.back();
    e.node->count = e.count;
    e.node->count_stamp = e.count_stamp;
    e.node->reset_stamp = e.reset_stamp;
    journal_.pop_back();
  }
  if (journal_depth_ > 0) --journal_depth_;
}

}  // namespace varstore
