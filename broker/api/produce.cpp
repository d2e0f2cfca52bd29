// Produce (key 0), v3-13 (advertised from v0 as Kafka 4.1.1 does; v0-2 are
// refused by closing the connection, as the codec cannot parse them).
// Single node: acks=1 and acks=all are the same, answered once the batch is
// in the store. Each partition gets exactly one magic-2 batch, validated as
// Kafka's LogValidator does; idempotent producers are checked per partition.
// Transactional batches need the request's transactional id (else every
// partition gets TRANSACTIONAL_ID_AUTHORIZATION_FAILED) and are verified
// with the transaction coordinator when the producer has no transaction open
// in the partition yet (KIP-890): below v12 the partition must have been
// added, from v12 (transaction version 2) Produce adds it; the coordinator's
// refusals reach the producer in the words its version knows.
// ACLs: transactional records need WRITE on the transactional id (else the
// whole request is TRANSACTIONAL_ID_AUTHORIZATION_FAILED), each topic WRITE
// (TOPIC_AUTHORIZATION_FAILED per partition, before its existence is told).
#include <spdlog/spdlog.h>

#include "broker/api/access.h"
#include "broker/api/handlers.h"
#include "broker/cluster/internal_topics.h"
#include "common/clock.h"
#include "broker/config/topic_config.h"
#include "common/records/record_batch.h"

namespace kafkalite::broker::api {
namespace {

using Partition = ProduceResponse::TopicProduceResponse::PartitionProduceResponse;

// Kafka's default for log.message.timestamp.after.max.ms (1 hour, since 4.0).
constexpr int64_t kDefaultTimestampAfterMaxMs = 3600000;

void fail(Partition& out, ErrorCode code, std::string message = {}) {
  out.error_code = code;
  out.base_offset = -1;
  out.log_append_time_ms = -1;
  out.log_start_offset = -1;
  if (!message.empty()) out.error_message = std::move(message);
}

// A transactional batch's check with the coordinator, skipped when the
// producer's transaction is already open in the partition at this epoch.
ErrorCode verify_transaction(Services& broker, const RequestContext& ctx, const cluster::Topic& topic,
                             const log::PartitionLog& partition, const records::BatchHeader& h,
                             const std::string& transactional_id) {
  auto producer = partition.producers().find(h.producer_id);
  if (producer != partition.producers().end() && producer->second.txn_first_offset >= 0 &&
      producer->second.epoch == h.producer_epoch) {
    return ErrorCode::None;
  }
  const int16_t version = ctx.api_version;
  ErrorCode error = broker.transactions().verify_produce(transactional_id, h.producer_id, h.producer_epoch,
                                                         {topic.name, partition.partition()},
                                                         version >= 12 ? 2 : 0);
  switch (error) {
    case ErrorCode::ProducerFenced:
      return ErrorCode::InvalidProducerEpoch;
    case ErrorCode::TransactionAbortable:
      return version <= 10 ? ErrorCode::InvalidTxnState : error;
    case ErrorCode::ConcurrentTransactions:
      return version >= 12 ? error : ErrorCode::NotEnoughReplicas;
    case ErrorCode::NotCoordinator:
    case ErrorCode::CoordinatorNotAvailable:
      return ErrorCode::NotEnoughReplicas;
    default:
      return error;
  }
}

// Validates and appends one partition's records; fills `out`.
void append_partition(Services& broker, const RequestContext& ctx, cluster::Topic& topic,
                      log::PartitionLog& partition, const wire::Records& records,
                      const std::string& transactional_id, Partition& out) {
  const std::span<const uint8_t> data =
      records.data ? std::span<const uint8_t>(*records.data) : std::span<const uint8_t>();
  records::RecordsError error;
  auto batches = records::split_batches(data, error);
  if (error) {
    spdlog::warn("Produce to {}-{} from {} rejected: {} ({})", topic.name, partition.partition(),
                 ctx.peer, error_name(error.code), error.message);
    return fail(out, error.code);
  }
  if (batches.size() != 1) {
    return fail(out, ErrorCode::InvalidRecord);  // v3+ carries exactly one batch per partition
  }
  const records::BatchView& batch = batches.front();
  const records::BatchHeader& h = batch.header;
  const config::TopicConfig& config = topic.effective_config(broker.config());
  if (h.compression() == records::Compression::kZstd && ctx.api_version < 7) {
    return fail(out, ErrorCode::UnsupportedCompressionType);
  }
  if (batch.bytes.size() > static_cast<size_t>(config.max_message_bytes)) {
    spdlog::warn("Produce to {}-{} from {} rejected: batch of {} bytes exceeds max.message.bytes {}",
                 topic.name, partition.partition(), ctx.peer, batch.bytes.size(),
                 config.max_message_bytes);
    return fail(out, ErrorCode::MessageTooLarge);
  }
  // Kafka's LogValidator, record by record, in the pass that checks the
  // batch (records are read where they lie, not copied): a compacted topic
  // wants a key, then the timestamp must be in range (CreateTime topics).
  // Every refused record is listed; the batch is refused whole.
  const int64_t now = now_ms();
  std::vector<Partition::BatchIndexAndErrorMessage> record_errors;
  bool timestamp_error = false;
  // (Named only for a refusal: no string built on the produce path.)
  auto topic_partition = [&] { return topic.name + "-" + std::to_string(partition.partition()); };
  const int64_t after_max = broker.config().get_int("log.message.timestamp.after.max.ms", kDefaultTimestampAfterMaxMs);
  const int64_t before_max = broker.config().get_int("log.message.timestamp.before.max.ms", INT64_MAX);
  int32_t index = 0;
  // The first record with the batch's largest timestamp (ListOffsets MAX_TIMESTAMP).
  int64_t max_ts = INT64_MIN;
  int32_t max_ts_delta = 0;
  const bool valid = records::for_each_record(batch, error, /*as_produced=*/true, [&](const records::RecordView& record) {
    const int64_t ts = h.base_timestamp + record.timestamp_delta;
    if (ts > max_ts) {
      max_ts = ts;
      max_ts_delta = record.offset_delta;
    }
    if (config.compact_policy && !record.key) {
      record_errors.push_back(
          {index, "Compacted topic cannot accept message without key in topic partition " + topic_partition(), {}});
    } else if (!config.log_append_time && ts != -1 && (now - ts > before_max || ts - now > after_max)) {
      timestamp_error = true;
      const int64_t low = now - before_max;  // now > 0: no overflow, as in Kafka
      record_errors.push_back({index,
                               "Timestamp " + std::to_string(ts) + " of message with offset " +
                                   std::to_string(record.offset_delta) + " is out of range. The timestamp should be "
                                   "within [" + std::to_string(low) + ", " + std::to_string(now + after_max) + "]",
                               {}});
    }
    ++index;
  });
  if (!valid) {
    spdlog::warn("Produce to {}-{} from {} rejected: {} ({})", topic.name, partition.partition(),
                 ctx.peer, error_name(error.code), error.message);
    return fail(out, error.code);
  }
  if (h.base_offset != 0 || h.record_count <= 0 || h.is_control() ||
      (h.is_transactional() && h.producer_id < 0)) {
    spdlog::warn("Produce to {}-{} from {} rejected: invalid batch (base offset {}, {} records{}{})",
                 topic.name, partition.partition(), ctx.peer, h.base_offset, h.record_count,
                 h.is_control() ? ", control" : "", h.is_transactional() ? ", transactional without producer id" : "");
    return fail(out, ErrorCode::InvalidRecord);
  }
  if (h.is_transactional()) {
    if (auto refused = verify_transaction(broker, ctx, topic, partition, h, transactional_id);
        refused != ErrorCode::None) {
      spdlog::warn("Produce to {}-{} from {} rejected: {} (transactional batch of producer {} epoch {})", topic.name,
                   partition.partition(), ctx.peer, error_name(refused), h.producer_id, h.producer_epoch);
      fail(out, refused, refused == ErrorCode::InvalidTxnState ? "Partition was not added to the transaction" : "");
      return;
    }
  }
  if (!record_errors.empty()) {
    std::string message;
    if (timestamp_error) {
      message = "One or more records have been rejected due to invalid timestamp";
    } else {
      message = "One or more records have been rejected due to " + std::to_string(record_errors.size()) +
                " record errors in total, and only showing the first three errors at most: [";
      for (size_t i = 0; i < std::min<size_t>(3, record_errors.size()); ++i) {
        message += (i ? ", " : "") + std::string("RecordError(batchIndex=") +
                   std::to_string(record_errors[i].batch_index) + ", message='" +
                   *record_errors[i].batch_index_error_message + "')";
      }
      message += "]";
    }
    spdlog::warn("Produce to {} from {} rejected: {}", topic_partition(), ctx.peer, message);
    fail(out, timestamp_error ? ErrorCode::InvalidTimestamp : ErrorCode::InvalidRecord, message);
    out.log_start_offset = partition.log_start_offset();
    out.record_errors = std::move(record_errors);
    return;
  }
  auto appended = partition.append(batch.bytes, h, config.log_append_time ? now : -1, now, max_ts_delta,
                                   {config.segment_bytes, config.roll_ms()});
  if (appended.error != ErrorCode::None) {
    spdlog::warn("Produce to {}-{} from {} rejected: {} ({})", topic.name, partition.partition(),
                 ctx.peer, error_name(appended.error), appended.message);
    fail(out, appended.error);
    // Kafka reports the log start offset with a producer-state refusal.
    out.log_start_offset = partition.log_start_offset();
    return;
  }
  out.base_offset = appended.base_offset;
  out.log_append_time_ms = appended.log_append_time;
  out.log_start_offset = partition.log_start_offset();
}

// Whether any partition's records start with a transactional batch (Kafka's
// RequestUtils.hasTransactionalRecords looks at the first batch).
bool has_transactional_batch(const ProduceRequest& request) {
  for (const auto& topic_data : request.topic_data) {
    for (const auto& partition_data : topic_data.partition_data) {
      if (!partition_data.records.data) continue;
      records::RecordsError ignored;
      auto h = records::peek_batch_header(*partition_data.records.data, ignored);
      if (h && h->is_transactional()) return true;
    }
  }
  return false;
}

}  // namespace

Task<ProduceResponse> handle(Services& broker, const RequestContext& ctx, ProduceRequest& request) {
  ProduceResponse response;
  const Access access(broker, ctx);
  if (has_transactional_batch(request) &&
      (!request.transactional_id ||
       !access.allows_transactional_id(AclOperation::kWrite, request.transactional_id->value()))) {
    // Kafka's authorizer refuses transactional records without an id (or
    // WRITE on it): the whole request gets the error.
    if (!request.transactional_id) {
      spdlog::warn("Produce from {} rejected: transactional records without a transactional id", ctx.peer);
    }
    for (const auto& topic_data : request.topic_data) {
      auto& topic_out = response.responses.emplace_back();
      topic_out.name = topic_data.name;
      topic_out.topic_id = topic_data.topic_id;
      for (const auto& partition_data : topic_data.partition_data) {
        Partition& out = topic_out.partition_responses.emplace_back();
        out.index = partition_data.index;
        fail(out, ErrorCode::TransactionalIdAuthorizationFailed);
      }
    }
    co_return response;
  }
  const bool valid_acks = request.acks == -1 || request.acks == 0 || request.acks == 1;
  std::set<std::string> writable;
  if (access.enabled()) {
    std::vector<std::string> names;
    for (const auto& topic_data : request.topic_data) {
      const cluster::Topic* t = ctx.api_version >= 13 ? broker.topics().find(topic_data.topic_id) : nullptr;
      const std::string name = t ? t->name : topic_data.name.value();
      for (size_t i = 0; i < topic_data.partition_data.size(); ++i) names.push_back(name);
    }
    writable = access.allowed_names(AclOperation::kWrite, ResourceType::kTopic, names);
  }
  for (auto& topic_data : request.topic_data) {
    ProduceResponse::TopicProduceResponse topic_out;
    topic_out.name = topic_data.name;
    topic_out.topic_id = topic_data.topic_id;
    cluster::Topic* topic = ctx.api_version >= 13 ? broker.topics().find(topic_data.topic_id)
                                                  : broker.topics().find(topic_data.name);
    for (auto& partition_data : topic_data.partition_data) {
      Partition out;
      out.index = partition_data.index;
      log::PartitionLog* partition = topic ? topic->partition(partition_data.index) : nullptr;
      // Kafka resolves topics before it looks at acks.
      if (!topic && ctx.api_version >= 13) {
        fail(out, ErrorCode::UnknownTopicId);
      } else if (access.enabled() && !writable.count(topic ? topic->name : topic_data.name.value())) {
        fail(out, ErrorCode::TopicAuthorizationFailed);
      } else if (!partition) {
        fail(out, ErrorCode::UnknownTopicOrPartition);
      } else if (!valid_acks) {
        fail(out, ErrorCode::InvalidRequiredAcks);
      } else if (cluster::is_internal_topic(topic->name) && ctx.client_id != "__admin_client") {
        // Only the coordinators write there (Kafka lets its admin client's id through).
        fail(out, ErrorCode::InvalidTopicException);
      } else {
        append_partition(broker, ctx, *topic, *partition, partition_data.records,
                         request.transactional_id ? request.transactional_id->value() : std::string(), out);
        // Wake the fetches waiting on this partition (not on others).
        if (out.error_code == ErrorCode::None) broker.data_waiters().notify({topic->id, partition->partition()});
      }
      topic_out.partition_responses.push_back(std::move(out));
    }
    response.responses.push_back(std::move(topic_out));
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
