// Output for kafkalite's own commands, in the style of rpk and kcat: aligned
// tables with a bold header only on a terminal (NO_COLOR respected), or
// --format json for scripts; a progress line on stderr for long runs, only
// on a terminal.
#pragma once

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace kafkalite::cli {

bool colour_on(std::ostream& out);

class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  void print(std::ostream& out) const;
  // Rows as JSON objects keyed by the lower-cased header.
  nlohmann::ordered_json json() const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// "Produced 12,000 records (11.4 MiB) in 1.2 s" style progress, redrawn on
// one stderr line at most every 200 ms when stderr is a terminal.
class Progress {
 public:
  explicit Progress(std::string verb) : verb_(std::move(verb)), start_(std::chrono::steady_clock::now()) {}
  void add(size_t records, size_t bytes);
  void finish();
  size_t records() const { return records_; }
  size_t bytes() const { return bytes_; }
  double seconds() const;

 private:
  std::string line() const;
  std::string verb_;
  std::chrono::steady_clock::time_point start_, last_draw_{};
  size_t records_ = 0, bytes_ = 0;
  bool drawn_ = false;
};

}  // namespace kafkalite::cli
