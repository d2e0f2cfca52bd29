// DescribeUserScramCredentials (key 50), v0. Which SCRAM mechanisms each
// user has a credential for, and with how many iterations (never the salt
// or keys). No users (null or empty) means every user with a credential.
// As Kafka's ScramImage: a user asked twice is DUPLICATE_RESOURCE, one
// without a credential RESOURCE_NOT_FOUND, each with the user named; users
// are listed in the order of Kafka's HashMap of their names.
// ACLs: DESCRIBE on the cluster, else CLUSTER_AUTHORIZATION_FAILED at the
// top and for each user asked (unnamed, as Kafka's error answer has it).
#include "broker/api/access.h"
#include "broker/api/handlers.h"
#include "common/java_hash.h"

namespace kafkalite::broker::api {

Task<DescribeUserScramCredentialsResponse> handle(Services& broker, const RequestContext& ctx,
                                                  DescribeUserScramCredentialsRequest& request) {
  if (!Access(broker, ctx).allows_cluster(AclOperation::kDescribe)) {
    DescribeUserScramCredentialsResponse refused;
    const ErrorCode error = ErrorCode::ClusterAuthorizationFailed;
    refused.error_code = error;
    refused.error_message = std::nullopt;  // Kafka: null, the error's own text
    for (size_t i = 0; i < request.users.value_or(std::vector<DescribeUserScramCredentialsRequest::UserName>{}).size();
         ++i) {
      auto& result = refused.results.emplace_back();
      result.error_code = error;
      result.error_message = std::nullopt;
    }
    co_return refused;
  }
  const auto& credentials = broker.scram_credentials();
  std::map<std::string, bool> duplicate;
  java::HashMap order;
  if (!request.users || request.users->empty()) {
    for (const auto& [key, credential] : credentials.all()) {
      duplicate[key.first] = false;
      order.put(key.first);
    }
  } else {
    for (const auto& user : *request.users) {
      duplicate[user.name] = duplicate.count(user.name) != 0;
      order.put(user.name);
    }
  }
  DescribeUserScramCredentialsResponse response;
  for (const auto& user : order.keys()) {
    auto& result = response.results.emplace_back();
    result.user = user;
    if (duplicate[user]) {
      result.error_code = ErrorCode::DuplicateResource;
      result.error_message = "Cannot describe SCRAM credentials for the same user twice in a single request: " + user;
      continue;
    }
    for (auto m : {security::ScramMechanism::kSha256, security::ScramMechanism::kSha512}) {
      if (auto credential = credentials.find(user, m)) {
        result.credential_infos.push_back({static_cast<int8_t>(m), credential->iterations, {}});
      }
    }
    if (result.credential_infos.empty()) {
      result.error_code = ErrorCode::ResourceNotFound;
      result.error_message = "Attempt to describe a user credential that does not exist: " + user;
    }
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
