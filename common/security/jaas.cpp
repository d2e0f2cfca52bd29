#include "common/security/jaas.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace kafkalite::security {
namespace {

// java.io.StreamTokenizer with JaasConfig's settings, for what JAAS text uses.
class Tokenizer {
 public:
  static constexpr int kEof = -1;
  static constexpr int kWord = -3;
  static constexpr int kNumber = -2;

  explicit Tokenizer(const std::string& text) : text_(text) {}

  // The next token's type: kEof, kWord, kNumber, a quote character (with
  // its string in sval) or an ordinary character.
  int next() {
    sval.reset();
    for (;;) {
      if (pos_ >= text_.size()) return type = kEof;
      const unsigned char c = static_cast<unsigned char>(text_[pos_]);
      if (c <= ' ') {
        ++pos_;
        continue;
      }
      if (c == '/') {  // '/' is a comment character: //, /* */, or / to the end of the line
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '*') {
          const size_t end = text_.find("*/", pos_ + 2);
          if (end == std::string::npos) return type = kEof;
          pos_ = end + 2;
          continue;
        }
        const size_t end = text_.find_first_of("\r\n", pos_);
        pos_ = end == std::string::npos ? text_.size() : end;
        continue;
      }
      if (digit(c)) return number();
      if (alpha(c)) {
        const size_t start = pos_;
        while (pos_ < text_.size() && (alpha(byte(pos_)) || digit(byte(pos_)))) ++pos_;
        sval = text_.substr(start, pos_ - start);
        return type = kWord;
      }
      if (c == '"' || c == '\'') return quoted(static_cast<char>(c));
      ++pos_;
      return type = c;
    }
  }

  int type = kEof;
  std::optional<std::string> sval;

 private:
  unsigned char byte(size_t i) const { return static_cast<unsigned char>(text_[i]); }
  // Letters, '-', '_', '$' and every byte of a multi-byte character.
  static bool alpha(unsigned char c) {
    return std::isalpha(c) || c == '-' || c == '_' || c == '$' || c >= 0x80;
  }
  // parseNumbers(): digits, '.' and '-' (a number comes before a word).
  static bool digit(unsigned char c) { return std::isdigit(c) || c == '.' || c == '-'; }

  int number() {
    if (text_[pos_] == '-') {
      if (pos_ + 1 >= text_.size() || !(std::isdigit(byte(pos_ + 1)) || text_[pos_ + 1] == '.')) {
        ++pos_;
        return type = '-';
      }
      ++pos_;
    }
    bool dot = false;
    while (pos_ < text_.size() && (std::isdigit(byte(pos_)) || (text_[pos_] == '.' && !dot))) {
      dot = dot || text_[pos_] == '.';
      ++pos_;
    }
    return type = kNumber;
  }

  // A quoted string ends at its quote, a line end or the end of the text;
  // backslash escapes as Java's.
  int quoted(char quote) {
    ++pos_;
    std::string out;
    while (pos_ < text_.size() && text_[pos_] != quote && text_[pos_] != '\n' && text_[pos_] != '\r') {
      char c = text_[pos_++];
      if (c == '\\' && pos_ < text_.size()) {
        c = text_[pos_++];
        switch (c) {
          case 'a': c = 0x7; break;
          case 'b': c = '\b'; break;
          case 'f': c = 0xC; break;
          case 'n': c = '\n'; break;
          case 'r': c = '\r'; break;
          case 't': c = '\t'; break;
          case 'v': c = 0xB; break;
          default:
            if (c >= '0' && c <= '7') {  // up to three octal digits (the first 0-3 for three)
              int value = c - '0';
              const int most = c <= '3' ? 2 : 1;
              for (int i = 0; i < most && pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '7'; ++i) {
                value = value * 8 + (text_[pos_++] - '0');
              }
              c = static_cast<char>(value);
            }
        }
      }
      out.push_back(c);
    }
    if (pos_ < text_.size() && text_[pos_] == quote) ++pos_;
    sval = std::move(out);
    return type = quote;
  }

  const std::string& text_;
  size_t pos_ = 0;
};

std::string control_flag(const std::optional<std::string>& flag) {
  if (!flag) throw std::invalid_argument("Login module control flag is not available in the JAAS config");
  std::string upper = *flag;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  if (upper == "REQUIRED" || upper == "REQUISITE" || upper == "SUFFICIENT" || upper == "OPTIONAL") return upper;
  throw std::invalid_argument("Invalid login module control flag '" + *flag + "' in JAAS config");
}

}  // namespace

std::vector<LoginModule> parse_jaas(const std::string& text) {
  Tokenizer t(text);
  std::vector<LoginModule> modules;
  while (t.next() != Tokenizer::kEof) {
    LoginModule module;
    if (!t.sval) throw std::invalid_argument("Login module not specified in JAAS config");
    module.class_name = *t.sval;
    if (t.next() == Tokenizer::kEof) {
      throw std::invalid_argument("Login module control flag not specified in JAAS config");
    }
    module.flag = control_flag(t.sval);
    while (t.next() != Tokenizer::kEof && t.type != ';') {
      const std::string key = t.sval.value_or("null");
      if (t.next() != '=' || t.next() == Tokenizer::kEof || !t.sval) {
        throw std::invalid_argument("Value not specified for key '" + key + "' in JAAS config");
      }
      module.options[key] = *t.sval;
    }
    if (t.type != ';') throw std::invalid_argument("JAAS config entry not terminated by semi-colon");
    modules.push_back(std::move(module));
  }
  if (modules.empty()) throw std::invalid_argument("Login module not specified in JAAS config");
  return modules;
}

}  // namespace kafkalite::security
