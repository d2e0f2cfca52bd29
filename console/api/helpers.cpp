#include "console/api/helpers.h"

#include <chrono>
#include <thread>

#include "common/text.h"

namespace kafkalite::console::api {

int http_status_for(const client::Error& error) {
  using client::ErrorCode;
  switch (error.code) {
    case ErrorCode::UnknownTopicOrPartition:
    case ErrorCode::GroupIdNotFound:
    case ErrorCode::UnknownTopicId:
      return 404;
    case ErrorCode::TopicAlreadyExists:
    case ErrorCode::NonEmptyGroup:
    case ErrorCode::UnknownMemberId:
    case ErrorCode::RebalanceInProgress:
      return 409;
    case ErrorCode::NetworkException:
    case ErrorCode::RequestTimedOut:
    case ErrorCode::CoordinatorNotAvailable:
    case ErrorCode::BrokerNotAvailable:
    case ErrorCode::LeaderNotAvailable:
      return 503;
    case ErrorCode::MessageTooLarge:
    case ErrorCode::RecordListTooLarge:
      return 413;
    case ErrorCode::UnknownServerError:
      return 500;
    default:
      return 400;
  }
}

Response kafka_error(const client::Error& error) {
  // Without a message from the broker: the text Kafka's exception carries.
  const std::string message =
      error.message.empty() ? std::string(protocol::error_default_message(error.code)) : error.message;
  return error_response(http_status_for(error), error.name(), message);
}

std::optional<int64_t> query_int(const Request& request, const std::string& name, bool& bad) {
  auto text = request.query_value(name);
  if (!text || text->empty()) return std::nullopt;
  auto value = parse_int(*text);
  if (!value) bad = true;
  return value;
}

client::Result<client::TopicInfo> describe_topic(client::Admin& admin, const std::string& name) {
  auto described = admin.describe_topics({name});
  if (!described) return described.error();
  if (described->empty()) {
    return client::Error(client::ErrorCode::UnknownTopicOrPartition, "Topic '" + name + "' does not exist.");
  }
  if (described->front().error) return described->front().error;
  return described->front();
}

client::Result<std::map<client::TopicPartition, PartitionOffsets>> offsets_of(
    client::Admin& admin, const std::vector<client::TopicPartition>& partitions) {
  std::map<client::TopicPartition, PartitionOffsets> out;
  if (partitions.empty()) return out;
  std::map<client::TopicPartition, client::OffsetSpec> earliest, latest;
  for (const auto& tp : partitions) {
    earliest[tp] = {client::OffsetSpec::kEarliest};
    latest[tp] = {client::OffsetSpec::kLatest};
  }
  // A partition just created may not have its leader ready for a moment:
  // retriable errors are asked again, as Kafka's admin client does.
  std::optional<client::Error> failed;
  retry_for_a_while([&] {
    auto starts = admin.list_offsets(earliest);
    if (!starts) {
      failed = starts.error();
      return true;
    }
    auto ends = admin.list_offsets(latest);
    if (!ends) {
      failed = ends.error();
      return true;
    }
    bool retry = false;
    for (const auto& tp : partitions) {
      PartitionOffsets& o = out[tp];
      for (auto [answers, field] : {std::pair{&*starts, &o.log_start}, std::pair{&*ends, &o.end}}) {
        auto it = answers->find(tp);
        if (it == answers->end()) continue;
        if (!it->second.error) {
          *field = it->second.offset;
        } else if (it->second.error.retriable()) {
          retry = true;
        }
      }
    }
    return !retry;
  });
  if (failed) return *failed;
  return out;
}

void retry_for_a_while(const std::function<bool()>& attempt) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!attempt() && std::chrono::steady_clock::now() <= deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::vector<client::TopicPartition> partitions_of(const std::vector<client::TopicInfo>& topics) {
  std::vector<client::TopicPartition> out;
  for (const auto& t : topics) {
    if (t.error) continue;
    for (const auto& p : t.partitions) out.push_back({t.name, p.partition});
  }
  return out;
}

bool is_utf8(std::span<const uint8_t> bytes) {
  size_t i = 0;
  while (i < bytes.size()) {
    const uint8_t c = bytes[i];
    if (c == 0) return false;  // NUL: shown as bytes
    size_t n = 0;  // continuation bytes
    if (c < 0x80) {
      n = 0;
    } else if ((c >> 5) == 0x6) {
      n = 1;
    } else if ((c >> 4) == 0xe) {
      n = 2;
    } else if ((c >> 3) == 0x1e) {
      n = 3;
    } else {
      return false;
    }
    if (i + n >= bytes.size()) return false;
    for (size_t k = 1; k <= n; ++k) {
      if ((bytes[i + k] & 0xc0) != 0x80) return false;
    }
    i += n + 1;
  }
  return true;
}


void put_bytes(json& out, const std::string& field, const wire::NullableBytes& bytes) {
  if (!bytes) {
    out[field] = nullptr;
    return;
  }
  if (is_utf8(*bytes)) {
    out[field] = std::string(bytes->begin(), bytes->end());
  } else {
    out[field] = text::to_base64(*bytes);
    out[field + "_encoding"] = "base64";
  }
}

json config_json(const client::ConfigEntry& entry) {
  json synonyms = json::array();
  for (const auto& s : entry.synonyms) {
    synonyms.push_back({{"name", s.name},
                        {"value", s.value ? json(*s.value) : json(nullptr)},
                        {"source", std::string(client::config_source_name(s.source))}});
  }
  return json{{"name", entry.name},
              {"value", entry.sensitive ? json(nullptr) : entry.value ? json(*entry.value) : json(nullptr)},
              {"source", std::string(client::config_source_name(entry.source))},
              {"read_only", entry.read_only},
              {"sensitive", entry.sensitive},
              {"synonyms", synonyms}};
}

}  // namespace kafkalite::console::api
