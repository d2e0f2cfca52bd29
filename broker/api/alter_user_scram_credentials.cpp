// AlterUserScramCredentials (key 51), v0. Sets or deletes users' SCRAM
// credentials; the client sends the salted password (PBKDF2 of the password),
// kept as Kafka's controller keeps it: salt, stored key, server key and
// iterations. Kafka's checks, in its order: a user altered twice in one
// request (whatever the mechanisms) is DUPLICATE_RESOURCE; an empty name
// UNACCEPTABLE_CREDENTIAL; a mechanism other than 1 or 2
// UNSUPPORTED_SASL_MECHANISM; iterations outside 4096-16384
// UNACCEPTABLE_CREDENTIAL; deleting what does not exist RESOURCE_NOT_FOUND.
// Everything accepted is written at once. Results: deletions, then
// upserts, then errors, each in the order of Kafka's HashMap of user names.
// ACLs: ALTER on the cluster, else every user named (sorted) gets
// CLUSTER_AUTHORIZATION_FAILED.
#include <spdlog/spdlog.h>

#include "broker/api/handlers.h"
#include "common/java_hash.h"

namespace kafkalite::broker::api {

namespace {

struct Refusal {
  ErrorCode code;
  std::string message;
};

std::optional<Refusal> check_name_and_mechanism(const std::string& name, int8_t mechanism) {
  if (name.empty()) return Refusal{ErrorCode::UnacceptableCredential, "Username must not be empty"};
  if (mechanism != 1 && mechanism != 2) return Refusal{ErrorCode::UnsupportedSaslMechanism, "Unknown SCRAM mechanism"};
  return std::nullopt;
}

// Keys in insertion order, listed as a java.util.HashMap lists them.
std::vector<std::string> hash_order(const std::vector<std::string>& keys) {
  java::HashMap map;
  for (const auto& k : keys) map.put(k);
  return map.keys();
}

}  // namespace

Task<AlterUserScramCredentialsResponse> handle(Services& broker, const RequestContext& ctx,
                                               AlterUserScramCredentialsRequest& request) {
  if (!Access(broker, ctx).allows_cluster(AclOperation::kAlter)) {
    AlterUserScramCredentialsResponse refused;
    std::set<std::string> users;
    for (const auto& d : request.deletions) users.insert(d.name);
    for (const auto& u : request.upsertions) users.insert(u.name);
    for (const auto& user : users) {
      refused.results.push_back({user, ErrorCode::ClusterAuthorizationFailed,
                                 needs_cluster_permission(ctx, AclOperation::kAlter), {}});
    }
    co_return refused;
  }
  auto& credentials = broker.scram_credentials();
  using Deletion = AlterUserScramCredentialsRequest::ScramCredentialDeletion;
  using Upsertion = AlterUserScramCredentialsRequest::ScramCredentialUpsertion;
  std::map<std::string, const Deletion*> deletions;
  std::map<std::string, const Upsertion*> upserts;
  std::map<std::string, Refusal> errors;
  std::vector<std::string> deletion_order, upsert_order, error_order;
  auto refuse = [&](const std::string& name, Refusal refusal) {
    errors.emplace(name, std::move(refusal));
    error_order.push_back(name);
  };
  auto forget = [](std::vector<std::string>& order, const std::string& name) {
    order.erase(std::remove(order.begin(), order.end(), name), order.end());
  };
  const Refusal duplicate{ErrorCode::DuplicateResource, "A user credential cannot be altered twice in the same request"};
  for (const auto& deletion : request.deletions) {
    if (errors.count(deletion.name)) continue;
    if (deletions.erase(deletion.name)) {
      forget(deletion_order, deletion.name);
      refuse(deletion.name, duplicate);
    } else if (auto refusal = check_name_and_mechanism(deletion.name, deletion.mechanism)) {
      refuse(deletion.name, *refusal);
    } else if (!credentials.find(deletion.name, static_cast<security::ScramMechanism>(deletion.mechanism))) {
      refuse(deletion.name, {ErrorCode::ResourceNotFound, "Attempt to delete a user credential that does not exist"});
    } else {
      deletions[deletion.name] = &deletion;
      deletion_order.push_back(deletion.name);
    }
  }
  for (const auto& upsertion : request.upsertions) {
    if (errors.count(upsertion.name)) continue;
    const bool was_deleted = deletions.erase(upsertion.name) > 0;
    const bool was_upserted = upserts.erase(upsertion.name) > 0;
    if (was_deleted || was_upserted) {
      forget(deletion_order, upsertion.name);
      forget(upsert_order, upsertion.name);
      refuse(upsertion.name, duplicate);
    } else if (auto refusal = check_name_and_mechanism(upsertion.name, upsertion.mechanism)) {
      refuse(upsertion.name, *refusal);
    } else if (upsertion.iterations < security::kScramMinIterations) {
      refuse(upsertion.name, {ErrorCode::UnacceptableCredential, "Too few iterations"});
    } else if (upsertion.iterations > security::kScramMaxIterations) {
      refuse(upsertion.name, {ErrorCode::UnacceptableCredential, "Too many iterations"});
    } else {
      upserts[upsertion.name] = &upsertion;
      upsert_order.push_back(upsertion.name);
    }
  }
  std::vector<security::ScramCredentials::Change> changes;
  for (const auto& [name, deletion] : deletions) {
    changes.push_back({name, static_cast<security::ScramMechanism>(deletion->mechanism), std::nullopt});
  }
  for (const auto& [name, upsertion] : upserts) {
    const auto mechanism = static_cast<security::ScramMechanism>(upsertion->mechanism);
    changes.push_back({name, mechanism,
                       security::scram_credential(mechanism, std::string(upsertion->salt.begin(), upsertion->salt.end()),
                                                  std::string(upsertion->salted_password.begin(),
                                                              upsertion->salted_password.end()),
                                                  upsertion->iterations)});
  }
  AlterUserScramCredentialsResponse response;
  std::optional<storage::WriteError> failed;
  if (!changes.empty()) failed = credentials.apply(changes);
  auto add = [&](const std::string& user, ErrorCode code, std::optional<std::string> message) {
    response.results.push_back({user, code, std::move(message), {}});
  };
  for (const auto& name : hash_order(deletion_order)) {
    failed ? add(name, ErrorCode::KafkaStorageError, failed->message) : add(name, ErrorCode::None, std::nullopt);
  }
  for (const auto& name : hash_order(upsert_order)) {
    failed ? add(name, ErrorCode::KafkaStorageError, failed->message) : add(name, ErrorCode::None, std::nullopt);
  }
  for (const auto& name : hash_order(error_order)) add(name, errors.at(name).code, errors.at(name).message);
  if (!failed) {
    for (const auto& change : changes) {
      spdlog::info("{} SCRAM credential of user {} for {} (by {})", change.credential ? "Set" : "Deleted", change.user,
                   security::scram_mechanism_name(change.mechanism), ctx.principal);
    }
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
