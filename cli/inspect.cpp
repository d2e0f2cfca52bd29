// kafkalite inspect DATA_DIR: what a kafkalite data directory holds, read
// through the broker's own loaders from a read-only RocksDB secondary
// instance (safe while the broker runs): topics, partitions with their log
// start and high watermark, record batches (header fields, CRC check) and
// their records (transaction markers named), committed offsets, group
// records, producers (with their open transactions), transactional ids,
// aborted transactions and offsets pending in open transactions, each with
// the key it is stored under (broker/storage/README.md).
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "broker/cluster/topic_registry.h"
#include "broker/group/classic_group.h"
#include "broker/group/offset_store.h"
#include "broker/storage/keys.h"
#include "broker/txn/transaction_metadata.h"
#include "cli/commands.h"
#include "common/records/record_batch.h"

namespace kafkalite::cli {

namespace {

using nlohmann::ordered_json;

std::string hex(std::string_view key) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out += key.empty() ? '?' : key[0];
  out += ' ';
  for (size_t i = 1; i < key.size(); ++i) {
    const auto c = static_cast<unsigned char>(key[i]);
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

ordered_json text_or_bytes(const wire::NullableBytes& b) {
  if (!b) return nullptr;
  std::string s(b->begin(), b->end());
  bool printable = true;
  for (unsigned char c : s) printable = printable && (c >= 0x20 || c == '\n' || c == '\t');
  if (printable) return s;
  static const char* digits = "0123456789abcdef";
  std::string out = "0x";
  for (unsigned char c : s) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

ordered_json batches_of(const log::PartitionLog& log, const wire::Uuid& topic_id, int32_t partition,
                        size_t max_records) {
  ordered_json out = ordered_json::array();
  int64_t offset = log.log_start_offset();
  size_t shown = 0;
  while (offset < log.log_end_offset()) {
    wire::Bytes raw;
    if (log.read(offset, 1 << 20, true, raw) == 0) break;
    records::RecordsError error;
    auto batches = records::split_batches(raw, error);
    if (batches.empty()) break;
    for (const auto& batch : batches) {
      const auto& h = batch.header;
      ordered_json b;
      b["key"] = hex(storage::keys::batch(topic_id, partition, h.base_offset));
      b["base_offset"] = h.base_offset;
      b["last_offset"] = h.last_offset();
      b["record_count"] = h.record_count;
      b["bytes"] = h.total_size();
      b["producer_id"] = h.producer_id;
      b["producer_epoch"] = h.producer_epoch;
      b["base_sequence"] = h.base_sequence;
      b["codec"] = std::string(records::compression_name(h.compression()));
      b["timestamp_type"] = h.timestamp_type() == records::TimestampType::kLogAppendTime ? "LogAppendTime" : "CreateTime";
      b["first_timestamp"] = h.base_timestamp;
      b["max_timestamp"] = h.max_timestamp;
      b["transactional"] = h.is_transactional();
      b["control"] = h.is_control();
      records::RecordsError decode_error;
      auto decoded = records::decode_records(batch, decode_error, /*as_produced=*/false);
      b["crc"] = decode_error ? "BAD: " + decode_error.message : "ok";
      // A control batch's record is a transaction marker: key (version,
      // type 0 ABORT / 1 COMMIT), value (version, coordinator epoch).
      if (h.is_control() && decoded && !decoded->empty() && decoded->front().key &&
          decoded->front().key->size() >= 4 && decoded->front().value && decoded->front().value->size() >= 6) {
        const auto& k = *decoded->front().key;
        const auto& v = *decoded->front().value;
        b["marker"] = (k[2] == 0 && k[3] == 1) ? "COMMIT" : (k[2] == 0 && k[3] == 0) ? "ABORT" : "UNKNOWN";
        b["coordinator_epoch"] = (int32_t{v[2]} << 24) | (int32_t{v[3]} << 16) | (int32_t{v[4]} << 8) | int32_t{v[5]};
      }
      ordered_json recs = ordered_json::array();
      if (decoded) {
        for (const auto& r : *decoded) {
          if (shown >= max_records) break;
          ordered_json record;
          record["offset"] = h.base_offset + r.offset_delta;
          record["timestamp"] = h.timestamp_type() == records::TimestampType::kLogAppendTime
                                    ? h.max_timestamp
                                    : h.base_timestamp + r.timestamp_delta;
          record["key"] = text_or_bytes(r.key);
          record["value"] = text_or_bytes(r.value);
          ordered_json headers = ordered_json::array();
          for (const auto& hd : r.headers) headers.push_back({{"key", hd.key}, {"value", text_or_bytes(hd.value)}});
          record["headers"] = headers;
          recs.push_back(record);
          ++shown;
        }
      }
      b["records"] = recs;
      out.push_back(b);
      offset = h.last_offset() + 1;
    }
  }
  return out;
}

ordered_json inspect(storage::KvStore& store, const std::optional<std::string>& only_topic, size_t max_records) {
  namespace keys = storage::keys;
  ordered_json out;
  ordered_json metadata = ordered_json::object();
  store.scan(keys::metadata(""), keys::after_prefix(keys::metadata("")), [&](std::string_view k, std::string_view v) {
    metadata[std::string(k.substr(1))] = std::string(v);
    return true;
  });
  out["metadata"] = metadata;
  cluster::TopicRegistry topics(store);
  ordered_json ts = ordered_json::array();
  ordered_json producers = ordered_json::array();
  for (const auto& [name, topic] : topics.all()) {
    if (only_topic && name != *only_topic) continue;
    ordered_json t;
    t["topic"] = name;
    t["key"] = hex(keys::topic(topic->id));
    t["topic_id"] = topic->id.to_base64();
    t["configs"] = topic->configs;
    ordered_json ps = ordered_json::array();
    for (const auto& log : topic->partitions) {
      ordered_json p;
      p["partition"] = log->partition();
      p["key"] = hex(keys::partition_state(topic->id, log->partition()));
      p["log_start_offset"] = log->log_start_offset();
      p["high_watermark"] = log->log_end_offset();
      p["bytes"] = log->size_bytes();
      p["last_stable_offset"] = log->last_stable_offset();
      p["leader_epoch"] = log->leader_epoch();
      ordered_json epochs = ordered_json::array();
      for (const auto& e : log->epoch_entries()) epochs.push_back({{"epoch", e.epoch}, {"start_offset", e.start_offset}});
      p["epoch_cache"] = epochs;
      p["epochs_key"] = hex(keys::leader_epochs(topic->id, log->partition()));
      p["segments"] = log->segment_bases();
      p["batches"] = batches_of(*log, topic->id, log->partition(), max_records);
      ordered_json aborted = ordered_json::array();
      for (const auto& a : log->aborted_transactions(log->log_start_offset(), log->log_end_offset())) {
        aborted.push_back({{"key", hex(keys::aborted_txn(topic->id, log->partition(), a.last_offset))},
                           {"producer_id", a.producer_id}, {"first_offset", a.first_offset},
                           {"marker_offset", a.last_offset}, {"last_stable_offset", a.last_stable_offset}});
      }
      p["aborted_transactions"] = aborted;
      ps.push_back(p);
      for (const auto& [id, state] : log->producers()) {
        ordered_json pr;
        pr["key"] = hex(keys::producer(topic->id, log->partition(), id));
        pr["topic"] = name;
        pr["partition"] = log->partition();
        pr["producer_id"] = id;
        pr["epoch"] = state.epoch;
        pr["last_timestamp"] = state.last_timestamp;
        pr["open_transaction_first_offset"] = state.txn_first_offset;
        pr["coordinator_epoch"] = state.coordinator_epoch;
        ordered_json recent = ordered_json::array();
        for (const auto& b : state.batches) {
          recent.push_back({{"first_sequence", b.first_sequence}, {"last_sequence", b.last_sequence},
                            {"first_offset", b.first_offset}, {"last_offset", b.last_offset}});
        }
        pr["recent_batches"] = recent;
        producers.push_back(pr);
      }
    }
    t["partitions"] = ps;
    ts.push_back(t);
  }
  out["topics"] = ts;
  const broker::group::OffsetsTopic no_topic;  // inspect only reads
  broker::group::OffsetStore offsets(store, no_topic, [] { return int64_t{0}; });
  std::vector<std::string> group_ids;
  offsets.load([&](const std::string& g) { group_ids.push_back(g); });
  ordered_json committed = ordered_json::array();
  for (const auto& g : group_ids) {
    for (const auto& [topic, partitions] : offsets.committed(g)) {
      if (only_topic && topic != *only_topic) continue;
      for (const auto& [partition, c] : partitions) {
        committed.push_back({{"key", hex(keys::committed_offset(g, topic, partition))}, {"group", g}, {"topic", topic},
                             {"partition", partition}, {"offset", c.offset}, {"leader_epoch", c.leader_epoch},
                             {"metadata", c.metadata}, {"commit_timestamp", c.commit_timestamp_ms},
                             {"expire_timestamp", c.expire_timestamp_ms}});
      }
    }
  }
  out["committed_offsets"] = committed;
  ordered_json groups = ordered_json::array();
  store.scan(keys::group_prefix(), keys::after_prefix(keys::group_prefix()), [&](std::string_view k, std::string_view v) {
    broker::group::ClassicGroup group;
    group.id = keys::group_id_of(k);
    ordered_json g;
    g["key"] = hex(k);
    g["group"] = group.id;
    if (!broker::group::parse_group(v, group)) {
      g["error"] = "unknown record format";
    } else {
      g["state_on_load"] = broker::group::state_name(group.state);
      g["protocol_type"] = group.protocol_type.value_or("");
      g["generation"] = group.generation;
      g["protocol"] = group.protocol_name.value_or("");
      g["leader"] = group.leader.value_or("");
      ordered_json members = ordered_json::array();
      for (const auto& [id, m] : group.members) {
        members.push_back({{"member_id", id}, {"group_instance_id", m.instance_id.value_or("")},
                           {"client_id", m.client_id}, {"host", m.client_host}});
      }
      g["members"] = members;
    }
    groups.push_back(g);
    return true;
  });
  out["groups"] = groups;
  out["producers"] = producers;
  ordered_json transactions = ordered_json::array();
  store.scan(keys::transactions_prefix(), keys::after_prefix(keys::transactions_prefix()),
             [&](std::string_view k, std::string_view v) {
               ordered_json t;
               t["key"] = hex(k);
               t["transactional_id"] = keys::transactional_id_of(k);
               if (auto m = txn::TransactionMetadata::parse(keys::transactional_id_of(k), v)) {
                 t["state"] = std::string(txn::state_name(m->state));
                 t["producer_id"] = m->producer_id;
                 t["producer_epoch"] = m->producer_epoch;
                 t["timeout_ms"] = m->timeout_ms;
                 t["start_timestamp"] = m->start_timestamp_ms;
                 ordered_json in = ordered_json::array();
                 for (const auto& [topic, partition] : m->partitions) in.push_back(topic + "-" + std::to_string(partition));
                 for (const auto& g : m->groups) in.push_back("offsets of group " + g);
                 t["in_transaction"] = in;
               } else {
                 t["error"] = "unknown record format";
               }
               transactions.push_back(t);
               return true;
             });
  out["transactions"] = transactions;
  ordered_json pending = ordered_json::array();
  store.scan(keys::pending_offsets_prefix(), keys::after_prefix(keys::pending_offsets_prefix()),
             [&](std::string_view k, std::string_view) {
               auto parsed = keys::parse_pending_offset(k);
               if (only_topic && parsed.topic != *only_topic) return true;
               pending.push_back({{"key", hex(k)}, {"group", parsed.group_id}, {"producer_id", parsed.producer_id},
                                  {"topic", parsed.topic}, {"partition", parsed.partition}});
               return true;
             });
  out["pending_transactional_offsets"] = pending;
  return out;
}

std::string cell(const ordered_json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

void print_text(const ordered_json& d, const std::string& dir) {
  std::cout << "Data directory " << dir << "\n";
  for (const auto& [k, v] : d["metadata"].items()) std::cout << "  " << k << " = " << cell(v) << "   [M " << k << "]\n";
  for (const auto& t : d["topics"]) {
    std::cout << "\nTopic " << cell(t["topic"]) << "  id " << cell(t["topic_id"]) << "  configs " << t["configs"].dump()
              << "   [" << cell(t["key"]) << "]\n";
    for (const auto& p : t["partitions"]) {
      std::cout << "  Partition " << p["partition"] << ": log start offset " << p["log_start_offset"]
                << ", high watermark " << p["high_watermark"] << ", " << p["bytes"] << " bytes";
      if (p["last_stable_offset"] != p["high_watermark"]) std::cout << ", last stable offset " << p["last_stable_offset"];
      std::cout << "   [" << cell(p["key"]) << "]\n";
      std::cout << "    Leader epoch " << p["leader_epoch"] << ", epoch cache";
      for (const auto& e : p["epoch_cache"]) std::cout << " " << e["epoch"] << "@" << e["start_offset"];
      std::cout << "   [" << cell(p["epochs_key"]) << "]\n";
      std::cout << "    Segments at base offsets " << p["segments"].dump() << "\n";
      for (const auto& b : p["batches"]) {
        std::cout << "    Batch offsets " << b["base_offset"] << "-" << b["last_offset"] << ": " << b["record_count"]
                  << " record(s), " << b["bytes"] << " bytes, codec " << cell(b["codec"]) << ", CRC " << cell(b["crc"])
                  << ", producer id " << b["producer_id"] << " epoch " << b["producer_epoch"] << " base sequence "
                  << b["base_sequence"] << ", " << cell(b["timestamp_type"]) << " first " << b["first_timestamp"]
                  << " max " << b["max_timestamp"];
        if (b.contains("marker")) {
          std::cout << ", " << cell(b["marker"]) << " marker (coordinator epoch " << b["coordinator_epoch"] << ")";
        } else if (b["transactional"].get<bool>()) {
          std::cout << ", transactional";
        }
        std::cout << "   [" << cell(b["key"]) << "]\n";
        if (b.contains("marker")) continue;  // its record is the marker itself
        for (const auto& r : b["records"]) {
          std::cout << "      offset " << r["offset"] << "  timestamp " << r["timestamp"] << "  key " << r["key"].dump()
                    << "  value " << r["value"].dump();
          if (!r["headers"].empty()) std::cout << "  headers " << r["headers"].dump();
          std::cout << "\n";
        }
      }
    }
  }
  std::cout << "\nCommitted offsets\n";
  for (const auto& c : d["committed_offsets"]) {
    std::cout << "  group " << cell(c["group"]) << "  " << cell(c["topic"]) << "-" << c["partition"] << "  offset "
              << c["offset"] << "  leader epoch " << c["leader_epoch"] << "  metadata " << c["metadata"].dump()
              << "  committed at " << c["commit_timestamp"] << "   [" << cell(c["key"]) << "]\n";
  }
  std::cout << "\nGroups\n";
  for (const auto& g : d["groups"]) {
    std::cout << "  " << cell(g["group"]);
    if (g.contains("error")) {
      std::cout << ": " << cell(g["error"]);
    } else {
      std::cout << ": " << cell(g["state_on_load"]) << " on load, generation " << g["generation"] << ", protocol "
                << (cell(g["protocol"]).empty() ? "-" : cell(g["protocol"])) << ", " << g["members"].size() << " member(s)";
    }
    std::cout << "   [" << cell(g["key"]) << "]\n";
    for (const auto& m : g.value("members", ordered_json::array())) {
      std::cout << "    member " << cell(m["member_id"]) << "  client " << cell(m["client_id"]) << "  host "
                << cell(m["host"]) << "\n";
    }
  }
  std::cout << "\nProducers (idempotent and transactional)\n";
  for (const auto& p : d["producers"]) {
    std::cout << "  " << cell(p["topic"]) << "-" << p["partition"] << "  producer id " << p["producer_id"] << "  epoch "
              << p["epoch"] << "  " << p["recent_batches"].size() << " recent batch(es)";
    if (p["open_transaction_first_offset"].get<int64_t>() >= 0) {
      std::cout << "  open transaction from offset " << p["open_transaction_first_offset"];
    }
    std::cout << "   [" << cell(p["key"]) << "]\n";
  }
  std::cout << "\nAborted transactions (read_committed consumers skip their records)\n";
  for (const auto& t : d["topics"]) {
    for (const auto& p : t["partitions"]) {
      for (const auto& a : p["aborted_transactions"]) {
        std::cout << "  " << cell(t["topic"]) << "-" << p["partition"] << "  producer id " << a["producer_id"]
                  << "  offsets " << a["first_offset"] << "-" << a["marker_offset"] << " (ABORT marker at "
                  << a["marker_offset"] << ")   [" << cell(a["key"]) << "]\n";
      }
    }
  }
  std::cout << "\nTransactional ids\n";
  for (const auto& t : d["transactions"]) {
    std::cout << "  " << cell(t["transactional_id"]);
    if (t.contains("error")) {
      std::cout << ": " << cell(t["error"]);
    } else {
      std::cout << ": " << cell(t["state"]) << ", producer id " << t["producer_id"] << " epoch " << t["producer_epoch"]
                << ", timeout " << t["timeout_ms"] << " ms";
      if (!t["in_transaction"].empty()) {
        std::string in;
        for (const auto& e : t["in_transaction"]) in += (in.empty() ? "" : ", ") + cell(e);
        std::cout << ", in it: " << in;
      }
    }
    std::cout << "   [" << cell(t["key"]) << "]\n";
  }
  std::cout << "\nOffsets pending in open transactions\n";
  for (const auto& q : d["pending_transactional_offsets"]) {
    std::cout << "  group " << cell(q["group"]) << "  " << cell(q["topic"]) << "-" << q["partition"]
              << "  producer id " << q["producer_id"] << "   [" << cell(q["key"]) << "]\n";
  }
}

}  // namespace

void add_inspect_command(CLI::App& app, SetExit set_exit) {
  auto* cmd = app.add_subcommand("inspect", "show what a kafkalite data directory holds (read-only, safe while the broker runs)");
  auto dir = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("text");
  auto topic = std::make_shared<std::string>();
  auto max_records = std::make_shared<size_t>(1000);
  cmd->add_option("DATA_DIR", *dir, "the broker's log.dirs (e.g. ./kafkalite-data)")->required();
  cmd->add_option("--format", *format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--topic", *topic, "only this topic");
  cmd->add_option("--max-records", *max_records, "records shown per partition (default 1000)");
  cmd->callback([=] {
    if (!std::filesystem::exists(std::filesystem::path(*dir) / "CURRENT")) {
      std::cerr << "Error: " << *dir << " is not a kafkalite data directory (no RocksDB CURRENT file in it)\n";
      set_exit(1);
      return;
    }
    const auto scratch = std::filesystem::temp_directory_path() / ("kafkalite-inspect-" + std::to_string(::getpid()));
    std::filesystem::create_directories(scratch);
    try {
      auto store = storage::open_rocksdb_reader(*dir, scratch.string());
      const auto data = inspect(*store, topic->empty() ? std::nullopt : std::optional(*topic), *max_records);
      if (*format == "json") {
        std::cout << data.dump(2) << "\n";
      } else {
        print_text(data, std::filesystem::absolute(*dir).string());
      }
      set_exit(0);
    } catch (const std::exception& e) {
      std::cerr << "Error: cannot read " << *dir << ": " << e.what() << "\n";
      set_exit(1);
    }
    std::filesystem::remove_all(scratch);
  });
}

}  // namespace kafkalite::cli
