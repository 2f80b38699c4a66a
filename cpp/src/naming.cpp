#include "varstore/naming.hpp"

#include <charconv>
#include <stdexcept>
#include <string>

namespace varstore {
namespace {

// Character classes of TF's name regexes, one table lookup per character:
// bit 1: [A-Za-z0-9.] (a root name's first character); bit 2: [A-Za-z0-9_.\\/>-].
struct NameChars {
  unsigned char bits[256] = {};
  constexpr NameChars() {
    for (int c = 0; c < 256; ++c) {
      const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      const bool first = alnum || c == '.';
      const bool scope = alnum || c == '_' || c == '.' || c == '\\' || c == '/' || c == '>' ||
                         c == '-';
      bits[c] = static_cast<unsigned char>((first ? 1 : 0) | (scope ? 2 : 0));
    }
  }
};
constexpr NameChars kNameChars;

bool is_root_first(char c) noexcept {
  return (kNameChars.bits[static_cast<unsigned char>(c)] & 1) != 0;
}

bool is_scope_char(char c) noexcept {
  return (kNameChars.bits[static_cast<unsigned char>(c)] & 2) != 0;
}

void lower_into(std::string_view s, std::string& out) {
  out.assign(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
}

// TF validates with re.match, whose '$' also matches before one trailing newline.
std::string_view strip_final_newline(std::string_view name) noexcept {
  if (!name.empty() && name.back() == '\n') name.remove_suffix(1);
  return name;
}

}  // namespace

bool is_valid_root_name(std::string_view name) noexcept {
  name = strip_final_newline(name);
  if (name.empty()) return false;
  const char first = name.front();
  if (!is_root_first(first)) return false;
  for (char c : name.substr(1)) {
    if (!is_scope_char(c)) return false;
  }
  return true;
}

bool is_valid_scope_name(std::string_view name) noexcept {
  name = strip_final_newline(name);
  for (char c : name) {
    if (!is_scope_char(c)) return false;
  }
  return true;
}

std::string join_name(std::string_view scope, std::string_view name) {
  std::string out;
  if (scope.empty()) {
    out.assign(name);
    return out;
  }
  out.reserve(scope.size() + 1 + name.size());
  out.append(scope);
  out.push_back('/');
  out.append(name);
  return out;
}

std::string_view strip_scope_slash(std::string_view name) noexcept {
  if (!name.empty() && name.back() == '/') name.remove_suffix(1);
  return name;
}

// One more use of an entry. Past 2^32 - 2 uses the count stays put: it is where the search
// for a free "_N" starts, and the search still finds one (TF's numbering is kept below that).
void NameUniquifier::bump(Entry& e) noexcept {
  if (e.count != kSaturated) ++e.count;
}

std::uint32_t NameUniquifier::find(std::string_view key, std::uint64_t hash) const {
  return index_.find(hash, [&](std::uint32_t id) { return entries_[id].view() == key; });
}

void NameUniquifier::add(std::string_view key, std::uint64_t hash, std::int64_t count,
                         bool stable_key) {
  if (entries_.size() >= FlatIndex::kNone - 1) throw std::length_error("too many names");
  const auto id = static_cast<std::uint32_t>(entries_.size());
  if (key.size() >= FlatIndex::kNone) throw std::length_error("name too long");
  const std::string_view stored = stable_key ? key : keys_.intern(key);
  entries_.push_back({stored.data(), static_cast<std::uint32_t>(stored.size()),
                      static_cast<std::uint32_t>(count)});
  try {
    index_.insert(hash, id);
  } catch (...) {
    entries_.pop_back();
    throw;
  }
}

std::string NameUniquifier::unique_name(std::string_view scope, std::string_view name,
                                        bool mark_as_used) {
  return std::string(unique_name_view(scope, name, mark_as_used));
}

std::string_view NameUniquifier::unique_name_view(std::string_view scope, std::string_view name,
                                                  bool mark_as_used) {
  return unique_impl(scope, name, mark_as_used, {});
}

std::string_view NameUniquifier::unique_name_stable(std::string_view name) {
  return unique_impl({}, name, true, name);
}

std::string_view NameUniquifier::unique_impl(std::string_view scope, std::string_view name,
                                             bool mark_as_used, std::string_view stable) {
  std::string& full = result_;
  full.clear();
  if (!scope.empty()) full.append(scope).push_back('/');
  full.append(name);
  // The key is the lower-cased name; most names have no capital: then it is `full` itself.
  std::string_view key = full;
  for (char c : full) {
    if (c >= 'A' && c <= 'Z') {
      lower_into(full, scratch_);
      key = scratch_;
      break;
    }
  }
  const std::uint64_t hash = hash_view(key);
  const std::uint32_t id = find(key, hash);
  const std::int64_t seen = id == FlatIndex::kNone ? 0 : entries_[id].count;
  if (mark_as_used) {
    if (id == FlatIndex::kNone) {
      const bool own = !stable.empty() && stable == key;  // already lower case and stable
      add(own ? stable : key, hash, 1, own);
    } else {
      bump(entries_[id]);
    }
  }
  if (seen == 0) {
    full.push_back('/');
    return {full.data(), full.size() - 1};
  }
  // The smallest i >= seen whose "<key>_<i>" is free.
  std::int64_t i = seen;
  std::uint64_t candidate_hash = 0;
  char digits[24];
  std::size_t ndigits = 0;
  while (true) {
    const auto end = std::to_chars(digits, digits + sizeof digits, i).ptr;
    ndigits = static_cast<std::size_t>(end - digits);
    candidate_.assign(key).push_back('_');
    candidate_.append(digits, ndigits);
    candidate_hash = hash_view(candidate_);
    if (find(candidate_, candidate_hash) == FlatIndex::kNone) break;
    ++i;
  }
  if (mark_as_used) add(candidate_, candidate_hash, 1);
  full.push_back('_');
  full.append(digits, ndigits).push_back('/');
  return {full.data(), full.size() - 1};
}

void NameUniquifier::mark_used(std::string_view name) {
  lower_into(name, scratch_);
  const std::uint64_t hash = hash_view(scratch_);
  const std::uint32_t id = find(scratch_, hash);
  if (id == FlatIndex::kNone) {
    add(scratch_, hash, 1);
  } else {
    bump(entries_[id]);
  }
}

void NameUniquifier::unmark(std::string_view name) {
  lower_into(name, scratch_);
  const std::uint64_t hash = hash_view(scratch_);
  const std::uint32_t id = find(scratch_, hash);
  if (id == FlatIndex::kNone) return;
  if (entries_[id].count != kSaturated && --entries_[id].count == 0) {
    index_.erase(hash, id);
    entries_[id].count = 0;
  }
}

bool NameUniquifier::is_used(std::string_view name) const {
  std::string key;
  lower_into(name, key);
  return find(key, hash_view(key)) != FlatIndex::kNone;
}

}  // namespace varstore
