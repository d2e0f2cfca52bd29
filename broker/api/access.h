// The authorizer's questions as the handlers ask them (Kafka's AuthHelper):
// one resource, a list of names, a cluster operation, the authorized-
// operations bits. Without authorizer.class.name everything is allowed and
// nothing is logged, as in Kafka.
// Each decision is logged as Kafka's kafka.authorizer.logger logs it: a
// denial at INFO, an allowance at DEBUG, unless the check asks for silence
// (Kafka is silent where it only filters what it shows, e.g. Metadata's
// all-topics answer):
//   Principal = User:bob is Denied operation = READ from host = 127.0.0.1 on
//   resource = Topic:LITERAL:foo for request = Fetch with resourceRefCount = 1
//   based on rule DefaultDeny
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "broker/api/services.h"
#include "broker/security/acl.h"

namespace kafkalite::broker::api {

using security::AclOperation;
using security::ResourceType;
using security::kClusterName;

// Which outcomes of a check are logged.
struct Audit {
  bool allowed = true;
  bool denied = true;
};
inline constexpr Audit kQuietDenial{true, false};
inline constexpr Audit kSilent{false, false};

class Access {
 public:
  Access(Services& services, const RequestContext& ctx);

  bool enabled() const;
  bool allows(AclOperation operation, ResourceType type, const std::string& name, Audit audit = {},
              int ref_count = 1) const;
  bool allows_topic(AclOperation operation, const std::string& name, Audit audit = {}) const {
    return allows(operation, ResourceType::kTopic, name, audit);
  }
  bool allows_group(AclOperation operation, const std::string& name, Audit audit = {}) const {
    return allows(operation, ResourceType::kGroup, name, audit);
  }
  bool allows_transactional_id(AclOperation operation, const std::string& name, Audit audit = {}) const {
    return allows(operation, ResourceType::kTransactionalId, name, audit);
  }
  bool allows_cluster(AclOperation operation, Audit audit = {}) const;
  // Kafka's filterByAuthorized: each distinct name asked once, its count as
  // the reference count; the names allowed.
  std::set<std::string> allowed_names(AclOperation operation, ResourceType type,
                                      const std::vector<std::string>& names, Audit audit = {}) const;
  // The authorized-operations bit set of a resource (every operation the
  // type supports without an authorizer).
  int32_t operations(ResourceType type, const std::string& name) const;
  // Is `operation` allowed on some resource of the type (InitProducerId).
  bool allows_some(AclOperation operation, ResourceType type) const;

 private:
  const security::Authorizer& authorizer_;
  const RequestContext& ctx_;
  const security::Requester who_;
};

// The message of the CLUSTER_AUTHORIZATION_FAILED Kafka's
// AuthHelper.authorizeClusterOperation throws. Difference from Kafka: it
// names the API, principal and listener where Kafka prints its internal
// request object.
inline std::string needs_cluster_permission(const RequestContext& ctx, AclOperation operation) {
  return "Request(api=" + std::string(ctx.api_name) + ", session=Session(" + ctx.principal + ",/" + ctx.client_host +
         "), listenerName=ListenerName(" + ctx.listener + ")) needs " + security::name_of(operation) + " permission.";
}

// Kafka's value for "authorized operations not asked for".
inline constexpr int32_t kOperationsNotRequested = INT32_MIN;

}  // namespace kafkalite::broker::api
