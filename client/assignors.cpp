#include "client/assignors.h"

#include <algorithm>
#include <set>

#include "common/protocol/wire/reader.h"
#include "common/protocol/wire/writer.h"

namespace kafkalite::client {

wire::Bytes encode_subscription(const std::vector<std::string>& topics) {
  wire::Writer w;
  w.write_int16(0);
  w.write_int32(static_cast<int32_t>(topics.size()));
  for (const auto& t : topics) w.write_string(t, false);
  w.write_int32(-1);  // user data: null
  return w.take();
}

std::optional<std::vector<std::string>> decode_subscription(std::span<const uint8_t> bytes) {
  wire::Reader r(bytes);
  r.read_int16();
  const int32_t count = r.read_int32();
  std::vector<std::string> topics;
  for (int32_t i = 0; i < count && r.ok(); ++i) topics.push_back(r.read_string(false));
  if (!r.ok()) return std::nullopt;
  return topics;
}

wire::Bytes encode_assignment(const std::vector<TopicPartition>& partitions) {
  std::map<std::string, std::vector<int32_t>> by_topic;
  for (const auto& tp : partitions) by_topic[tp.topic].push_back(tp.partition);
  wire::Writer w;
  w.write_int16(0);
  w.write_int32(static_cast<int32_t>(by_topic.size()));
  for (const auto& [topic, ps] : by_topic) {
    w.write_string(topic, false);
    w.write_int32(static_cast<int32_t>(ps.size()));
    for (int32_t p : ps) w.write_int32(p);
  }
  w.write_int32(-1);  // user data: null
  return w.take();
}

namespace {

// Kafka orders members by group instance id when both have one, else by
// member id (AbstractPartitionAssignor.MemberInfo).
std::vector<const GroupMember*> ordered(const std::vector<GroupMember>& members) {
  std::vector<const GroupMember*> out;
  for (const auto& m : members) out.push_back(&m);
  std::sort(out.begin(), out.end(), [](const GroupMember* a, const GroupMember* b) {
    if (a->group_instance_id && b->group_instance_id) return *a->group_instance_id < *b->group_instance_id;
    if (a->group_instance_id) return true;
    if (b->group_instance_id) return false;
    return a->member_id < b->member_id;
  });
  return out;
}

bool subscribes(const GroupMember& m, const std::string& topic) {
  return std::find(m.topics.begin(), m.topics.end(), topic) != m.topics.end();
}

Assignment empty_assignment(const std::vector<GroupMember>& members) {
  Assignment out;
  for (const auto& m : members) out[m.member_id];
  return out;
}

}  // namespace

Assignment assign_range(const std::vector<GroupMember>& members, const std::map<std::string, int32_t>& partitions) {
  Assignment out = empty_assignment(members);
  const auto order = ordered(members);
  for (const auto& [topic, count] : partitions) {
    std::vector<const GroupMember*> consumers;
    for (const auto* m : order) {
      if (subscribes(*m, topic)) consumers.push_back(m);
    }
    if (consumers.empty()) continue;
    const int32_t n = static_cast<int32_t>(consumers.size());
    const int32_t per = count / n, extra = count % n;
    for (int32_t i = 0; i < n; ++i) {
      const int32_t start = per * i + std::min(i, extra);
      const int32_t length = per + (i < extra ? 1 : 0);
      for (int32_t p = start; p < start + length; ++p) out[consumers[i]->member_id].push_back({topic, p});
    }
  }
  return out;
}

Assignment assign_roundrobin(const std::vector<GroupMember>& members,
                             const std::map<std::string, int32_t>& partitions) {
  Assignment out = empty_assignment(members);
  const auto order = ordered(members);
  if (order.empty()) return out;
  size_t next = 0;
  for (const auto& [topic, count] : partitions) {
    for (int32_t p = 0; p < count; ++p) {
      for (size_t tries = 0; tries < order.size(); ++tries) {
        const GroupMember* m = order[next];
        next = (next + 1) % order.size();
        if (subscribes(*m, topic)) {
          out[m->member_id].push_back({topic, p});
          break;
        }
      }
    }
  }
  return out;
}

}  // namespace kafkalite::client
