// The KRaft quorum as clients see it (DescribeQuorum, kafka-metadata-quorum.sh,
// the finalized-features epoch): this node is the only voter and the leader.
// Kafka keeps its metadata in a Raft log, __cluster_metadata; kafkalite keeps
// it as keys, and shows the figures Kafka's log would have:
// - the leader epoch: 1 after the first start, one more at every start (a
//   lone voter elects itself again), kept under 'M quorum.epoch';
// - the log end offset, which is also the high watermark: the no-op record
//   Kafka's controller writes every metadata.max.idle.interval.ms (500 ms)
//   while idle, plus one record per metadata change counted here (feature
//   levels), so it moves with time as Kafka's does. It is kept under
//   'M quorum.offset' at every change and at shutdown, and resumed from
//   there; after a crash it resumes from the last change, still above every
//   epoch a feature change was published under;
// - the voter's directory id: zero while kraft.version is 0 (static voters,
//   as Kafka shows them), the metadata directory's id (made once, as Kafka's
//   meta.properties directory.id) from kraft.version 1;
// - the voter's endpoint: this node's entry in controller.quorum.voters
//   (id@host:port), named by the first of controller.listener.names.
//   kafkalite does not listen there: it has no controller listener.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "broker/config/broker_config.h"
#include "broker/storage/kv_store.h"
#include "common/protocol/wire/types.h"

namespace kafkalite::cluster {

class Quorum {
 public:
  // Reads the quorum's figures and starts a new leader epoch (stored before
  // it is used). Throws std::runtime_error when the store refuses the write
  // (start-up only).
  Quorum(const config::BrokerConfig& config, storage::KvStore& store, int64_t now_ms);

  int32_t leader_epoch() const { return epoch_; }
  // The metadata log's end offset (= its high watermark) at `now_ms`.
  int64_t end_offset(int64_t now_ms) const;
  // The offset of the last record in the log: the finalized features' epoch.
  int64_t last_offset(int64_t now_ms) const { return end_offset(now_ms) - 1; }

  // A metadata change: its record's offset, and the new end offset staged in
  // `batch`; once the batch is written, appended() moves the log on.
  int64_t stage_append(int64_t now_ms, storage::WriteBatch& batch) const;
  void appended(int64_t offset, int64_t now_ms);
  // Keeps the end offset for the next start (at shutdown).
  storage::WriteResult save(int64_t now_ms);

  const wire::Uuid& directory_id() const { return directory_id_; }

  struct Endpoint {
    std::string listener;
    std::string host;
    int32_t port = 0;
  };
  // This voter's endpoint, when controller.quorum.voters names this node.
  std::optional<Endpoint> voter_endpoint() const;

 private:
  const config::BrokerConfig& config_;
  storage::KvStore& store_;
  int32_t epoch_ = 0;
  wire::Uuid directory_id_;
  int64_t base_offset_ = 0;  // the end offset at base_ms_
  int64_t base_ms_ = 0;
  int64_t idle_interval_ms_ = 500;
};

}  // namespace kafkalite::cluster
