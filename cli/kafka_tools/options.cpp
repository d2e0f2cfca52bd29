#include "cli/kafka_tools/options.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "common/java_properties.h"
#include "common/text.h"

namespace kafkalite::cli {

const OptionSpec* ToolOptions::find(const std::string& name) const {
  for (const auto& s : specs_) {
    if (s.name == name) return &s;
  }
  // joptsimple accepts an unambiguous prefix of a long option.
  const OptionSpec* match = nullptr;
  for (const auto& s : specs_) {
    if (s.name.rfind(name, 0) == 0) {
      if (match) return nullptr;
      match = &s;
    }
  }
  return match;
}

bool ToolOptions::parse(const std::vector<std::string>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.rfind("--", 0) != 0 || arg.size() == 2) {
      error_ = "Found non-option argument '" + arg + "'";  // Kafka's tools take no positional arguments
      return false;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const OptionSpec* spec = find(name);
    if (!spec) {
      error_ = name + " is not a recognized option";
      return false;
    }
    auto& slot = values_[spec->name];
    if (spec->argument.empty()) {
      if (inline_value) {
        error_ = "Option " + spec->name + " does not take an argument";
        return false;
      }
      continue;
    }
    const bool optional = spec->argument.front() == '[';
    if (inline_value) {
      slot.push_back(*inline_value);
    } else if (optional && (i + 1 >= args.size() || args[i + 1].rfind("--", 0) == 0)) {
      continue;
    } else if (i + 1 < args.size()) {
      slot.push_back(args[++i]);
    } else {
      error_ = "Option " + spec->name + " requires an argument";
      return false;
    }
  }
  return read_security();
}

bool ToolOptions::read_security() {
  // The client properties that say how to connect, files first, then the
  // --*-property items over them, as Kafka's tools merge them.
  std::map<std::string, std::string> properties;
  for (const char* option : {"command-config", "consumer.config", "producer.config"}) {
    for (const auto& path : values(option)) {
      std::ifstream in(path);
      if (!in) {
        error_ = "Could not read " + path + " (--" + option + ")";
        return false;
      }
      std::stringstream contents;
      contents << in.rdbuf();
      for (auto& [key, value] : java::parse_properties(contents.str())) properties[key] = value;
    }
  }
  for (const char* option : {"consumer-property", "producer-property"}) {
    for (const auto& item : values(option)) {
      const auto eq = item.find('=');
      if (eq != std::string::npos) properties[text::trim(item.substr(0, eq))] = item.substr(eq + 1);
    }
  }
  auto security = client::security_from_properties(properties);
  if (auto* why = std::get_if<std::string>(&security)) {
    error_ = *why;
    return false;
  }
  security_ = std::get<client::SecurityConfig>(security);
  return true;
}

std::optional<std::string> ToolOptions::value(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.front();
}

std::vector<std::string> ToolOptions::values(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

std::string ToolOptions::usage() const {
  std::string out = summary_ + "\n";
  size_t width = 0;
  std::vector<std::string> left;
  for (const auto& s : specs_) {
    left.push_back("--" + s.name + (s.argument.empty() ? "" : " <" + s.argument + ">"));
    width = std::max(width, left.back().size());
  }
  out += "Option" + std::string(width + 2 - 6, ' ') + "Description\n";
  out += "------" + std::string(width + 2 - 6, ' ') + "-----------\n";
  for (size_t i = 0; i < specs_.size(); ++i) {
    out += left[i] + std::string(width + 2 - left[i].size(), ' ') + specs_[i].description + "\n";
  }
  return out;
}

int ToolOptions::fail_with_usage(const std::string& message) const {
  std::cerr << message << "\n" << usage();
  return 1;
}

std::map<std::string, std::string> key_values(const std::vector<std::string>& items, std::string* error) {
  std::map<std::string, std::string> out;
  for (const auto& item : items) {
    const auto eq = item.find('=');
    if (eq == std::string::npos) {
      if (error) *error = "Invalid entry '" + item + "': expected key=value";
      return {};
    }
    out[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return out;
}

}  // namespace kafkalite::cli
