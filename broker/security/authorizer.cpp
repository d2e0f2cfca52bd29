#include "broker/security/authorizer.h"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <stdexcept>

#include "broker/storage/keys.h"
#include "common/protocol/wire/random_uuid.h"
#include "common/protocol/wire/reader.h"
#include "common/protocol/wire/writer.h"
#include "common/text.h"

namespace kafkalite::security {
namespace {

constexpr int16_t kAclFormat = 1;
constexpr const char* kWildcardPrincipal = "User:*";
constexpr const char* kWildcard = "*";

std::string serialize_acl(const Acl& acl) {
  wire::Writer w;
  w.write_int16(kAclFormat);
  w.write_int8(static_cast<int8_t>(acl.resource_type));
  w.write_string(acl.resource_name, false);
  w.write_int8(static_cast<int8_t>(acl.pattern_type));
  w.write_string(acl.principal, false);
  w.write_string(acl.host, false);
  w.write_int8(static_cast<int8_t>(acl.operation));
  w.write_int8(static_cast<int8_t>(acl.permission));
  return std::string(w.bytes().begin(), w.bytes().end());
}

std::optional<Acl> parse_acl_value(std::string_view value) {
  wire::Reader r({reinterpret_cast<const uint8_t*>(value.data()), value.size()});
  if (r.read_int16() != kAclFormat) return std::nullopt;
  Acl acl;
  acl.resource_type = resource_type_of(r.read_int8());
  acl.resource_name = r.read_string(false);
  acl.pattern_type = pattern_type_of(r.read_int8());
  acl.principal = r.read_string(false);
  acl.host = r.read_string(false);
  acl.operation = operation_of(r.read_int8());
  acl.permission = permission_of(r.read_int8());
  if (!r.ok()) return std::nullopt;
  return acl;
}

// Does the ACL's pattern cover the resource?
bool applies(const Acl& acl, ResourceType type, const std::string& name) {
  if (acl.resource_type != type) return false;
  if (acl.pattern_type == PatternType::kLiteral) return acl.resource_name == name || acl.resource_name == kWildcard;
  return acl.pattern_type == PatternType::kPrefixed && name.rfind(acl.resource_name, 0) == 0;
}

// Does the ACL's operation answer a request for `operation`? An ALLOW of
// READ, WRITE, DELETE or ALTER also allows DESCRIBE, of ALTER_CONFIGS also
// DESCRIBE_CONFIGS; a DENY denies only what it names (or ALL).
bool operation_matches(const Acl& acl, AclOperation operation) {
  if (acl.operation == AclOperation::kAll || acl.operation == operation) return true;
  if (acl.permission != AclPermission::kAllow) return false;
  if (operation == AclOperation::kDescribe) {
    return acl.operation == AclOperation::kRead || acl.operation == AclOperation::kWrite ||
           acl.operation == AclOperation::kDelete || acl.operation == AclOperation::kAlter;
  }
  return operation == AclOperation::kDescribeConfigs && acl.operation == AclOperation::kAlterConfigs;
}

std::string matching_acl_rule(const Acl& acl) {
  return std::string("MatchingAcl(acl=StandardAcl(resourceType=") + name_of(acl.resource_type) +
         ", resourceName=" + acl.resource_name + ", patternType=" + name_of(acl.pattern_type) +
         ", principal=" + acl.principal + ", host=" + acl.host + ", operation=" + name_of(acl.operation) +
         ", permissionType=" + name_of(acl.permission) + "))";
}

}  // namespace

std::string java_host_address(const std::string& peer) {
  const auto colon = peer.rfind(':');
  std::string host = colon == std::string::npos ? peer : peer.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(host, ec);
  if (ec) return host;
  if (address.is_v4()) return address.to_string();
  const auto v6 = address.to_v6();
  if (v6.is_v4_mapped()) return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_string();
  const auto bytes = v6.to_bytes();
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 2) {
    if (i) out.push_back(':');
    out += fmt::format("{:x}", (bytes[i] << 8) | bytes[i + 1]);
  }
  if (v6.scope_id() != 0) out += "%" + std::to_string(v6.scope_id());
  return out;
}

const std::vector<AclOperation>& supported_operations(ResourceType type) {
  using O = AclOperation;
  static const std::vector<O> kTopic{O::kRead,     O::kWrite,           O::kCreate,         O::kDelete,
                                     O::kAlter,    O::kDescribe,        O::kDescribeConfigs, O::kAlterConfigs};
  static const std::vector<O> kGroup{O::kRead, O::kDescribe, O::kDelete, O::kDescribeConfigs, O::kAlterConfigs};
  static const std::vector<O> kCluster{O::kCreate,          O::kClusterAction, O::kDescribeConfigs, O::kAlterConfigs,
                                       O::kIdempotentWrite, O::kAlter,         O::kDescribe};
  static const std::vector<O> kTransactionalId{O::kDescribe, O::kWrite, O::kTwoPhaseCommit};
  static const std::vector<O> kDelegationToken{O::kDescribe};
  static const std::vector<O> kUser{O::kCreateTokens, O::kDescribeTokens};
  static const std::vector<O> kNone;
  switch (type) {
    case ResourceType::kTopic: return kTopic;
    case ResourceType::kGroup: return kGroup;
    case ResourceType::kCluster: return kCluster;
    case ResourceType::kTransactionalId: return kTransactionalId;
    case ResourceType::kDelegationToken: return kDelegationToken;
    case ResourceType::kUser: return kUser;
    default: return kNone;
  }
}

Authorizer::Authorizer(const config::BrokerConfig& config, storage::KvStore& store) : store_(store) {
  const std::string class_name = text::trim(config.get_or("authorizer.class.name", ""));
  if (!class_name.empty() && class_name != kStandardAuthorizer) {
    throw std::invalid_argument("Class " + class_name + " cannot be found (authorizer.class.name; kafkalite offers " +
                                kStandardAuthorizer + ")");
  }
  enabled_ = !class_name.empty();
  for (const auto& item : text::split(config.get_or("super.users", ""), ';')) {
    const std::string principal = text::trim(item);
    if (principal.empty()) continue;
    if (principal.find(':') == std::string::npos) {
      throw std::invalid_argument("expected a string in format principalType:principalName but got " + principal);
    }
    super_users_.insert(principal);
  }
  std::string everyone = text::trim(config.get_or("allow.everyone.if.no.acl.found", "false"));
  std::transform(everyone.begin(), everyone.end(), everyone.begin(), [](unsigned char c) { return std::tolower(c); });
  allow_if_no_acl_ = everyone == "true";
  const std::string begin = storage::keys::acls_prefix();
  store_.scan(begin, storage::keys::after_prefix(begin), [&](std::string_view key, std::string_view value) {
    if (auto acl = parse_acl_value(value)) {
      acls_[storage::keys::parse_acl(key)] = std::move(*acl);
    } else {
      spdlog::error("Skipping an ACL that cannot be read (format unknown)");
    }
    return true;
  });
}

Decision Authorizer::authorize(const Requester& who, AclOperation operation, ResourceType type,
                               const std::string& name) const {
  if (!enabled_) return {true, "NoAuthorizer"};
  if (super_users_.count(who.principal)) return {true, "SuperUser"};
  bool any_applies = false;
  const Acl* allow = nullptr;
  for (const auto& [id, acl] : acls_) {
    if (!applies(acl, type, name)) continue;
    any_applies = true;
    if (acl.principal != who.principal && acl.principal != kWildcardPrincipal) continue;
    if (acl.host != kWildcard && acl.host != who.host) continue;
    if (!operation_matches(acl, operation)) continue;
    if (acl.permission == AclPermission::kDeny) return {false, matching_acl_rule(acl)};
    if (acl.permission == AclPermission::kAllow && !allow) allow = &acl;
  }
  if (allow) return {true, matching_acl_rule(*allow)};
  if (any_applies || !allow_if_no_acl_) return {false, "DefaultDeny"};
  return {true, "DefaultAllow"};
}

int32_t Authorizer::authorized_operations(const Requester& who, ResourceType type, const std::string& name) const {
  int32_t bits = 0;
  for (AclOperation operation : supported_operations(type)) {
    if (authorize(who, operation, type, name).allowed) bits |= 1 << static_cast<int>(operation);
  }
  return bits;
}

bool Authorizer::authorize_by_resource_type(const Requester& who, AclOperation operation, ResourceType type) const {
  // Kafka asks first about a resource named "hardcode" (super users, the
  // default, a wildcard or prefix that covers the name).
  if (authorize(who, operation, type, "hardcode").allowed) return true;
  std::set<std::string> denied_literals, denied_prefixes, allowed_literals, allowed_prefixes;
  bool wildcard_allowed = false;
  for (const auto& [id, acl] : acls_) {
    if (acl.resource_type != type) continue;
    if (acl.host != who.host && acl.host != kWildcard) continue;
    if (acl.principal != who.principal && acl.principal != kWildcardPrincipal) continue;
    if (acl.operation != operation && acl.operation != AclOperation::kAll) continue;
    const bool literal = acl.pattern_type == PatternType::kLiteral;
    if (acl.permission == AclPermission::kDeny) {
      if (literal && acl.resource_name == kWildcard) return false;
      (literal ? denied_literals : denied_prefixes).insert(acl.resource_name);
    } else if (acl.permission == AclPermission::kAllow) {
      if (literal && acl.resource_name == kWildcard) wildcard_allowed = true;
      else (literal ? allowed_literals : allowed_prefixes).insert(acl.resource_name);
    }
  }
  if (wildcard_allowed) return true;
  auto dominated = [&](const std::string& name) {
    for (size_t length = 1; length <= name.size(); ++length) {
      if (denied_prefixes.count(name.substr(0, length))) return true;
    }
    return false;
  };
  for (const auto& name : allowed_literals) {
    if (!denied_literals.count(name) && !dominated(name)) return true;
  }
  for (const auto& name : allowed_prefixes) {
    if (!dominated(name)) return true;
  }
  return false;
}

std::vector<Acl> Authorizer::describe(const AclFilter& filter) const {
  std::vector<Acl> out;
  for (const auto& [id, acl] : acls_) {
    if (filter.matches(acl)) out.push_back(acl);
  }
  return out;
}

storage::WriteResult Authorizer::create(const std::vector<Acl>& acls) {
  std::vector<std::pair<wire::Uuid, Acl>> added;
  auto stored = [&](const Acl& acl) {
    return std::any_of(acls_.begin(), acls_.end(), [&](const auto& entry) { return entry.second == acl; }) ||
           std::any_of(added.begin(), added.end(), [&](const auto& entry) { return entry.second == acl; });
  };
  storage::WriteBatch batch;
  for (const auto& acl : acls) {
    if (stored(acl)) continue;  // the same ACL again: nothing to write
    wire::Uuid id;
    do {
      id = wire::random_uuid(random_);
    } while (acls_.count(id));
    batch.put(storage::keys::acl(id), serialize_acl(acl));
    added.emplace_back(id, acl);
  }
  if (added.empty()) return std::nullopt;
  if (auto failed = store_.apply(batch)) return failed;
  for (auto& [id, acl] : added) acls_.emplace(id, std::move(acl));
  return std::nullopt;
}

storage::WriteResult Authorizer::remove(const std::vector<AclFilter>& filters, std::vector<std::vector<Acl>>& matched) {
  matched.assign(filters.size(), {});
  std::set<wire::Uuid> ids;
  for (size_t i = 0; i < filters.size(); ++i) {
    for (const auto& [id, acl] : acls_) {
      if (filters[i].matches(acl)) {
        matched[i].push_back(acl);
        ids.insert(id);
      }
    }
  }
  if (ids.empty()) return std::nullopt;
  storage::WriteBatch batch;
  for (const auto& id : ids) batch.remove(storage::keys::acl(id));
  if (auto failed = store_.apply(batch)) return failed;
  for (const auto& id : ids) acls_.erase(id);
  return std::nullopt;
}

}  // namespace kafkalite::security
