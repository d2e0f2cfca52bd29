// Kafka 4.1.1's StandardAuthorizer (authorizer.class.name =
// org.apache.kafka.metadata.authorizer.StandardAuthorizer), and the ACLs it
// decides by, kept durably under the 'E' keys (a change is written before
// memory is).
//   super.users                        "User:a;User:b": allowed everything
//   allow.everyone.if.no.acl.found     the answer when no ACL applies to the
//                                      resource at all (default false)
// A decision, as StandardAuthorizerData makes it: the ACLs that apply to
// the resource (LITERAL of its name or "*", PREFIXED of a prefix of it),
// for the principal or User:*, for the client's IP or "*":
//   1. a DENY of the operation (or ALL) denies;
//   2. else an ALLOW of it allows (READ, WRITE, DELETE and ALTER imply
//      DESCRIBE, ALTER_CONFIGS implies DESCRIBE_CONFIGS);
//   3. else, if any ACL applies to the resource, for anyone, deny;
//   4. else the default.
// Without authorizer.class.name every request is allowed, as in Kafka.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "broker/config/broker_config.h"
#include "broker/security/acl.h"
#include "broker/storage/kv_store.h"
#include "common/protocol/wire/types.h"

namespace kafkalite::security {

inline constexpr const char* kStandardAuthorizer = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

// Who asks, from where (the client's IP as Java prints it).
struct Requester {
  std::string principal;  // "User:alice"
  std::string host;       // "127.0.0.1"
};

// The IP of a "host:port" peer as Java's InetAddress.getHostAddress() prints
// it, which ACL hosts must equal: IPv4 dotted, IPv6 as eight uncompressed
// lower-case groups ("0:0:0:0:0:0:0:1"); an IPv4-mapped IPv6 address as IPv4.
std::string java_host_address(const std::string& peer);

struct Decision {
  bool allowed = true;
  std::string rule;  // "SuperUser", "DefaultDeny", "MatchingAcl(...)", as Kafka's log names it
};

class Authorizer {
 public:
  // Throws std::invalid_argument with Kafka's message when the settings
  // are refused (a super user without a type, an unknown authorizer class).
  Authorizer(const config::BrokerConfig& config, storage::KvStore& store);

  bool enabled() const { return enabled_; }
  Decision authorize(const Requester& who, AclOperation operation, ResourceType type, const std::string& name) const;
  // Kafka's authorized-operations bit set: 1 << code for each operation the
  // resource type supports that is allowed.
  int32_t authorized_operations(const Requester& who, ResourceType type, const std::string& name) const;
  // Authorizer.authorizeByResourceType: is `operation` allowed on at least
  // one resource of the type (InitProducerId's idempotent case).
  bool authorize_by_resource_type(const Requester& who, AclOperation operation, ResourceType type) const;

  // The stored ACLs.
  std::vector<Acl> describe(const AclFilter& filter) const;
  // Adds those not stored yet, in one write; a failure of the store is returned.
  [[nodiscard]] storage::WriteResult create(const std::vector<Acl>& acls);
  // Removes every ACL a filter matches, in one write; per filter, what it matched.
  [[nodiscard]] storage::WriteResult remove(const std::vector<AclFilter>& filters,
                                            std::vector<std::vector<Acl>>& matched);

 private:
  bool enabled_ = false;
  std::set<std::string> super_users_;
  bool allow_if_no_acl_ = false;
  storage::KvStore& store_;
  std::map<wire::Uuid, Acl> acls_;
  std::mt19937_64 random_{std::random_device{}()};
};

// The candidate operations of a resource type (AclEntry.supportedOperations).
const std::vector<AclOperation>& supported_operations(ResourceType type);

}  // namespace kafkalite::security
