#include "broker/storage/keys.h"

#include <cstring>

namespace kafkalite::storage::keys {
namespace {

void append_be(std::string& out, uint64_t v, int width) {
  for (int i = width - 1; i >= 0; --i) out.push_back(static_cast<char>(v >> (8 * i)));
}

uint64_t read_be(std::string_view s, size_t at, int width) {
  uint64_t v = 0;
  for (int i = 0; i < width; ++i) v = (v << 8) | static_cast<uint8_t>(s[at + static_cast<size_t>(i)]);
  return v;
}

std::string with_topic(char kind, const wire::Uuid& topic_id) {
  std::string key(1, kind);
  key.append(reinterpret_cast<const char*>(topic_id.bytes.data()), topic_id.bytes.size());
  return key;
}

std::string with_partition(char kind, const wire::Uuid& topic_id, int32_t partition) {
  std::string key = with_topic(kind, topic_id);
  append_be(key, static_cast<uint32_t>(partition), 4);
  return key;
}

void append_string(std::string& key, std::string_view s) {
  append_be(key, s.size(), 2);
  key.append(s);
}

}  // namespace

std::string after_prefix(std::string prefix) {
  while (!prefix.empty() && static_cast<uint8_t>(prefix.back()) == 0xff) prefix.pop_back();
  if (!prefix.empty()) prefix.back() = static_cast<char>(prefix.back() + 1);
  return prefix;
}

std::string group(std::string_view group_id) {
  std::string key = "G";
  append_string(key, group_id);
  return key;
}
std::string group_prefix() { return "G"; }
std::string consumer_group(std::string_view group_id) {
  std::string key = "N";
  append_string(key, group_id);
  return key;
}
std::string consumer_group_prefix() { return "N"; }
std::string group_id_of(std::string_view group_key) {
  const size_t len = read_be(group_key, 1, 2);
  return std::string(group_key.substr(3, len));
}
std::string committed_offset(std::string_view group_id, std::string_view topic, int32_t partition) {
  std::string key = "O";
  append_string(key, group_id);
  append_string(key, topic);
  append_be(key, static_cast<uint32_t>(partition), 4);
  return key;
}
std::string committed_offsets_prefix() { return "O"; }
OffsetKey parse_committed_offset(std::string_view key) {
  OffsetKey out;
  size_t at = 1;
  const size_t group_len = read_be(key, at, 2);
  out.group_id = std::string(key.substr(at + 2, group_len));
  at += 2 + group_len;
  const size_t topic_len = read_be(key, at, 2);
  out.topic = std::string(key.substr(at + 2, topic_len));
  at += 2 + topic_len;
  out.partition = static_cast<int32_t>(read_be(key, at, 4));
  return out;
}

std::string transaction(std::string_view transactional_id) {
  std::string key = "X";
  append_string(key, transactional_id);
  return key;
}
std::string transactions_prefix() { return "X"; }
std::string transactional_id_of(std::string_view transaction_key) {
  const size_t len = read_be(transaction_key, 1, 2);
  return std::string(transaction_key.substr(3, len));
}

std::string pending_offsets_of(std::string_view group_id, int64_t producer_id) {
  std::string key = "Q";
  append_string(key, group_id);
  append_be(key, static_cast<uint64_t>(producer_id), 8);
  return key;
}
std::string pending_offset(std::string_view group_id, int64_t producer_id, std::string_view topic,
                           int32_t partition) {
  std::string key = pending_offsets_of(group_id, producer_id);
  append_string(key, topic);
  append_be(key, static_cast<uint32_t>(partition), 4);
  return key;
}
std::string pending_offsets_prefix() { return "Q"; }
PendingOffsetKey parse_pending_offset(std::string_view key) {
  PendingOffsetKey out;
  size_t at = 1;
  const size_t group_len = read_be(key, at, 2);
  out.group_id = std::string(key.substr(at + 2, group_len));
  at += 2 + group_len;
  out.producer_id = static_cast<int64_t>(read_be(key, at, 8));
  at += 8;
  const size_t topic_len = read_be(key, at, 2);
  out.topic = std::string(key.substr(at + 2, topic_len));
  at += 2 + topic_len;
  out.partition = static_cast<int32_t>(read_be(key, at, 4));
  return out;
}

std::string metadata(std::string_view name) { return "M" + std::string(name); }
std::string dynamic_configs(std::string_view entity) { return "C" + std::string(entity); }
std::string dynamic_configs_prefix() { return "C"; }
std::string scram_credential(std::string_view user, int8_t mechanism) {
  std::string key = "U";
  append_string(key, user);
  key.push_back(static_cast<char>(mechanism));
  return key;
}
std::string scram_credentials_prefix() { return "U"; }
std::string acl(const wire::Uuid& id) { return with_topic('E', id); }
std::string acls_prefix() { return "E"; }
wire::Uuid parse_acl(std::string_view key) {
  wire::Uuid id;
  for (size_t i = 0; i < id.bytes.size() && 1 + i < key.size(); ++i) id.bytes[i] = static_cast<uint8_t>(key[1 + i]);
  return id;
}
ScramCredentialKey parse_scram_credential(std::string_view key) {
  const size_t len = read_be(key, 1, 2);
  return {std::string(key.substr(3, len)), static_cast<int8_t>(key.at(3 + len))};
}
std::string topic(const wire::Uuid& topic_id) { return with_topic('T', topic_id); }
std::string topic_prefix() { return "T"; }
std::string partition_state(const wire::Uuid& topic_id, int32_t partition) {
  return with_partition('P', topic_id, partition);
}
std::string batch(const wire::Uuid& topic_id, int32_t partition, int64_t base_offset) {
  std::string key = with_partition('B', topic_id, partition);
  append_be(key, static_cast<uint64_t>(base_offset), 8);
  return key;
}
std::string batches_begin(const wire::Uuid& topic_id, int32_t partition) {
  return with_partition('B', topic_id, partition);
}
std::string batches_end(const wire::Uuid& topic_id, int32_t partition) {
  return after_prefix(with_partition('B', topic_id, partition));
}
std::string producer(const wire::Uuid& topic_id, int32_t partition, int64_t producer_id) {
  std::string key = with_partition('S', topic_id, partition);
  append_be(key, static_cast<uint64_t>(producer_id), 8);
  return key;
}
std::string producers_begin(const wire::Uuid& topic_id, int32_t partition) {
  return with_partition('S', topic_id, partition);
}
std::string producers_end(const wire::Uuid& topic_id, int32_t partition) {
  return after_prefix(with_partition('S', topic_id, partition));
}
std::string index_block(const wire::Uuid& topic_id, int32_t partition, int64_t first_offset) {
  std::string key = with_partition('K', topic_id, partition);
  append_be(key, static_cast<uint64_t>(first_offset), 8);
  return key;
}
std::string index_blocks_begin(const wire::Uuid& topic_id, int32_t partition) {
  return with_partition('K', topic_id, partition);
}
std::string index_blocks_end(const wire::Uuid& topic_id, int32_t partition) {
  return after_prefix(with_partition('K', topic_id, partition));
}
int64_t index_block_offset(std::string_view block_key) {
  return static_cast<int64_t>(read_be(block_key, block_key.size() - 8, 8));
}
std::string aborted_txn(const wire::Uuid& topic_id, int32_t partition, int64_t last_offset) {
  std::string key = with_partition('A', topic_id, partition);
  append_be(key, static_cast<uint64_t>(last_offset), 8);
  return key;
}
std::string aborted_txns_begin(const wire::Uuid& topic_id, int32_t partition) {
  return with_partition('A', topic_id, partition);
}
std::string aborted_txns_end(const wire::Uuid& topic_id, int32_t partition) {
  return after_prefix(with_partition('A', topic_id, partition));
}
int64_t aborted_txn_offset(std::string_view key) {
  return static_cast<int64_t>(read_be(key, key.size() - 8, 8));
}
std::string leader_epochs(const wire::Uuid& topic_id, int32_t partition) {
  return with_partition('L', topic_id, partition);
}
std::string topic_begin(char kind, const wire::Uuid& topic_id) { return with_topic(kind, topic_id); }
std::string topic_end(char kind, const wire::Uuid& topic_id) {
  return after_prefix(with_topic(kind, topic_id));
}

std::string_view batch_partition_prefix(std::string_view key) {
  if (key.size() < kBatchPartitionPrefixSize || key[0] != 'B') return {};
  return key.substr(0, kBatchPartitionPrefixSize);
}
int32_t batch_prefix_partition(std::string_view prefix) { return static_cast<int32_t>(read_be(prefix, 17, 4)); }
std::string batch_space_begin() { return "B"; }
std::string batch_space_end() { return "C"; }

std::string live_batches(std::string_view batch_prefix, uint64_t file) {
  std::string key(batch_prefix);
  append_be(key, file, 8);
  return key;
}
uint64_t live_batches_file(std::string_view key) { return read_be(key, key.size() - 8, 8); }

int64_t batch_base_offset(std::string_view batch_key) {
  return static_cast<int64_t>(read_be(batch_key, batch_key.size() - 8, 8));
}
int64_t producer_id_of(std::string_view producer_key) {
  return static_cast<int64_t>(read_be(producer_key, producer_key.size() - 8, 8));
}
wire::Uuid topic_id_of(std::string_view topic_key) {
  wire::Uuid id;
  std::memcpy(id.bytes.data(), topic_key.data() + 1, 16);
  return id;
}

}  // namespace kafkalite::storage::keys
