#include "cli/commands/output.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>

namespace kafkalite::cli {

bool colour_on(std::ostream& out) {
  if (std::getenv("NO_COLOR")) return false;
  const int fd = &out == &std::cerr ? STDERR_FILENO : STDOUT_FILENO;
  return isatty(fd) != 0;
}

void Table::print(std::ostream& out) const {
  std::vector<size_t> width(header_.size(), 0);
  for (size_t i = 0; i < header_.size(); ++i) width[i] = header_[i].size();
  for (const auto& r : rows_) {
    for (size_t i = 0; i < r.size() && i < width.size(); ++i) width[i] = std::max(width[i], r[i].size());
  }
  auto line = [&](const std::vector<std::string>& cells, bool bold) {
    std::string text;
    for (size_t i = 0; i < cells.size(); ++i) {
      text += cells[i];
      if (i + 1 < cells.size()) text += std::string(width[i] - cells[i].size() + 2, ' ');
    }
    out << (bold ? "\033[1m" + text + "\033[0m" : text) << "\n";
  };
  line(header_, colour_on(out));
  for (const auto& r : rows_) line(r, false);
}

nlohmann::ordered_json Table::json() const {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& r : rows_) {
    nlohmann::ordered_json o;
    for (size_t i = 0; i < header_.size() && i < r.size(); ++i) {
      std::string key = header_[i];
      std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return c == '-' || c == ' ' ? '_' : std::tolower(c); });
      o[key] = r[i];
    }
    out.push_back(o);
  }
  return out;
}

double Progress::seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

std::string Progress::line() const {
  char text[160];
  const double s = std::max(seconds(), 1e-6);
  std::snprintf(text, sizeof text, "%s %zu records (%.1f MiB) in %.1f s: %.0f records/s, %.1f MiB/s", verb_.c_str(),
                records_, static_cast<double>(bytes_) / (1 << 20), s, static_cast<double>(records_) / s,
                static_cast<double>(bytes_) / (1 << 20) / s);
  return text;
}

void Progress::add(size_t records, size_t bytes) {
  records_ += records;
  bytes_ += bytes;
  if (!isatty(STDERR_FILENO)) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  std::cerr << "\r" << line() << "\033[K" << std::flush;
  drawn_ = true;
}

void Progress::finish() {
  if (drawn_) std::cerr << "\r\033[K";
  std::cerr << line() << std::endl;
}

}  // namespace kafkalite::cli
