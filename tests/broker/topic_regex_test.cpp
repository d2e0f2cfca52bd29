// Subscriptions by regular expression: RE2's syntax, whole names, and
// RE2/J's words for a mistake (the cross-check compares them with Kafka's).
#include "broker/group/topic_regex.h"

#include <gtest/gtest.h>

namespace kafkalite::testing {
namespace {

namespace group = kafkalite::broker::group;

TEST(TopicRegex, MatchesWholeNamesOnly) {
  const std::vector<std::string> names{"orders", "orders-eu", "old-orders", "Orders"};
  EXPECT_EQ(group::topics_matching("orders.*", names), (std::set<std::string>{"orders", "orders-eu"}));
  EXPECT_EQ(group::topics_matching("orders", names), (std::set<std::string>{"orders"}));
  EXPECT_EQ(group::topics_matching("(?i)orders", names), (std::set<std::string>{"orders", "Orders"}));
  EXPECT_EQ(group::topics_matching("(?<area>old|new)-orders", names), (std::set<std::string>{"old-orders"}));
  EXPECT_EQ(group::topics_matching("x|\\Q\\C\\E", {"x", "\\C", "C"}), (std::set<std::string>{"x", "\\C"}));
  EXPECT_EQ(group::topics_matching("[]o]rders", names), (std::set<std::string>{"orders"}));
  EXPECT_EQ(group::topics_matching("\\Qorders-eu\\E|old-\\w+", names), (std::set<std::string>{"orders-eu", "old-orders"}));
}

TEST(TopicRegex, InvalidExpressionsAreNamedAsRe2jNamesThem) {
  EXPECT_EQ(group::regex_problem("["), "missing closing ]");
  EXPECT_EQ(group::regex_problem("(ab"), "missing closing )");
  EXPECT_EQ(group::regex_problem("ab)"), "regexp/syntax: internal error");  // RE2/J's words, not RE2's
  EXPECT_EQ(group::regex_problem("\\C"), "invalid escape sequence");          // RE2 takes it as any byte
  EXPECT_EQ(group::regex_problem("(?<=a)b"), "invalid named capture");
  EXPECT_EQ(group::regex_problem("a**"), "invalid nested repetition operator");
  EXPECT_EQ(group::regex_problem("*a"), "missing argument to repetition operator");
  EXPECT_EQ(group::regex_problem("[z-a]"), "invalid character class range");
  EXPECT_EQ(group::regex_problem("x\\"), "trailing backslash at end of expression");
  EXPECT_EQ(group::regex_problem("a{1001}"), "invalid repeat count");
  EXPECT_EQ(group::regex_problem("orders-.*"), std::nullopt);
  std::string problem;
  EXPECT_TRUE(group::topics_matching("[", {"["}, &problem).empty());
  EXPECT_EQ(problem, "missing closing ]");
}

TEST(TopicRegex, NestedRepetitionDoesNotBacktrack) {
  // A backtracking matcher takes 2^n steps for this pair; RE2 takes n.
  const std::string name(240, 'a');
  EXPECT_TRUE(group::topics_matching("(a+)+b", {name + "c"}).empty());
  EXPECT_EQ(group::topics_matching("(a+)+", {name}).size(), 1u);
}

}  // namespace
}  // namespace kafkalite::testing
