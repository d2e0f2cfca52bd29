// ACLs as Kafka 4.1.1 has them: a resource pattern (type, name, LITERAL or
// PREFIXED), a principal ("User:alice", "User:*"), a host ("*" or an IP), an
// operation and ALLOW or DENY; and the filters DescribeAcls and DeleteAcls
// select them with (AclBindingFilter's rules). The wire's codes are the
// enums' values; a code out of range decodes to UNKNOWN.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace kafkalite::security {

enum class ResourceType : int8_t {
  kUnknown = 0, kAny = 1, kTopic = 2, kGroup = 3, kCluster = 4, kTransactionalId = 5, kDelegationToken = 6, kUser = 7
};
enum class PatternType : int8_t { kUnknown = 0, kAny = 1, kMatch = 2, kLiteral = 3, kPrefixed = 4 };
enum class AclOperation : int8_t {
  kUnknown = 0, kAny = 1, kAll = 2, kRead = 3, kWrite = 4, kCreate = 5, kDelete = 6, kAlter = 7, kDescribe = 8,
  kClusterAction = 9, kDescribeConfigs = 10, kAlterConfigs = 11, kIdempotentWrite = 12, kCreateTokens = 13,
  kDescribeTokens = 14, kTwoPhaseCommit = 15
};
enum class AclPermission : int8_t { kUnknown = 0, kAny = 1, kDeny = 2, kAllow = 3 };

ResourceType resource_type_of(int8_t code);
PatternType pattern_type_of(int8_t code);
AclOperation operation_of(int8_t code);
AclPermission permission_of(int8_t code);

// Kafka's names (its enums'), as its tools print them: "TOPIC", "LITERAL",
// "READ", "ALLOW"; and a resource type as the authorizer's log names it
// ("Topic", "TransactionalId").
const char* name_of(ResourceType type);
const char* log_name_of(ResourceType type);
const char* name_of(PatternType type);
const char* name_of(AclOperation operation);
const char* name_of(AclPermission permission);

// The only name of the CLUSTER resource.
inline constexpr const char* kClusterName = "kafka-cluster";

struct Acl {
  ResourceType resource_type = ResourceType::kUnknown;
  std::string resource_name;
  PatternType pattern_type = PatternType::kUnknown;
  std::string principal;
  std::string host;
  AclOperation operation = AclOperation::kUnknown;
  AclPermission permission = AclPermission::kUnknown;
  bool operator==(const Acl&) const = default;
};

// AclBindingFilter: ANY (and, for patterns, MATCH) match more than one
// value, a missing name, principal or host matches any.
struct AclFilter {
  ResourceType resource_type = ResourceType::kAny;
  std::optional<std::string> resource_name = std::nullopt;
  PatternType pattern_type = PatternType::kAny;
  std::optional<std::string> principal = std::nullopt;
  std::optional<std::string> host = std::nullopt;
  AclOperation operation = AclOperation::kAny;
  AclPermission permission = AclPermission::kAny;

  bool matches(const Acl& acl) const;
};

}  // namespace kafkalite::security
