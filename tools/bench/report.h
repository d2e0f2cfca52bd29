// kafkalite-bench's output: Markdown tables on stdout, a section at a time
// as results arrive, and every number in a JSON file (rewritten after each
// row, so an interrupted run keeps what it measured).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace kafkalite::bench {

// The middle value (of an even count, the upper middle); NaN for none. NaNs
// (runs that failed) sort last, so they count as the worst.
double median(std::vector<double> values);

class Report {
 public:
  explicit Report(std::string json_path);
  void section(const std::string& title);
  // kafkalite, Kafka 4.1.1, mock (NaN: not measured). The ratio columns say
  // how many times better kafkalite did: ours/theirs, or theirs/ours where
  // lower is better.
  void row(const std::string& label, const std::vector<double>& values, bool lower_is_better = false);
  // A row measured several times (runs[broker][i]): the medians printed and
  // compared, every run kept in the JSON.
  void medians(const std::string& label, const std::vector<std::vector<double>>& runs, bool lower_is_better = false);
  // Figures that are neither better nor worse (how a client used a broker): no ratios.
  void figures(const std::string& label, const std::vector<double>& values);
  // A figure measured for kafkalite alone.
  void single(const std::string& label, double value);
  void finish();

 private:
  // Prints a row with its ratio columns and keeps it with `flag` (what its ratios mean).
  void add(const std::string& label, const std::vector<double>& values, const std::string& versus_kafka,
           const std::string& versus_mock, std::pair<std::string, bool> flag, const nlohmann::json& runs = nullptr);
  void save() const;

  std::string json_path_;
  nlohmann::json json_ = nlohmann::json::array();
};

}  // namespace kafkalite::bench
