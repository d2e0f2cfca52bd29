// AddPartitionsToTxn (key 24), v0-5. v0-3 is the client's form (one
// transaction), v4+ the form brokers use to verify or add partitions for
// the transactions of the Produce requests they lead (a batch of
// transactions, each with `verify_only`); v4+ speaks transaction version 2.
// Each transaction's partitions are checked first: an unknown topic or
// partition gets UNKNOWN_TOPIC_OR_PARTITION and the others
// OPERATION_NOT_ATTEMPTED, and the coordinator is not asked. Below v2,
// PRODUCER_FENCED is answered as INVALID_PRODUCER_EPOCH.
// ACLs: v0-3 need WRITE on the transactional id (else every partition
// TRANSACTIONAL_ID_AUTHORIZATION_FAILED) and on each topic (internal topics
// never: TOPIC_AUTHORIZATION_FAILED, the others OPERATION_NOT_ATTEMPTED);
// v4+ (brokers') CLUSTER_ACTION on the cluster, else the top-level
// CLUSTER_AUTHORIZATION_FAILED.
#include "broker/api/access.h"
#include "broker/api/handlers.h"
#include "broker/cluster/internal_topics.h"

namespace kafkalite::broker::api {
namespace {

using TopicResult = AddPartitionsToTxnResponse::AddPartitionsToTxnTopicResult;
using Topics = std::vector<AddPartitionsToTxnRequest::AddPartitionsToTxnTopic>;

std::vector<TopicResult> add(Services& broker, const Access& access, int16_t version,
                             const std::string& transactional_id, int64_t producer_id, int16_t epoch,
                             bool verify_only, const Topics& topics) {
  std::vector<txn::TopicPartitionName> partitions;
  std::vector<ErrorCode> errors;
  bool all_known = true;
  // The client's form: WRITE on each topic (an internal one never).
  std::set<std::string> writable;
  const bool check_topics = version < 4 && access.enabled();
  if (check_topics) {
    std::vector<std::string> names;
    for (const auto& t : topics) {
      if (cluster::is_internal_topic(t.name.value())) continue;
      for (size_t i = 0; i < t.partitions.size(); ++i) names.push_back(t.name.value());
    }
    writable = access.allowed_names(AclOperation::kWrite, ResourceType::kTopic, names);
  }
  for (const auto& t : topics) {
    const cluster::Topic* topic = broker.topics().find(t.name);
    const bool allowed = !check_topics || writable.count(t.name.value());
    for (int32_t p : t.partitions) {
      partitions.emplace_back(t.name.value(), p);
      const bool known = topic && topic->partition(p);
      errors.push_back(!allowed ? ErrorCode::TopicAuthorizationFailed
                                : (known ? ErrorCode::None : ErrorCode::UnknownTopicOrPartition));
      all_known = all_known && known && allowed;
    }
  }
  if (!all_known) {
    for (auto& e : errors) {
      if (e == ErrorCode::None) e = ErrorCode::OperationNotAttempted;
    }
  } else {
    errors = broker.transactions().add_partitions(transactional_id, producer_id, epoch, partitions, verify_only,
                                                  version >= 4 ? 2 : 0);
  }
  std::vector<TopicResult> out;
  size_t i = 0;
  for (const auto& t : topics) {
    auto& topic_out = out.emplace_back();
    topic_out.name = t.name;
    for (int32_t p : t.partitions) {
      ErrorCode error = errors[i++];
      if (error == ErrorCode::ProducerFenced && version < 2) error = ErrorCode::InvalidProducerEpoch;
      topic_out.results_by_partition.push_back({p, error, {}});
    }
  }
  return out;
}

}  // namespace

Task<AddPartitionsToTxnResponse> handle(Services& broker, const RequestContext& ctx,
                                        AddPartitionsToTxnRequest& request) {
  AddPartitionsToTxnResponse response;
  const Access access(broker, ctx);
  if (ctx.api_version < 4) {
    if (!access.allows_transactional_id(AclOperation::kWrite, request.v3_and_below_transactional_id.value())) {
      for (const auto& t : request.v3_and_below_topics) {
        auto& topic_out = response.results_by_topic_v3_and_below.emplace_back();
        topic_out.name = t.name;
        for (int32_t p : t.partitions) {
          topic_out.results_by_partition.push_back({p, ErrorCode::TransactionalIdAuthorizationFailed, {}});
        }
      }
      co_return response;
    }
    response.results_by_topic_v3_and_below =
        add(broker, access, ctx.api_version, request.v3_and_below_transactional_id.value(),
            request.v3_and_below_producer_id.value(), request.v3_and_below_producer_epoch, false,
            request.v3_and_below_topics);
    co_return response;
  }
  if (!access.allows_cluster(AclOperation::kClusterAction)) {
    response.error_code = ErrorCode::ClusterAuthorizationFailed;
    co_return response;
  }
  for (const auto& t : request.transactions) {
    auto& result = response.results_by_transaction.emplace_back();
    result.transactional_id = t.transactional_id;
    result.topic_results = add(broker, access, ctx.api_version, t.transactional_id.value(), t.producer_id.value(),
                               t.producer_epoch, t.verify_only, t.topics);
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
