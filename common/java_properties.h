// A properties file read as Java's Properties.load reads it, since Kafka's
// server.properties and client config files are read so:
//   - '#' or '!' first on a line makes it a comment; blank lines are skipped;
//   - a line ending in an odd number of backslashes goes on to the next,
//     whose leading whitespace is dropped (how JAAS entries are written);
//   - the key ends at the first unescaped '=', ':' or whitespace; then
//     whitespace, one '=' or ':', and whitespace are skipped;
//   - \t \n \r \f and \uXXXX are decoded (\uXXXX as UTF-8), and a backslash
//     before any other character stands for that character.
// One difference: Java reads the file as ISO-8859-1, this keeps its bytes.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kafkalite::java {

// The (key, value) pairs in file order (a later key wins in Java's map).
inline std::vector<std::pair<std::string, std::string>> parse_properties(std::string_view text) {
  // Logical lines, with continuations joined and comments dropped.
  std::vector<std::string> lines;
  size_t pos = 0;
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\f'; };
  while (pos < text.size()) {
    std::string logical;
    bool continued = false;
    for (;;) {
      size_t end = pos;
      while (end < text.size() && text[end] != '\n' && text[end] != '\r') ++end;
      std::string_view natural = text.substr(pos, end - pos);
      pos = end;
      if (pos < text.size() && text[pos] == '\r') {
        ++pos;
        if (pos < text.size() && text[pos] == '\n') ++pos;
      } else if (pos < text.size()) {
        ++pos;  // '\n'
      }
      size_t lead = 0;
      while (lead < natural.size() && is_space(natural[lead])) ++lead;
      natural.remove_prefix(lead);
      if (!continued && (natural.empty() || natural[0] == '#' || natural[0] == '!')) break;
      size_t backslashes = 0;
      while (backslashes < natural.size() && natural[natural.size() - 1 - backslashes] == '\\') ++backslashes;
      if (backslashes % 2 == 1 && pos < text.size()) {
        logical.append(natural.substr(0, natural.size() - 1));
        continued = true;
        continue;
      }
      if (backslashes % 2 == 1) natural.remove_suffix(1);  // at the end of the file
      logical.append(natural);
      continued = true;
      break;
    }
    if (continued) lines.push_back(std::move(logical));
  }
  auto unescape = [](std::string_view raw) {
    std::string out;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '\\' || i + 1 >= raw.size()) {
        out += raw[i];
        continue;
      }
      const char c = raw[++i];
      if (c == 't') out += '\t';
      else if (c == 'n') out += '\n';
      else if (c == 'r') out += '\r';
      else if (c == 'f') out += '\f';
      else if (c == 'u') {
        unsigned code = 0;
        size_t digits = 0;
        while (digits < 4 && i + 1 < raw.size()) {
          const char h = raw[i + 1];
          const int v = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
                        : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
          if (v < 0) break;
          code = code * 16 + static_cast<unsigned>(v);
          ++digits;
          ++i;
        }
        if (code < 0x80) {
          out += static_cast<char>(code);
        } else if (code < 0x800) {
          out += static_cast<char>(0xC0 | (code >> 6));
          out += static_cast<char>(0x80 | (code & 0x3F));
        } else {
          out += static_cast<char>(0xE0 | (code >> 12));
          out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
          out += static_cast<char>(0x80 | (code & 0x3F));
        }
      } else {
        out += c;
      }
    }
    return out;
  };
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& line : lines) {
    size_t key_end = 0;
    while (key_end < line.size()) {
      const char c = line[key_end];
      if (c == '\\') {
        key_end += 2;
        continue;
      }
      if (c == '=' || c == ':' || is_space(c)) break;
      ++key_end;
    }
    key_end = std::min(key_end, line.size());
    size_t value_start = key_end;
    while (value_start < line.size() && is_space(line[value_start])) ++value_start;
    if (value_start < line.size() && (line[value_start] == '=' || line[value_start] == ':')) ++value_start;
    while (value_start < line.size() && is_space(line[value_start])) ++value_start;
    out.emplace_back(unescape(std::string_view(line).substr(0, key_end)),
                     unescape(std::string_view(line).substr(value_start)));
  }
  return out;
}

}  // namespace kafkalite::java
