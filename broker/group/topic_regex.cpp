#include "broker/group/topic_regex.h"

#include <re2/re2.h>

namespace kafkalite::broker::group {
namespace {

RE2::Options options() {
  RE2::Options o;
  o.set_log_errors(false);  // the coordinator logs the refusal in Kafka's words
  return o;
}

// RE2/J names its errors as Go's regexp/syntax does; RE2 has the same list.
std::string description(RE2::ErrorCode code, const std::string& fallback) {
  switch (code) {
    case RE2::ErrorBadEscape: return "invalid escape sequence";
    case RE2::ErrorBadCharClass: return "invalid character class";
    case RE2::ErrorBadCharRange: return "invalid character class range";
    case RE2::ErrorMissingBracket: return "missing closing ]";
    case RE2::ErrorMissingParen: return "missing closing )";
    case RE2::ErrorUnexpectedParen: return "regexp/syntax: internal error";  // RE2/J's own slip
    case RE2::ErrorTrailingBackslash: return "trailing backslash at end of expression";
    case RE2::ErrorRepeatArgument: return "missing argument to repetition operator";
    case RE2::ErrorRepeatSize: return "invalid repeat count";
    case RE2::ErrorRepeatOp: return "invalid nested repetition operator";
    case RE2::ErrorBadPerlOp: return "invalid or unsupported Perl syntax";
    case RE2::ErrorBadUTF8: return "invalid UTF-8";
    case RE2::ErrorBadNamedCapture: return "invalid named capture";
    default: return fallback;
  }
}

// Where RE2/J reads a pattern differently from RE2: it takes `(?<name>` as
// well as `(?P<name>` for a named group, and refuses `\C` (any byte) outside
// a character class. Returns the pattern in RE2's spelling, or why RE2/J
// refuses it.
struct Translated {
  std::string pattern;
  std::optional<std::string> problem;
};

Translated translate(const std::string& in) {
  Translated out;
  bool in_class = false;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '\\' && i + 1 < in.size()) {
      const char next = in[i + 1];
      if (next == 'Q') {  // a literal run, up to \E or the end
        const std::size_t end = in.find("\\E", i + 2);
        const std::size_t stop = end == std::string::npos ? in.size() : end + 2;
        out.pattern.append(in, i, stop - i);
        i = stop - 1;
        continue;
      }
      if (next == 'C' && !in_class) {
        out.problem = "invalid escape sequence";
        return out;
      }
      out.pattern.append(in, i, 2);
      ++i;
      continue;
    }
    if (in_class) {
      if (c == '[' && in.compare(i, 2, "[:") == 0) {  // [:alpha:] inside a class
        const std::size_t end = in.find(":]", i + 2);
        if (end != std::string::npos) {
          out.pattern.append(in, i, end + 2 - i);
          i = end + 1;
          continue;
        }
      }
      if (c == ']') in_class = false;
      out.pattern += c;
      continue;
    }
    if (c == '[') {  // a ']' right after '[' or '[^' is a member, not the end
      in_class = true;
      out.pattern += c;
      if (i + 1 < in.size() && in[i + 1] == '^') out.pattern += in[++i];
      if (i + 1 < in.size() && in[i + 1] == ']') out.pattern += in[++i];
      continue;
    }
    if (in.compare(i, 3, "(?<") == 0) {
      if (in.find('>', i + 3) == std::string::npos) {
        out.problem = "invalid named capture";
        return out;
      }
      out.pattern += "(?P<";
      i += 2;
      continue;
    }
    out.pattern += c;
  }
  return out;
}

}  // namespace

std::optional<std::string> regex_problem(const std::string& regex) {
  std::string problem;
  topics_matching(regex, {}, &problem);
  if (problem.empty()) return std::nullopt;
  return problem;
}

std::set<std::string> topics_matching(const std::string& regex, const std::vector<std::string>& names,
                                      std::string* problem) {
  std::set<std::string> out;
  const Translated t = translate(regex);
  if (t.problem) {
    if (problem) *problem = *t.problem;
    return out;
  }
  const RE2 compiled(t.pattern, options());
  if (!compiled.ok()) {
    if (problem) *problem = description(compiled.error_code(), compiled.error());
    return out;
  }
  for (const auto& name : names) {
    if (RE2::FullMatch(name, compiled)) out.insert(name);
  }
  return out;
}

}  // namespace kafkalite::broker::group
