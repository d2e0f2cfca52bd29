#include "tools/bench/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>

namespace kafkalite::bench {

namespace {

std::string number(double v) {
  if (std::isnan(v)) return "—";
  char text[32];
  if (std::fabs(v) >= 1e6) {
    std::snprintf(text, sizeof text, "%.2f M", v / 1e6);
  } else if (std::fabs(v) >= 1e4) {
    std::snprintf(text, sizeof text, "%.0f k", v / 1e3);
  } else if (std::fabs(v) >= 100) {
    std::snprintf(text, sizeof text, "%.0f", v);
  } else {
    std::snprintf(text, sizeof text, "%.3g", v);
  }
  return text;
}

std::string ratio(double ours, double theirs, bool lower_is_better) {
  if (std::isnan(ours) || std::isnan(theirs) || ours <= 0 || theirs <= 0) return "—";
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", lower_is_better ? theirs / ours : ours / theirs);
  return text;
}

nlohmann::json value(double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); }

}  // namespace

double median(std::vector<double> values) {
  if (values.empty()) return std::nan("");
  std::sort(values.begin(), values.end(), [](double a, double b) { return !std::isnan(a) && (std::isnan(b) || a < b); });
  return values[values.size() / 2];
}

Report::Report(std::string json_path) : json_path_(std::move(json_path)) {}

void Report::section(const std::string& title) {
  std::printf("\n### %s\n\n", title.c_str());
  std::printf("| | kafkalite | Kafka 4.1.1 | mock | × Kafka | × mock |\n|---|---:|---:|---:|---:|---:|\n");
  std::fflush(stdout);
  json_.push_back({{"section", title}, {"rows", nlohmann::json::array()}});
}

void Report::row(const std::string& label, const std::vector<double>& values, bool lower_is_better) {
  add(label, values, ratio(values[0], values[1], lower_is_better), ratio(values[0], values[2], lower_is_better),
      {"lower_is_better", lower_is_better});
}

void Report::medians(const std::string& label, const std::vector<std::vector<double>>& runs, bool lower_is_better) {
  std::vector<double> values;
  nlohmann::json kept = nlohmann::json::object();
  const char* names[] = {"kafkalite", "kafka", "mock"};
  for (size_t i = 0; i < runs.size(); ++i) {
    values.push_back(median(runs[i]));
    auto& list = kept[names[i]] = nlohmann::json::array();
    for (double v : runs[i]) list.push_back(value(v));
  }
  add(label, values, ratio(values[0], values[1], lower_is_better), ratio(values[0], values[2], lower_is_better),
      {"lower_is_better", lower_is_better}, kept);
}

void Report::figures(const std::string& label, const std::vector<double>& values) {
  add(label, values, "", "", {"ratios", false});
}

void Report::add(const std::string& label, const std::vector<double>& values, const std::string& versus_kafka,
                 const std::string& versus_mock, std::pair<std::string, bool> flag, const nlohmann::json& runs) {
  std::printf("| %s | %s | %s | %s | %s | %s |\n", label.c_str(), number(values[0]).c_str(), number(values[1]).c_str(),
              number(values[2]).c_str(), versus_kafka.c_str(), versus_mock.c_str());
  std::fflush(stdout);
  json_.back()["rows"].push_back({{"label", label},
                                  {"kafkalite", value(values[0])},
                                  {"kafka", value(values[1])},
                                  {"mock", value(values[2])},
                                  {flag.first, flag.second}});
  if (!runs.is_null()) json_.back()["rows"].back()["runs"] = runs;
  save();
}

void Report::single(const std::string& label, double v) { row(label, {v, std::nan(""), std::nan("")}, true); }

void Report::finish() {
  save();
  std::printf("\n× columns: how many times better kafkalite did (higher-is-better rows ours/theirs, the others "
              "theirs/ours). Raw numbers: %s\n",
              json_path_.c_str());
}

void Report::save() const {
  std::ofstream out(json_path_);
  out << json_.dump(2) << "\n";
}

}  // namespace kafkalite::bench
