// Native tests of the scope trie (varstore/name_trie.hpp): insert / erase / list_prefix over
// variable names, and the variable_scope default_name counters (open, close_subscopes,
// close_all with the O(1) epoch reset, and the rollback journal), checked against plain
// models of TF's behaviour (string-prefix filtering; TF's _VariableScopeStore dict).
// Self-contained harness: prints "N passed, N failed", exits non-zero on failure.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "varstore/name_trie.hpp"

#include "check.hpp"

namespace {

int g_passed = 0;
int g_failed = 0;

void run_case(const std::string& name, const std::function<void()>& fn) {
  try {
    fn();
    ++g_passed;
  } catch (const std::exception& e) {
    ++g_failed;
    std::printf("FAIL %s: %s\n", name.c_str(), e.what());
  }
}

using varstore::NameTrie;
using Ids = std::vector<std::uint32_t>;

std::string ids_str(const Ids& ids) {
  std::string s = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) s += (i ? "," : "") + std::to_string(ids[i]);
  return s + "]";
}

// A trie plus the list of names it holds, to check list_prefix against plain string matching.
struct Model {
  NameTrie trie;
  std::vector<std::string> names;  // by id; "" = erased

  std::uint32_t add(const std::string& name) {
    const auto id = static_cast<std::uint32_t>(names.size());
    trie.insert(name, id);
    names.push_back(name);
    return id;
  }
  Ids expected(const std::string& prefix) const {
    Ids out;
    for (std::uint32_t i = 0; i < names.size(); ++i)
      if (!names[i].empty() && names[i].compare(0, prefix.size(), prefix) == 0) out.push_back(i);
    return out;
  }
  // list_prefix returns candidates (callers filter the leaf): every true match must be there,
  // the result must be sorted without duplicates, and it holds only live ids.
  Ids filtered(const std::string& prefix) const {
    Ids got = trie.list_prefix(prefix);
    CHECK(std::is_sorted(got.begin(), got.end()), "unsorted %s", ids_str(got).c_str());
    CHECK(std::adjacent_find(got.begin(), got.end()) == got.end(), "duplicates %s",
          ids_str(got).c_str());
    Ids out;
    for (auto id : got) {
      CHECK(id < names.size() && !names[id].empty(), "dead id %u in %s", id, ids_str(got).c_str());
      if (names[id].compare(0, prefix.size(), prefix) == 0) out.push_back(id);
    }
    return out;
  }
  void check(const std::string& prefix) const {
    const Ids want = expected(prefix);
    const Ids got = filtered(prefix);
    CHECK(got == want, "list_prefix('%s'): got %s, want %s", prefix.c_str(), ids_str(got).c_str(),
          ids_str(want).c_str());
  }
};

void test_listing() {
  run_case("list_prefix: prefix in the middle of a component", [] {
    Model m;
    m.add("model/block_1/w");   // 0
    m.add("model/block_10/w");  // 1
    m.add("model/blocker/w");   // 2
    m.add("model/other/w");     // 3
    m.add("model/v");           // 4
    m.add("modelx/w");          // 5
    m.add("m");                 // 6
    m.add("model");             // 7
    m.add("model/block_1/b");   // 8
    for (const char* p : {"model/block", "model/block_1", "model/block_1/", "model/b", "mod",
                          "model", "model/", "m", "model/v", "model/vv", "x", "model/block_1/w",
                          "model/block_1/wx", "modelx"}) {
      m.check(p);
    }
    // Only the matching subtrees are walked: "model/other" and "modelx" are not candidates.
    const Ids got = m.trie.list_prefix("model/block");
    CHECK(std::find(got.begin(), got.end(), 3u) == got.end(), "%s", ids_str(got).c_str());
    CHECK(std::find(got.begin(), got.end(), 5u) == got.end(), "%s", ids_str(got).c_str());
  });
  run_case("list_prefix: exact scope with a trailing '/'", [] {
    Model m;
    m.add("a/b/v");   // 0
    m.add("a/bc/v");  // 1
    m.add("a/b");     // 2 (a variable named like the scope)
    m.add("a/b/c/d/e");  // 3
    const Ids got = m.filtered("a/b/");
    CHECK(got == (Ids{0, 3}), "%s", ids_str(got).c_str());
    m.check("a/b");
    m.check("a/b/c/");
  });
  run_case("list_prefix: empty prefix lists everything in creation order", [] {
    Model m;
    m.add("z/y/x");
    m.add("a");
    m.add("m/n");
    m.add("z/v");
    m.add("b");
    const Ids got = m.trie.list_prefix("");
    CHECK(got == (Ids{0, 1, 2, 3, 4}), "%s", ids_str(got).c_str());
  });
  run_case("list_prefix: creation order across scopes", [] {
    Model m;
    for (int i = 0; i < 50; ++i) m.add("s" + std::to_string((i * 7) % 5) + "/v" + std::to_string(i));
    const Ids got = m.filtered("s");
    CHECK(got.size() == 50, "%zu", got.size());
    CHECK(std::is_sorted(got.begin(), got.end()), "%s", ids_str(got).c_str());
    m.check("s3/");
    m.check("s3/v1");
  });
  run_case("list_prefix: missing scope gives nothing", [] {
    Model m;
    m.add("a/b/v");
    CHECK(m.trie.list_prefix("q/").empty(), "q/");
    CHECK(m.trie.list_prefix("a/q/r").empty(), "a/q/r");
    m.check("a/b/v/");
  });
  run_case("erase: removes one id; missing ids and scopes are no-ops", [] {
    Model m;
    m.add("a/v");  // 0
    m.add("a/w");  // 1
    m.add("b");    // 2
    m.trie.erase("a/w", 1);
    m.names[1].clear();
    m.check("a/");
    m.check("");
    m.trie.erase("a/w", 1);      // already gone
    m.trie.erase("q/r/s", 0);    // no such scope
    m.trie.erase("a/v", 7);      // no such id
    m.check("");
    m.trie.erase("b", 2);
    m.names[2].clear();
    m.check("");
    // The id can be reused after an erase (a discarded create).
    m.trie.insert("c/x", 1);
    m.names[1] = "c/x";
    m.check("c");
    m.check("");
  });
  run_case("names with empty components ('a//b/v': valid per TF's regex)", [] {
    Model m;
    m.add("a//b/v");  // 0
    m.add("a//v");    // 1
    m.add("a/b/v");   // 2
    m.add("a///c");   // 3
    for (const char* p : {"a", "a/", "a//", "a//b", "a//b/", "a//v", "a/b", "a///", "a///c"}) {
      m.check(p);
    }
  });
  run_case("list_prefix: randomized against string matching", [] {
    std::mt19937 rng(1234);
    const char* parts[] = {"a", "b", "ab", "a_1", "x", "A", "block", "block_1"};
    Model m;
    for (int i = 0; i < 2000; ++i) {
      std::string name;
      const int depth = 1 + static_cast<int>(rng() % 4);
      for (int d = 0; d < depth; ++d) name += (d ? "/" : "") + std::string(parts[rng() % 8]);
      m.add(name);
      if (rng() % 10 == 0) {  // roll back the last one, as discard_last does
        m.trie.erase(name, static_cast<std::uint32_t>(m.names.size() - 1));
        m.names.back().clear();
      }
    }
    for (int i = 0; i < 300; ++i) {
      std::string p = m.names[rng() % m.names.size()];
      p = p.substr(0, rng() % (p.size() + 1));
      m.check(p);
    }
  });
}

// TF's _VariableScopeStore.variable_scopes_count, verbatim semantics.
struct TfCounts {
  std::map<std::string, std::int64_t> counts;
  std::int64_t count(const std::string& s) const {
    auto it = counts.find(s);
    return it == counts.end() ? 0 : it->second;
  }
  void open(const std::string& s) { counts[s] += 1; }
  void close_subscopes(const std::string& s) {
    const std::string p = s + "/";
    for (auto& kv : counts)
      if (kv.first.compare(0, p.size(), p) == 0) kv.second = 0;
  }
  void close_all() {
    for (auto& kv : counts) kv.second = 0;
  }
};

void test_counters() {
  run_case("counters: open counts, unknown scopes are 0", [] {
    NameTrie t;
    CHECK(t.scope_count("a") == 0, "fresh");
    t.open_scope("a");
    t.open_scope("a");
    t.open_scope("a/b");
    CHECK(t.scope_count("a") == 2, "%lld", (long long)t.scope_count("a"));
    CHECK(t.scope_count("a/b") == 1, "a/b");
    CHECK(t.scope_count("a/b/c") == 0, "a/b/c");
    CHECK(t.scope_count("b") == 0, "b");
  });
  run_case("counters: close_subscopes resets the subtree only", [] {
    NameTrie t;
    for (const char* s : {"a", "a/b", "a/b/c", "ab", "ab/c", "b/a"}) t.open_scope(s);
    t.close_subscopes("a");
    CHECK(t.scope_count("a") == 1, "a itself is kept");
    CHECK(t.scope_count("a/b") == 0, "a/b");
    CHECK(t.scope_count("a/b/c") == 0, "a/b/c");
    CHECK(t.scope_count("ab") == 1, "ab is not below a");
    CHECK(t.scope_count("ab/c") == 1, "ab/c is not below a");
    CHECK(t.scope_count("b/a") == 1, "b/a");
    t.open_scope("a/b/c");  // starts from 0 again, not from the old value
    CHECK(t.scope_count("a/b/c") == 1, "%lld", (long long)t.scope_count("a/b/c"));
    t.close_subscopes("missing/scope");  // no-op
    CHECK(t.scope_count("a/b/c") == 1, "no-op");
  });
  run_case("counters: close_all", [] {
    NameTrie t;
    for (const char* s : {"a", "a/b", "c"}) t.open_scope(s);
    t.close_all_subscopes();
    CHECK(t.scope_count("a") == 0 && t.scope_count("a/b") == 0 && t.scope_count("c") == 0, "all 0");
    t.open_scope("a/b");
    CHECK(t.scope_count("a/b") == 1 && t.scope_count("a") == 0, "reopen");
  });
  run_case("counters: repeated resets at several depths", [] {
    NameTrie t;
    t.open_scope("a/b/c");
    t.close_subscopes("a/b");
    t.open_scope("a/b/c");
    t.open_scope("a/b/c");
    CHECK(t.scope_count("a/b/c") == 2, "%lld", (long long)t.scope_count("a/b/c"));
    t.close_subscopes("a");
    CHECK(t.scope_count("a/b/c") == 0, "ancestor reset");
    t.open_scope("a/b/d");
    CHECK(t.scope_count("a/b/d") == 1 && t.scope_count("a/b/c") == 0, "sibling");
  });
  run_case("journal: rollback restores every counter", [] {
    NameTrie t;
    t.open_scope("a");
    t.open_scope("a/x");
    const auto mark = t.begin_journal();
    t.open_scope("a");
    t.open_scope("a/x");
    t.open_scope("b/new");
    t.close_subscopes("a");
    t.close_all_subscopes();
    t.open_scope("a/x");
    t.rollback(mark);
    CHECK(t.scope_count("a") == 1, "%lld", (long long)t.scope_count("a"));
    CHECK(t.scope_count("a/x") == 1, "%lld", (long long)t.scope_count("a/x"));
    CHECK(t.scope_count("b/new") == 0, "new scope rolled back");
    // No journal open any more: changes stick.
    t.open_scope("a");
    CHECK(t.scope_count("a") == 2, "after rollback");
  });
  run_case("journal: nested begin/rollback", [] {
    NameTrie t;
    t.open_scope("s");
    const auto m0 = t.begin_journal();
    t.open_scope("s");          // 2
    t.open_scope("s/in");       // 1
    const auto m1 = t.begin_journal();
    t.open_scope("s/in");       // 2
    t.close_subscopes("s");     // s/in -> 0
    t.open_scope("t");
    t.rollback(m1);
    CHECK(t.scope_count("s") == 2, "inner rollback: s");
    CHECK(t.scope_count("s/in") == 1, "inner rollback: s/in %lld", (long long)t.scope_count("s/in"));
    CHECK(t.scope_count("t") == 0, "inner rollback: t");
    t.open_scope("u");          // still journaled by the outer mark
    t.rollback(m0);
    CHECK(t.scope_count("s") == 1, "outer rollback: s");
    CHECK(t.scope_count("s/in") == 0, "outer rollback: s/in");
    CHECK(t.scope_count("u") == 0, "outer rollback: u");
  });
  run_case("counters: randomized against TF's dict (journal included)", [] {
    std::mt19937 rng(99);
    const char* scopes[] = {"a", "a/b", "a/b/c", "ab", "ab/c", "b", "b/a", "a/bc", "a/b/c/d"};
    NameTrie t;
    TfCounts tf;
    std::vector<std::pair<std::size_t, TfCounts>> marks;
    for (int step = 0; step < 20000; ++step) {
      const std::string s = scopes[rng() % 9];
      switch (rng() % 8) {
        case 0: case 1: case 2: t.open_scope(s); tf.open(s); break;
        case 3: t.close_subscopes(s); tf.close_subscopes(s); break;
        case 4: if (rng() % 8 == 0) { t.close_all_subscopes(); tf.close_all(); } break;
        case 5: if (marks.size() < 4) marks.emplace_back(t.begin_journal(), tf); break;
        case 6:
          if (!marks.empty()) {
            t.rollback(marks.back().first);
            tf = marks.back().second;
            marks.pop_back();
          }
          break;
        default: break;
      }
      for (const char* q : scopes) {
        CHECK(t.scope_count(q) == tf.count(q), "step %d scope %s: %lld vs TF %lld", step, q,
              (long long)t.scope_count(q), (long long)tf.count(q));
      }
    }
  });
  // TF keys the counters by the full scope string: variable_scope("") at the root gives the
  // key "" and closes the keys starting with "/" (none); variable_scope("") inside "a" gives
  // the key "a/" (not "a") and closes "a//*" only.
  run_case("counters: TF semantics of the scope names '' and 'a/' (variable_scope(''))", [] {
    NameTrie t;
    TfCounts tf;
    auto both_open = [&](const std::string& s) { t.open_scope(s); tf.open(s); };
    auto both_close = [&](const std::string& s) { t.close_subscopes(s); tf.close_subscopes(s); };
    both_open("dense");
    both_open("a");
    both_open("a/d");
    both_open("a/");
    both_close("a/");
    both_open("");
    both_close("");
    for (const char* q : {"dense", "a", "a/d", "a/", ""}) {
      CHECK(t.scope_count(q) == tf.count(q), "scope '%s': %lld vs TF %lld", q,
            (long long)t.scope_count(q), (long long)tf.count(q));
    }
  });
}

}  // namespace

void test_reclaim() {
  run_case("closed sub-scopes are reclaimed: counters memory stays with the open scopes", [] {
    NameTrie t;
    // model/block_i/layer_j, as a model build opens them: 2,000 blocks x 25 layers.
    t.open_scope("model");
    for (int i = 0; i < 2000; ++i) {
      const std::string block = "model/block_" + std::to_string(i);
      t.open_scope(block);
      for (int j = 0; j < 25; ++j) {
        const std::string layer = block + "/layer_" + std::to_string(j);
        t.open_scope(layer);
        t.close_subscopes(layer);
      }
      CHECK(t.scope_count(block + "/layer_3") == 1, "layer open count");
      t.close_subscopes(block);
      CHECK(t.scope_count(block + "/layer_3") == 0, "reset by the block's exit");
    }
    CHECK(t.scope_count("model/block_7") == 1, "block count survives");
    CHECK(t.node_count() < 2000 + 64, "nodes %zu: the layers were reused", t.node_count());
    t.close_subscopes("model");
    CHECK(t.scope_count("model/block_7") == 0 && t.scope_count("model") == 1, "model");
    t.open_scope("model/block_7");
    CHECK(t.scope_count("model/block_7") == 1, "a reclaimed name counts from 0 again");
  });
  run_case("no reclaiming inside a journal (a scope re-entered by object)", [] {
    NameTrie t;
    t.open_scope("a/b/c");
    const std::size_t mark = t.begin_journal();
    t.close_subscopes("a");
    CHECK(t.scope_count("a/b/c") == 0, "reset");
    t.rollback(mark);
    CHECK(t.scope_count("a/b/c") == 1, "restored by the rollback");
  });
  run_case("ids keep their subtree", [] {
    NameTrie t;
    t.insert("a/b/v", 0);
    t.open_scope("a/b");
    t.close_subscopes("a");
    CHECK(t.list_prefix("a/") == std::vector<std::uint32_t>{0}, "the id is still listed");
    CHECK(t.scope_count("a/b") == 0, "its counter was reset");
  });
}

int main() {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // keep the output if a sanitizer ends the process
  test_listing();
  test_counters();
  test_reclaim();
  std::printf("%d passed, %d failed\n", g_passed, g_failed);
  return g_failed == 0 ? 0 : 1;
}
