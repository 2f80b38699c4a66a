#include "varstore/naming.hpp"

#include <string>

namespace varstore {
namespace {

bool is_alnum(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// [A-Za-z0-9_.\\/>-]
bool is_scope_char(char c) noexcept {
  return is_alnum(c) || c == '_' || c == '.' || c == '\\' || c == '/' || c == '>' || c == '-';
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
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
  if (!(is_alnum(first) || first == '.')) return false;
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

std::string NameUniquifier::unique_name(std::string_view scope, std::string_view name,
                                        bool mark_as_used) {
  std::string full = join_name(scope, name);
  const std::string key = to_lower(full);
  auto it = names_in_use_.find(key);
  const std::int64_t seen = it == names_in_use_.end() ? 0 : it->second;
  if (mark_as_used) {
    if (it == names_in_use_.end()) {
      names_in_use_.emplace(keys_.intern(key), 1);
    } else {
      it->second = seen + 1;
    }
  }
  if (seen == 0) return full;

  std::int64_t i = seen;
  std::string candidate = key;
  while (names_in_use_.count(candidate) != 0) {
    candidate = key + "_" + std::to_string(i);
    ++i;
  }
  if (mark_as_used) names_in_use_.emplace(keys_.intern(candidate), 1);
  return full + "_" + std::to_string(i - 1);
}

void NameUniquifier::mark_used(std::string_view name) {
  const std::string key = to_lower(name);
  auto it = names_in_use_.find(key);
  if (it == names_in_use_.end()) {
    names_in_use_.emplace(keys_.intern(key), 1);
  } else {
    ++it->second;
  }
}

void NameUniquifier::unmark(std::string_view name) {
  auto it = names_in_use_.find(to_lower(name));
  if (it == names_in_use_.end()) return;
  if (--it->second <= 0) names_in_use_.erase(it);
}

bool NameUniquifier::is_used(std::string_view name) const {
  return names_in_use_.count(to_lower(name)) != 0;
}

}  // namespace varstore
