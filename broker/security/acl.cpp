#include "broker/security/acl.h"

#include <array>

namespace kafkalite::security {
namespace {

template <typename Enum, size_t N>
Enum decode(int8_t code) {
  return code >= 0 && static_cast<size_t>(code) < N ? static_cast<Enum>(code) : Enum::kUnknown;
}

template <size_t N>
const char* lookup(const std::array<const char*, N>& names, int8_t code) {
  return code >= 0 && static_cast<size_t>(code) < N ? names[static_cast<size_t>(code)] : names[0];
}

constexpr std::array<const char*, 8> kResourceTypes{"UNKNOWN", "ANY",   "TOPIC", "GROUP", "CLUSTER",
                                                    "TRANSACTIONAL_ID", "DELEGATION_TOKEN", "USER"};
constexpr std::array<const char*, 8> kResourceLogNames{"Unknown", "Any", "Topic", "Group", "Cluster",
                                                       "TransactionalId", "DelegationToken", "User"};
constexpr std::array<const char*, 5> kPatternTypes{"UNKNOWN", "ANY", "MATCH", "LITERAL", "PREFIXED"};
constexpr std::array<const char*, 16> kOperations{
    "UNKNOWN", "ANY",   "ALL",            "READ",             "WRITE",          "CREATE",
    "DELETE",  "ALTER", "DESCRIBE",       "CLUSTER_ACTION",   "DESCRIBE_CONFIGS", "ALTER_CONFIGS",
    "IDEMPOTENT_WRITE", "CREATE_TOKENS", "DESCRIBE_TOKENS", "TWO_PHASE_COMMIT"};
constexpr std::array<const char*, 4> kPermissions{"UNKNOWN", "ANY", "DENY", "ALLOW"};

}  // namespace

ResourceType resource_type_of(int8_t code) { return decode<ResourceType, kResourceTypes.size()>(code); }
PatternType pattern_type_of(int8_t code) { return decode<PatternType, kPatternTypes.size()>(code); }
AclOperation operation_of(int8_t code) { return decode<AclOperation, kOperations.size()>(code); }
AclPermission permission_of(int8_t code) { return decode<AclPermission, kPermissions.size()>(code); }

const char* name_of(ResourceType type) { return lookup(kResourceTypes, static_cast<int8_t>(type)); }
const char* log_name_of(ResourceType type) { return lookup(kResourceLogNames, static_cast<int8_t>(type)); }
const char* name_of(PatternType type) { return lookup(kPatternTypes, static_cast<int8_t>(type)); }
const char* name_of(AclOperation operation) { return lookup(kOperations, static_cast<int8_t>(operation)); }
const char* name_of(AclPermission permission) { return lookup(kPermissions, static_cast<int8_t>(permission)); }

bool AclFilter::matches(const Acl& acl) const {
  // ResourcePatternFilter.matches
  if (resource_type != ResourceType::kAny && resource_type != acl.resource_type) return false;
  if (pattern_type != PatternType::kAny && pattern_type != PatternType::kMatch && pattern_type != acl.pattern_type) {
    return false;
  }
  if (resource_name) {
    if (pattern_type == PatternType::kAny || pattern_type == acl.pattern_type) {
      if (*resource_name != acl.resource_name) return false;
    } else {  // MATCH: what would apply to a resource of this name
      const bool applies =
          acl.pattern_type == PatternType::kLiteral
              ? acl.resource_name == *resource_name || acl.resource_name == "*"
              : acl.pattern_type == PatternType::kPrefixed && resource_name->rfind(acl.resource_name, 0) == 0;
      if (!applies) return false;
    }
  }
  // AccessControlEntryFilter.matches
  if (principal && *principal != acl.principal) return false;
  if (host && *host != acl.host) return false;
  if (operation != AclOperation::kAny && operation != acl.operation) return false;
  return permission == AclPermission::kAny || permission == acl.permission;
}

}  // namespace kafkalite::security
