#include "broker/security/principal_mapping.h"

#include <re2/re2.h>

#include <stdexcept>

#include "common/text.h"

namespace kafkalite::security {
namespace {

// Kafka's rule grammar (SslPrincipalMapper.RULE_PATTERN).
constexpr const char* kRule = R"((DEFAULT)|RULE:((?:\\.|[^\\/])*)/((?:\\.|[^\\/])*)/([LU]?).*?|(.*?))";

// The rules' texts as Kafka's splitter finds them (empty ones included).
std::vector<std::string> split_rules(const std::string& text) {
  static const RE2 splitter(std::string(R"(\s*()") + kRule + R"()\s*(?:,\s*|$))");
  std::vector<std::string> out;
  const re2::StringPiece input(text);
  size_t at = 0;
  re2::StringPiece groups[2];
  while (at <= input.size() && splitter.Match(input, at, input.size(), RE2::UNANCHORED, groups, 2)) {
    out.emplace_back(groups[1].data() ? std::string(groups[1]) : std::string());
    const size_t end = static_cast<size_t>(groups[0].data() - input.data()) + groups[0].size();
    at = groups[0].empty() ? end + 1 : end;  // as Java's find() after an empty match
  }
  return out;
}

std::string change_case(std::string s, bool upper) {
  for (char& c : s) {
    if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// Java's Matcher.appendReplacement for one match: $n is group n (more
// digits while such a group exists), \c is c; a $n beyond the groups is
// literal (Kafka escapes those before replacing).
std::string expand(const std::string& replacement, const re2::StringPiece* groups, int group_count) {
  std::string out;
  for (size_t i = 0; i < replacement.size(); ++i) {
    const char c = replacement[i];
    if (c == '\\' && i + 1 < replacement.size()) {
      out += replacement[++i];
    } else if (c == '$' && i + 1 < replacement.size() && replacement[i + 1] >= '0' && replacement[i + 1] <= '9') {
      int ref = replacement[i + 1] - '0';
      size_t j = i + 2;
      while (j < replacement.size() && replacement[j] >= '0' && replacement[j] <= '9' &&
             ref * 10 + (replacement[j] - '0') <= group_count) {
        ref = ref * 10 + (replacement[j] - '0');
        ++j;
      }
      if (ref > group_count) {
        out += c;
        continue;
      }
      if (groups[ref].data()) out.append(groups[ref].data(), groups[ref].size());
      i = j - 1;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

PrincipalMapper::PrincipalMapper(const std::string& rules) {
  static const RE2 parser(kRule);
  for (const auto& text : split_rules(text::trim(rules))) {
    re2::StringPiece groups[6];
    const re2::StringPiece input(text);
    if (!parser.Match(input, 0, input.size(), RE2::ANCHOR_START, groups, 6)) {
      throw std::invalid_argument("Invalid rule: " + text);
    }
    if (groups[0].size() != text.size()) {
      throw std::invalid_argument("Invalid rule: `" + text + "`, unmatched substring: `" +
                                  text.substr(groups[0].size()) + "`");
    }
    Rule rule;
    if (groups[1].data()) {
      rules_.push_back(rule);
    } else if (groups[2].data()) {  // an empty rule is ignored
      rule.is_default = false;
      rule.pattern_text = std::string(groups[2]);
      rule.replacement = std::string(groups[3]);
      rule.lower = groups[4] == "L";
      rule.upper = groups[4] == "U";
      rule.pattern = std::make_shared<RE2>(rule.pattern_text, RE2::Quiet);
      if (!rule.pattern->ok()) {
        throw std::invalid_argument("Invalid rule: `" + text + "`: " + rule.pattern->error() +
                                    " (kafkalite's patterns are RE2's: no look-around or back-references)");
      }
      rules_.push_back(std::move(rule));
    }
  }
}

PrincipalMapper::~PrincipalMapper() = default;

std::optional<std::string> PrincipalMapper::apply(const Rule& rule, const std::string& subject) const {
  if (rule.is_default) return subject;
  if (!RE2::FullMatch(subject, *rule.pattern)) return std::nullopt;
  // String.replaceAll: every match, left to right; an empty match moves on
  // by one character.
  const int group_count = rule.pattern->NumberOfCapturingGroups();
  std::vector<re2::StringPiece> groups(static_cast<size_t>(group_count) + 1);
  const re2::StringPiece input(subject);
  std::string out;
  size_t at = 0;
  size_t copied = 0;
  while (at <= input.size() &&
         rule.pattern->Match(input, at, input.size(), RE2::UNANCHORED, groups.data(), group_count + 1)) {
    const size_t start = static_cast<size_t>(groups[0].data() - input.data());
    const size_t end = start + groups[0].size();
    out.append(subject, copied, start - copied);
    out += expand(rule.replacement, groups.data(), group_count);
    copied = end;
    at = groups[0].empty() ? end + 1 : end;
  }
  out.append(subject, copied, std::string::npos);
  if (rule.lower) return change_case(out, false);
  if (rule.upper) return change_case(out, true);
  return out;
}

std::optional<std::string> PrincipalMapper::name(const std::string& subject) const {
  for (const auto& rule : rules_) {
    if (auto mapped = apply(rule, subject)) return mapped;
  }
  return std::nullopt;
}

std::string PrincipalMapper::describe() const {
  std::string out = "[";
  for (size_t i = 0; i < rules_.size(); ++i) {
    if (i > 0) out += ", ";
    const Rule& rule = rules_[i];
    if (rule.is_default) {
      out += "DEFAULT";
      continue;
    }
    out += "RULE:" + rule.pattern_text + "/" + rule.replacement;
    if (rule.lower) out += "/L";
    if (rule.upper) out += "/U";
  }
  return out + "]";
}

}  // namespace kafkalite::security
