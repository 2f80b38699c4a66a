// Native tests of the naming rules (varstore/naming.hpp): TF's name validity regexes,
// join_name / strip_scope_slash and the graph-wide NameUniquifier (Graph.unique_name).
// Self-contained harness: prints "N passed, N failed", exits non-zero on failure.
#include <cstdio>
#include <functional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "varstore/naming.hpp"

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

using varstore::is_valid_root_name;
using varstore::is_valid_scope_name;
using varstore::NameUniquifier;

// Plain re-implementation of the two regexes (re.match with '$'), used for the exhaustive
// single- and two-character sweep below.
bool ref_scope_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '.' || c == '\\' || c == '/' || c == '>' || c == '-';
}
bool ref_match(const std::string& s, bool root) {
  std::string t = s;
  if (!t.empty() && t.back() == '\n') t.pop_back();  // '$' matches before one final '\n'
  if (root) {
    if (t.empty()) return false;
    const unsigned char f = static_cast<unsigned char>(t[0]);
    if (!(ref_scope_char(f) && f != '_' && f != '\\' && f != '/' && f != '>' && f != '-'))
      return false;
    for (std::size_t i = 1; i < t.size(); ++i)
      if (!ref_scope_char(static_cast<unsigned char>(t[i]))) return false;
    return true;
  }
  for (char c : t)
    if (!ref_scope_char(static_cast<unsigned char>(c))) return false;
  return true;
}

void test_validity() {
  run_case("root names: valid", [] {
    for (const char* n : {"a", "A", "0", ".", "a_b", "a.b", "a-b", "a>b", "a/b", "a\\b", "a/",
                          "model/block_7/layer_0/kernel", "..", "9lives", "a\n", "x//y"}) {
      CHECK(is_valid_root_name(n), "'%s' should be a valid root name", n);
    }
  });
  run_case("root names: invalid", [] {
    for (const char* n : {"", "_a", "/a", "-a", ">a", "\\a", "a b", "a:0", "a\n\n", "\n", "\na",
                          "a\nb", " a", "a\t", "a$", "a\r", "a\r\n"}) {
      CHECK(!is_valid_root_name(n), "'%s' should be an invalid root name", n);
    }
    CHECK(!is_valid_root_name(std::string("a\0b", 3)), "embedded NUL");
    CHECK(!is_valid_root_name("\xc3\xa9t\xc3\xa9"), "non-ASCII");
    CHECK(!is_valid_root_name("a\xff"), "byte 0xff");
  });
  run_case("scope names: valid", [] {
    for (const char* n : {"", "a", "_a", "/a", "-a", ">a", "\\a", "a/b/", "_", "\n", "a\n", "//"}) {
      CHECK(is_valid_scope_name(n), "'%s' should be a valid scope name", n);
    }
  });
  run_case("scope names: invalid", [] {
    for (const char* n : {"a b", "a:b", "\n\n", "a\n\n", "\na", "a\nb", "a$", "a\t", "a\r\n"}) {
      CHECK(!is_valid_scope_name(n), "'%s' should be an invalid scope name", n);
    }
    CHECK(!is_valid_scope_name(std::string("\0", 1)), "NUL");
    CHECK(!is_valid_scope_name("\xe2\x82\xac"), "non-ASCII");
  });
  run_case("validity: every 1- and 2-byte string vs the reference", [] {
    for (int a = 0; a < 256; ++a) {
      std::string s1(1, static_cast<char>(a));
      CHECK(is_valid_root_name(s1) == ref_match(s1, true), "root byte %d", a);
      CHECK(is_valid_scope_name(s1) == ref_match(s1, false), "scope byte %d", a);
      for (int b = 0; b < 256; ++b) {
        std::string s2 = s1 + static_cast<char>(b);
        CHECK(is_valid_root_name(s2) == ref_match(s2, true), "root bytes %d %d", a, b);
        CHECK(is_valid_scope_name(s2) == ref_match(s2, false), "scope bytes %d %d", a, b);
      }
    }
  });
}

void test_join_strip() {
  run_case("join_name", [] {
    CHECK_EQ_STR(varstore::join_name("", "v"), "v");
    CHECK_EQ_STR(varstore::join_name("a", "v"), "a/v");
    CHECK_EQ_STR(varstore::join_name("a/b", "v"), "a/b/v");
    CHECK_EQ_STR(varstore::join_name("a", ""), "a/");
    CHECK_EQ_STR(varstore::join_name("", ""), "");
  });
  run_case("strip_scope_slash", [] {
    CHECK_EQ_STR(varstore::strip_scope_slash("a/"), "a");
    CHECK_EQ_STR(varstore::strip_scope_slash("a//"), "a/");
    CHECK_EQ_STR(varstore::strip_scope_slash("a"), "a");
    CHECK_EQ_STR(varstore::strip_scope_slash(""), "");
    CHECK_EQ_STR(varstore::strip_scope_slash("/"), "");
  });
}

void test_uniquifier() {
  run_case("unique_name: TF's sequence a_1, a, a, a, A, a_1", [] {
    NameUniquifier u;
    const char* in[] = {"a_1", "a", "a", "a", "A", "a_1"};
    const char* want[] = {"a_1", "a", "a_2", "a_3", "A_4", "a_1_1"};
    for (int i = 0; i < 6; ++i) CHECK_EQ_STR(u.unique_name("", in[i], true), want[i]);
  });
  run_case("unique_name: case-insensitive, keeps the caller's case", [] {
    NameUniquifier u;
    CHECK_EQ_STR(u.unique_name("", "Conv", true), "Conv");
    CHECK_EQ_STR(u.unique_name("", "conv", true), "conv_1");
    CHECK_EQ_STR(u.unique_name("", "CONV", true), "CONV_2");
    CHECK(u.is_used("cOnV_1"), "case-insensitive is_used");
    CHECK(u.is_used("CONV_2"), "composed names are marked");
  });
  run_case("unique_name: scope is joined", [] {
    NameUniquifier u;
    CHECK_EQ_STR(u.unique_name("s", "x", true), "s/x");
    CHECK_EQ_STR(u.unique_name("s", "x", true), "s/x_1");
    CHECK_EQ_STR(u.unique_name("S/x", "", true), "S/x/");
    CHECK_EQ_STR(u.unique_name("", "s/x", true), "s/x_2");
    CHECK(u.is_used("s/x"), "full name marked");
    CHECK(!u.is_used("x"), "leaf alone not marked");
  });
  run_case("unique_name: mark_as_used=false changes nothing", [] {
    NameUniquifier u;
    CHECK_EQ_STR(u.unique_name("", "a", false), "a");
    CHECK(u.size() == 0, "size %zu", u.size());
    CHECK_EQ_STR(u.unique_name("", "a", true), "a");
    CHECK_EQ_STR(u.unique_name("", "a", false), "a_1");
    CHECK_EQ_STR(u.unique_name("", "a", false), "a_1");
    CHECK(u.size() == 1, "size %zu", u.size());
    CHECK_EQ_STR(u.unique_name("", "a", true), "a_1");
  });
  run_case("mark_used / unmark / is_used", [] {
    NameUniquifier u;
    u.mark_used("V");
    CHECK(u.is_used("v"), "marked");
    CHECK_EQ_STR(u.unique_name("", "v", true), "v_1");
    u.unmark("v_1");
    u.unmark("v");
    CHECK(u.is_used("v"), "still marked once (by mark_used)");
    CHECK(!u.is_used("v_1"), "v_1 given back");
    u.unmark("V");
    CHECK(!u.is_used("v"), "unmarked");
    CHECK(u.size() == 0, "size %zu", u.size());
    u.unmark("never");  // no-op
    CHECK(u.size() == 0, "size %zu", u.size());
    CHECK_EQ_STR(u.unique_name("", "v", true), "v");
  });
  run_case("unmark restores the exact sequence (rollback of a create)", [] {
    NameUniquifier u;
    CHECK_EQ_STR(u.unique_name("", "w", true), "w");
    CHECK_EQ_STR(u.unique_name("", "w", true), "w_1");
    // Roll back the second one: both keys it touched.
    u.unmark("w_1");
    u.unmark("w");
    CHECK_EQ_STR(u.unique_name("", "w", true), "w_1");
    CHECK_EQ_STR(u.unique_name("", "w", true), "w_2");
  });
  run_case("unique names never repeat (10k mixed-case calls)", [] {
    NameUniquifier u;
    std::set<std::string> seen;
    const char* bases[] = {"a", "A", "a_1", "a_1_1", "b", "a_2", "B_1"};
    for (int i = 0; i < 10000; ++i) {
      std::string n = u.unique_name("", bases[i % 7], true);
      std::string low;
      for (char c : n) low += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      CHECK(seen.insert(low).second, "'%s' returned twice (case-insensitively)", n.c_str());
    }
  });
}

}  // namespace

int main() {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // keep the output if a sanitizer ends the process
  test_validity();
  test_join_strip();
  test_uniquifier();
  std::printf("%d passed, %d failed\n", g_passed, g_failed);
  return g_failed == 0 ? 0 : 1;
}
