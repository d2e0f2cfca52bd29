// AddPartitionsToTxn (key 24), v0-5. v0-3 is the client's form (one
// transaction), v4+ the form brokers use to verify or add partitions for
// the transactions of the Produce requests they lead (a batch of
// transactions, each with `verify_only`); v4+ speaks transaction version 2.
// Each transaction's partitions are checked first: an unknown topic or
// partition gets UNKNOWN_TOPIC_OR_PARTITION and the others
// OPERATION_NOT_ATTEMPTED, and the coordinator is not asked. Below v2,
// PRODUCER_FENCED is answered as INVALID_PRODUCER_EPOCH.
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {
namespace {

using TopicResult = AddPartitionsToTxnResponse::AddPartitionsToTxnTopicResult;
using Topics = std::vector<AddPartitionsToTxnRequest::AddPartitionsToTxnTopic>;

std::vector<TopicResult> add(Services& broker, int16_t version, const std::string& transactional_id,
                             int64_t producer_id, int16_t epoch, bool verify_only, const Topics& topics) {
  std::vector<txn::TopicPartitionName> partitions;
  std::vector<ErrorCode> errors;
  bool all_known = true;
  for (const auto& t : topics) {
    const cluster::Topic* topic = broker.topics().find(t.name);
    for (int32_t p : t.partitions) {
      partitions.emplace_back(t.name.value(), p);
      const bool known = topic && topic->partition(p);
      errors.push_back(known ? ErrorCode::None : ErrorCode::UnknownTopicOrPartition);
      all_known = all_known && known;
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
  if (ctx.api_version < 4) {
    response.results_by_topic_v3_and_below =
        add(broker, ctx.api_version, request.v3_and_below_transactional_id.value(),
            request.v3_and_below_producer_id.value(), request.v3_and_below_producer_epoch, false,
            request.v3_and_below_topics);
    co_return response;
  }
  for (const auto& t : request.transactions) {
    auto& result = response.results_by_transaction.emplace_back();
    result.transactional_id = t.transactional_id;
    result.topic_results = add(broker, ctx.api_version, t.transactional_id.value(), t.producer_id.value(),
                               t.producer_epoch, t.verify_only, t.topics);
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
