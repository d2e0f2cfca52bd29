#include "client/producer.h"

#include <thread>

#include "client/partitioner.h"
#include "common/clock.h"

namespace kafkalite::client {

using namespace protocol;

namespace {
constexpr int16_t kProduceByName = 12;  // Produce v13 names topics by id only

size_t estimated_size(const ProducerRecord& r) {
  size_t size = 21 + (r.key ? r.key->size() : 0) + (r.value ? r.value->size() : 0);
  for (const auto& h : r.headers) size += 6 + h.key.size() + (h.value ? h.value->size() : 0);
  return size;
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}
}  // namespace

Result<std::unique_ptr<Producer>> Producer::connect(const ProducerConfig& config) {
  const bool idempotent = config.enable_idempotence.value_or(config.acks == -1);
  if (idempotent && config.acks != -1) {
    return Error(ErrorCode::InvalidConfig, "Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.");
  }
  auto cluster = Cluster::connect(config);
  if (!cluster) return cluster.error();
  std::unique_ptr<Producer> producer(new Producer(config, std::move(*cluster)));
  producer->idempotent_ = idempotent;
  return producer;
}

Producer::~Producer() { flush(); }

Result<int32_t> Producer::partitions_of(const std::string& topic) {
  if (auto it = partition_counts_.find(topic); it != partition_counts_.end()) return it->second;
  // As the Java producer: ask with auto-creation allowed, and wait while a
  // new topic has no leader yet.
  const auto deadline = std::chrono::steady_clock::now() + config_.request_timeout;
  for (;;) {
    auto metadata = cluster_->metadata(std::vector<std::string>{topic}, true);
    if (!metadata) return metadata.error();
    const TopicInfo* t = metadata->topic(topic);
    bool ready = t && t->error.code == ErrorCode::None && !t->partitions.empty();
    if (ready) {
      for (const auto& p : t->partitions) {
        leaders_[{topic, p.partition}] = p.leader;
        ready = ready && p.leader >= 0;
      }
    }
    if (ready) return partition_counts_[topic] = static_cast<int32_t>(t->partitions.size());
    const Error error = t ? t->error : Error(ErrorCode::UnknownTopicOrPartition);
    if ((error && !error.retriable()) || std::chrono::steady_clock::now() > deadline) {
      return Error(error ? error.code : ErrorCode::LeaderNotAvailable,
                   "Topic " + topic + " not present in metadata after " +
                       std::to_string(config_.request_timeout.count()) + " ms.");
    }
    std::this_thread::sleep_for(config_.retry_backoff);
  }
}

Error Producer::init_producer_id() {
  InitProducerIdRequest request;
  request.transactional_id = std::nullopt;
  request.transaction_timeout_ms = 60000;
  request.producer_id = ProducerId(-1);
  request.producer_epoch = -1;
  const auto deadline = std::chrono::steady_clock::now() + config_.request_timeout;
  for (;;) {
    auto response = cluster_->call<InitProducerIdApi>(request);
    if (!response) return response.error();
    if (response->error_code == ErrorCode::None) {
      producer_id_ = response->producer_id.value();
      producer_epoch_ = response->producer_epoch;
      return {};
    }
    if (!error_is_retriable(response->error_code) || std::chrono::steady_clock::now() > deadline) {
      return Error(response->error_code, "InitProducerId failed");
    }
    std::this_thread::sleep_for(config_.retry_backoff);
  }
}

Error Producer::send(ProducerRecord record, DeliveryCallback callback) {
  auto count = partitions_of(record.topic);
  if (!count) return count.error();
  int32_t partition;
  if (record.partition) {
    partition = *record.partition;
    if (partition < 0 || partition >= *count) {
      return Error(ErrorCode::UnknownTopicOrPartition,
                   "Invalid partition given with record: " + std::to_string(partition) + " is not in the range [0..." +
                       std::to_string(*count) + "].");
    }
  } else if (record.key) {
    partition = partition_for_key(*record.key, *count);
  } else {
    auto sticky = sticky_.find(record.topic);
    if (sticky == sticky_.end()) {
      sticky = sticky_.emplace(record.topic, std::uniform_int_distribution<int32_t>(0, *count - 1)(random_)).first;
    }
    partition = sticky->second;
  }
  const std::pair<std::string, int32_t> tp{record.topic, partition};
  const size_t size = estimated_size(record);
  auto it = batches_.find(tp);
  if (it != batches_.end() && it->second.bytes + size > config_.batch_size && !it->second.pending.empty()) {
    Batch full = std::move(it->second);
    batches_.erase(it);
    send_batch(tp, std::move(full));
    it = batches_.end();
  }
  if (it == batches_.end()) {
    it = batches_.emplace(tp, Batch{}).first;
    it->second.created = std::chrono::steady_clock::now();
    it->second.builder.compression = config_.compression;
  }
  const int64_t timestamp = record.timestamp.value_or(now_ms());
  Batch& batch = it->second;
  if (batch.pending.empty()) batch.builder.base_timestamp = timestamp;
  batch.builder.add(timestamp, std::move(record.key), std::move(record.value), std::move(record.headers));
  batch.pending.push_back({timestamp, std::move(callback)});
  batch.bytes += size;
  if (batch.bytes >= config_.batch_size || config_.linger.count() == 0) {
    Batch ready = std::move(batch);
    batches_.erase(tp);
    send_batch(tp, std::move(ready));
  }
  return {};
}

void Producer::poll() {
  const auto now = std::chrono::steady_clock::now();
  for (auto it = batches_.begin(); it != batches_.end();) {
    if (now - it->second.created >= config_.linger) {
      auto tp = it->first;
      Batch batch = std::move(it->second);
      it = batches_.erase(it);
      send_batch(tp, std::move(batch));
    } else {
      ++it;
    }
  }
}

void Producer::flush() {
  while (!batches_.empty()) {
    auto tp = batches_.begin()->first;
    Batch batch = std::move(batches_.begin()->second);
    batches_.erase(batches_.begin());
    send_batch(tp, std::move(batch));
  }
}

void Producer::send_batch(const std::pair<std::string, int32_t>& tp, Batch batch) {
  auto fail = [&](const Error& error) {
    for (auto& p : batch.pending) {
      if (p.callback) p.callback(RecordMetadata{tp.first, tp.second, -1, p.timestamp}, error);
    }
  };
  // The next record without a key starts a new sticky partition.
  if (auto s = sticky_.find(tp.first); s != sticky_.end() && s->second == tp.second) sticky_.erase(s);
  if (idempotent_ && producer_id_ < 0) {
    if (Error e = init_producer_id()) return fail(e);
  }
  if (idempotent_) {
    batch.builder.producer_id = producer_id_;
    batch.builder.producer_epoch = producer_epoch_;
    batch.builder.base_sequence = sequences_[tp];
    sequences_[tp] += static_cast<int32_t>(batch.pending.size());
  }
  ProduceRequest request;
  request.transactional_id = std::nullopt;
  request.acks = config_.acks;
  request.timeout_ms = static_cast<int32_t>(config_.request_timeout.count());
  auto& topic = request.topic_data.emplace_back();
  topic.name = TopicName(tp.first);
  auto& partition = topic.partition_data.emplace_back();
  partition.index = tp.second;
  partition.records.data = batch.builder.build();
  const int16_t version = cluster_->version_up_to<ProduceApi>(kProduceByName);
  if (config_.acks == 0) {
    Error error = cluster_->send_only<ProduceApi>(request, leaders_[tp], version);
    for (auto& p : batch.pending) {
      if (p.callback) p.callback(RecordMetadata{tp.first, tp.second, -1, p.timestamp}, error);
    }
    return;
  }
  const auto deadline = std::chrono::steady_clock::now() + config_.delivery_timeout;
  for (;;) {
    Error error;
    auto response = cluster_->call<ProduceApi>(request, leaders_[tp], version);
    if (!response) {
      error = response.error();
    } else {
      for (const auto& t : response->responses) {
        for (const auto& p : t.partition_responses) {
          if (p.error_code != ErrorCode::None) {
            error = Error(p.error_code, p.error_message.value_or(""));
            continue;
          }
          for (size_t i = 0; i < batch.pending.size(); ++i) {
            auto& pending = batch.pending[i];
            const int64_t ts = p.log_append_time_ms >= 0 ? p.log_append_time_ms : pending.timestamp;
            if (pending.callback) {
              pending.callback(RecordMetadata{tp.first, tp.second, p.base_offset + static_cast<int64_t>(i), ts}, {});
            }
          }
          return;
        }
      }
      if (!error) error = Error(ErrorCode::UnknownServerError, "no answer for the partition");
    }
    const bool retriable = error.retriable() || error.code == ErrorCode::NetworkException;
    if (!retriable || std::chrono::steady_clock::now() + config_.retry_backoff > deadline) return fail(error);
    std::this_thread::sleep_for(config_.retry_backoff);
    partition_counts_.erase(tp.first);
    (void)partitions_of(tp.first);  // new leaders, if they moved
  }
}

}  // namespace kafkalite::client
