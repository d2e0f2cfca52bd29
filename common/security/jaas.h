// The JAAS configuration strings Kafka reads from `sasl.jaas.config`
// properties, e.g.
//   org.apache.kafka.common.security.plain.PlainLoginModule required
//     user_alice="alice-secret";
// parsed with the rules of Kafka's JaasConfig (Java's StreamTokenizer with
// `//` and `/* */` comments): one or more entries, each a login module class,
// a control flag and key=value options, ended by ';'. Values should be
// quoted: an unquoted value starting with a digit is a number to the
// tokenizer and refused, as Kafka refuses it.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace kafkalite::security {

struct LoginModule {
  std::string class_name;
  std::string flag;  // REQUIRED, REQUISITE, SUFFICIENT or OPTIONAL
  std::map<std::string, std::string> options;
};

// Throws std::invalid_argument with Kafka's message when the text is not
// a JAAS configuration.
std::vector<LoginModule> parse_jaas(const std::string& text);

inline constexpr const char* kPlainLoginModule = "org.apache.kafka.common.security.plain.PlainLoginModule";
inline constexpr const char* kScramLoginModule = "org.apache.kafka.common.security.scram.ScramLoginModule";

}  // namespace kafkalite::security
