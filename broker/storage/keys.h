// The one place that knows how kafkalite lays its state out as keys.
// Fixed-width big-endian fields keep keys of one partition sorted by offset.
//
//   'M' name                                   broker metadata (cluster id, ...)
//   'T' topic_id[16]                           a topic: name, partitions, configs
//   'P' topic_id[16] partition[4]              a partition: log start, next offset
//   'B' topic_id[16] partition[4] base[8]      one record batch, as received
//   'S' topic_id[16] partition[4] producer[8]  an idempotent producer's recent batches
//   'K' topic_id[16] partition[4] first[8]     an index block: timestamps of ~1 MiB of batches
//   'A' topic_id[16] partition[4] last[8]      an aborted transaction (by its marker's offset)
//   'L' topic_id[16] partition[4]              a partition's leader epoch and its epoch cache
//   'X' len[2] transactional_id                a transaction's state (the coordinator's)
//   'Q' len[2] group producer[8] len[2] topic partition[4]  an offset committed in an open transaction
//   'G' len[2] group                           a consumer group: type, generation
//   'N' len[2] group                           a consumer group of the new protocol (KIP-848)
//   'O' len[2] group len[2] topic partition[4] a committed offset
//   'C' entity                                 dynamic broker configs ("" cluster default, or a node id)
//   'U' len[2] user mechanism[1]               a user's SCRAM credential (salt, keys, iterations)
//   'E' acl_id[16]                             an ACL (resource pattern, principal, host, operation, permission)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/protocol/wire/types.h"

namespace kafkalite::storage::keys {

std::string metadata(std::string_view name);
std::string topic(const wire::Uuid& topic_id);
std::string topic_prefix();  // every topic key starts with this
std::string partition_state(const wire::Uuid& topic_id, int32_t partition);
std::string batch(const wire::Uuid& topic_id, int32_t partition, int64_t base_offset);
// Bounds of the partition's batch keys, for scans: [batches_begin, batches_end).
std::string batches_begin(const wire::Uuid& topic_id, int32_t partition);
std::string batches_end(const wire::Uuid& topic_id, int32_t partition);
std::string producer(const wire::Uuid& topic_id, int32_t partition, int64_t producer_id);
std::string producers_begin(const wire::Uuid& topic_id, int32_t partition);
std::string producers_end(const wire::Uuid& topic_id, int32_t partition);
std::string index_block(const wire::Uuid& topic_id, int32_t partition, int64_t first_offset);
std::string index_blocks_begin(const wire::Uuid& topic_id, int32_t partition);
std::string index_blocks_end(const wire::Uuid& topic_id, int32_t partition);
int64_t index_block_offset(std::string_view block_key);
std::string aborted_txn(const wire::Uuid& topic_id, int32_t partition, int64_t last_offset);
std::string aborted_txns_begin(const wire::Uuid& topic_id, int32_t partition);
std::string aborted_txns_end(const wire::Uuid& topic_id, int32_t partition);
int64_t aborted_txn_offset(std::string_view key);
std::string leader_epochs(const wire::Uuid& topic_id, int32_t partition);
// Every key of a topic with this prefix letter ('B', 'P', 'S', 'K', 'A', 'L'), for deletion.
std::string topic_begin(char kind, const wire::Uuid& topic_id);
std::string topic_end(char kind, const wire::Uuid& topic_id);

std::string dynamic_configs(std::string_view entity);
std::string dynamic_configs_prefix();

// A user's SCRAM credential for a mechanism (the wire's ScramMechanism byte).
std::string scram_credential(std::string_view user, int8_t mechanism);
std::string scram_credentials_prefix();
// An ACL, by the id Kafka's controller gives it.
std::string acl(const wire::Uuid& id);
std::string acls_prefix();
wire::Uuid parse_acl(std::string_view key);
struct ScramCredentialKey {
  std::string user;
  int8_t mechanism = 0;
};
ScramCredentialKey parse_scram_credential(std::string_view key);

std::string transaction(std::string_view transactional_id);
std::string transactions_prefix();
std::string transactional_id_of(std::string_view transaction_key);

// An offset TxnOffsetCommit staged for `producer_id`'s open transaction.
std::string pending_offset(std::string_view group_id, int64_t producer_id, std::string_view topic,
                           int32_t partition);
std::string pending_offsets_prefix();
std::string pending_offsets_of(std::string_view group_id, int64_t producer_id);
struct PendingOffsetKey {
  std::string group_id;
  int64_t producer_id = -1;
  std::string topic;
  int32_t partition = 0;
};
PendingOffsetKey parse_pending_offset(std::string_view key);

std::string group(std::string_view group_id);
std::string group_prefix();
std::string consumer_group(std::string_view group_id);
std::string consumer_group_prefix();
std::string committed_offset(std::string_view group_id, std::string_view topic, int32_t partition);
std::string committed_offsets_prefix();  // every committed offset key starts with this
// Group id, topic and partition of a committed offset key.
struct OffsetKey {
  std::string group_id;
  std::string topic;
  int32_t partition = 0;
};
OffsetKey parse_committed_offset(std::string_view key);
std::string group_id_of(std::string_view group_key);
// The smallest key greater than every key starting with `prefix`.
std::string after_prefix(std::string prefix);

// The RocksDB engine keeps each partition's batches in a column family of
// their own (see rocksdb_store.cpp); these name the partition part of a batch
// key: 'B' topic_id[16] partition[4].
inline constexpr size_t kBatchPartitionPrefixSize = 21;
// The partition prefix of a batch key, or an empty view when `key` is none.
std::string_view batch_partition_prefix(std::string_view key);
// The partition number of a batch partition prefix.
int32_t batch_prefix_partition(std::string_view prefix);
// Every batch key lies in [batch_space_begin(), batch_space_end()).
std::string batch_space_begin();
std::string batch_space_end();

// The RocksDB engine's count of the live batches in one of a partition's
// value files (value_files.h), in a column family of its own: the batch
// partition prefix, then the file number[8].
std::string live_batches(std::string_view batch_prefix, uint64_t file);
uint64_t live_batches_file(std::string_view key);

// Decodes the base offset at the end of a batch key.
int64_t batch_base_offset(std::string_view batch_key);
int64_t producer_id_of(std::string_view producer_key);
wire::Uuid topic_id_of(std::string_view topic_key);

}  // namespace kafkalite::storage::keys
