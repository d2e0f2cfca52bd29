// ssl.principal.mapping.rules, as Kafka's SslPrincipalMapper applies them to
// a client certificate's subject (SSL listeners only):
//   DEFAULT                        the subject as it is
//   RULE:pattern/replacement/[L|U] when the pattern matches the whole
//                                  subject: every match replaced (Java's
//                                  replaceAll: $n for a group, \ for a
//                                  literal; $n beyond the groups is literal),
//                                  then lower- or upper-cased
// Rules are separated by commas, tried in order; the first that applies
// names the principal. Differences: the patterns are RE2's, which has no
// look-around or back-references (such a rule is refused at start); L and U
// change ASCII letters only.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace re2 {
class RE2;
}

namespace kafkalite::security {

class PrincipalMapper {
 public:
  // Throws std::invalid_argument with Kafka's message for a rule it refuses.
  explicit PrincipalMapper(const std::string& rules);
  ~PrincipalMapper();

  // The principal's name, or none when no rule applies.
  std::optional<std::string> name(const std::string& subject) const;
  // "[RULE:..., DEFAULT]", as Kafka's message names the rules.
  std::string describe() const;

 private:
  struct Rule {
    bool is_default = true;
    std::string pattern_text, replacement;
    std::shared_ptr<re2::RE2> pattern;
    bool lower = false, upper = false;
  };
  std::optional<std::string> apply(const Rule& rule, const std::string& subject) const;
  std::vector<Rule> rules_;
};

}  // namespace kafkalite::security
