#include "broker/api/access.h"

#include <spdlog/spdlog.h>

#include <map>

namespace kafkalite::broker::api {

Access::Access(Services& services, const RequestContext& ctx)
    : authorizer_(services.authorizer()), ctx_(ctx), who_{ctx.principal, ctx.client_host} {}

bool Access::enabled() const { return authorizer_.enabled(); }

bool Access::allows(AclOperation operation, ResourceType type, const std::string& name, Audit audit,
                    int ref_count) const {
  if (!authorizer_.enabled()) return true;
  const security::Decision decision = authorizer_.authorize(who_, operation, type, name);
  if (decision.allowed ? audit.allowed : audit.denied) {
    spdlog::log(decision.allowed ? spdlog::level::debug : spdlog::level::info,
                "Principal = {} is {} operation = {} from host = {} on resource = {}:LITERAL:{} for request = {} "
                "with resourceRefCount = {} based on rule {}",
                ctx_.principal, decision.allowed ? "Allowed" : "Denied", security::name_of(operation),
                ctx_.client_host, security::log_name_of(type), name, ctx_.api_name, ref_count, decision.rule);
  }
  return decision.allowed;
}

bool Access::allows_cluster(AclOperation operation, Audit audit) const {
  return allows(operation, ResourceType::kCluster, security::kClusterName, audit);
}

std::set<std::string> Access::allowed_names(AclOperation operation, ResourceType type,
                                            const std::vector<std::string>& names, Audit audit) const {
  std::map<std::string, int> counts;
  for (const auto& name : names) ++counts[name];
  std::set<std::string> out;
  for (const auto& [name, count] : counts) {
    if (allows(operation, type, name, audit, count)) out.insert(name);
  }
  return out;
}

int32_t Access::operations(ResourceType type, const std::string& name) const {
  if (!authorizer_.enabled()) {
    int32_t bits = 0;
    for (AclOperation operation : security::supported_operations(type)) bits |= 1 << static_cast<int>(operation);
    return bits;
  }
  return authorizer_.authorized_operations(who_, type, name);
}

bool Access::allows_some(AclOperation operation, ResourceType type) const {
  if (!authorizer_.enabled()) return true;
  return authorizer_.authorize_by_resource_type(who_, operation, type);
}

}  // namespace kafkalite::broker::api
