#pragma once
// Subscriptions by regular expression (KIP-848's SubscribedTopicRegex).
// Kafka compiles them with RE2/J and matches whole topic names; RE2, its C++
// original, has the same syntax and, like RE2/J, matches in linear time, so a
// member's pattern cannot make the coordinator backtrack for ever. The two
// differ in a few spellings (topic_regex.cpp translates), all cross-checked.
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kafkalite::broker::group {

// Why Kafka refuses the expression, in RE2/J's words ("missing closing ]"),
// or nothing if it is valid.
std::optional<std::string> regex_problem(const std::string& regex);

// The names the expression matches whole; none if it is invalid, and then
// `problem` (when given) says why, as regex_problem does. Compiles it once.
std::set<std::string> topics_matching(const std::string& regex, const std::vector<std::string>& names,
                                      std::string* problem = nullptr);

}  // namespace kafkalite::broker::group
