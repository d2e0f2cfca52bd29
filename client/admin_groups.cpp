// Admin: consumer groups and their committed offsets.
#include "client/admin.h"
#include "client/requests.h"
#include "common/protocol/wire/reader.h"

namespace kafkalite::client {

using namespace protocol;

std::vector<TopicPartition> decode_consumer_assignment(std::span<const uint8_t> bytes) {
  // ConsumerProtocolAssignment (any version): version, [topic, [partition]],
  // user data; later versions only add fields after these.
  std::vector<TopicPartition> out;
  if (bytes.empty()) return out;
  wire::Reader r(bytes);
  r.read_int16();
  const int32_t topics = r.read_int32();
  for (int32_t i = 0; i < topics && r.ok(); ++i) {
    const std::string topic = r.read_string(false);
    const int32_t partitions = r.read_int32();
    for (int32_t j = 0; j < partitions && r.ok(); ++j) out.push_back({topic, r.read_int32()});
  }
  if (!r.ok()) return {};
  return out;
}

Result<std::vector<GroupListing>> Admin::list_groups(const std::vector<std::string>& states,
                                                    const std::vector<std::string>& types) {
  ListGroupsRequest request;
  request.states_filter = states;
  request.types_filter = types;
  auto response = cluster_->call<ListGroupsApi>(request);
  if (!response) return response.error();
  if (response->error_code != ErrorCode::None) return Error(response->error_code);
  std::vector<GroupListing> out;
  for (const auto& g : response->groups) out.push_back({g.group_id.value(), g.protocol_type, g.group_state, g.group_type});
  return out;
}

namespace {

std::vector<TopicPartition> partitions_of(const ConsumerGroupDescribeResponse::Assignment& assignment) {
  std::vector<TopicPartition> out;
  for (const auto& t : assignment.topic_partitions) {
    for (int32_t p : t.partitions) out.push_back({t.topic_name.value(), p});
  }
  return out;
}

MemberDescription member_of(const std::string& id, const std::optional<std::string>& instance,
                            const std::string& client_id, const std::string& host) {
  MemberDescription m;
  m.member_id = id;
  m.group_instance_id = instance;
  m.client_id = client_id;
  m.host = host;
  return m;
}

GroupDescription consumer_group(const ConsumerGroupDescribeResponse::DescribedGroup& g) {
  GroupDescription d;
  d.group_id = g.group_id.value();
  d.type = "consumer";
  d.state = g.group_state;
  d.protocol_type = "consumer";
  d.protocol = g.assignor_name;
  d.group_epoch = g.group_epoch;
  d.assignment_epoch = g.assignment_epoch;
  for (const auto& m : g.members) {
    MemberDescription member = member_of(m.member_id, m.instance_id, m.client_id, m.client_host);
    member.assignment = partitions_of(m.assignment);
    member.member_epoch = m.member_epoch;
    member.target_assignment = partitions_of(m.target_assignment);
    if (m.member_type != -1) member.upgraded = m.member_type == 1;
    d.members.push_back(std::move(member));
  }
  return d;
}

}  // namespace

Result<std::vector<GroupDescription>> Admin::describe_groups(const std::vector<std::string>& ids) {
  std::vector<GroupDescription> out;
  for (const auto& id : ids) {
    auto coordinator = group_coordinator(id);
    if (!coordinator) return coordinator.error();
    // Kafka's admin asks ConsumerGroupDescribe first; a group it does not
    // know as a consumer group is asked for again with DescribeGroups, and
    // if that finds nothing either, ConsumerGroupDescribe's answer stands.
    std::optional<Error> not_found;
    if (cluster_->version<ConsumerGroupDescribeApi>() >= 0) {
      ConsumerGroupDescribeRequest request;
      request.group_ids.emplace_back(id);
      auto response = cluster_->call<ConsumerGroupDescribeApi>(request, *coordinator);
      if (!response) return response.error();
      if (response->groups.size() == 1) {
        const auto& g = response->groups.front();
        if (g.error_code == ErrorCode::None) {
          out.push_back(consumer_group(g));
          continue;
        }
        if (g.error_code != ErrorCode::GroupIdNotFound) {
          GroupDescription d;
          d.group_id = id;
          d.error = Error(g.error_code, g.error_message.value_or(""));
          out.push_back(std::move(d));
          continue;
        }
        not_found = Error(g.error_code, g.error_message.value_or(""));
      }
    }
    DescribeGroupsRequest request;
    request.groups.emplace_back(id);
    auto response = cluster_->call<DescribeGroupsApi>(request, *coordinator);
    if (!response) return response.error();
    for (const auto& g : response->groups) {
      GroupDescription d;
      d.group_id = g.group_id.value();
      d.state = g.group_state;
      d.protocol_type = g.protocol_type;
      d.protocol = g.protocol_data;
      d.error = Error(g.error_code, g.error_message.value_or(""));
      if (not_found && (g.error_code == ErrorCode::GroupIdNotFound || g.group_state == "Dead")) d.error = *not_found;
      for (const auto& m : g.members) {
        MemberDescription member = member_of(m.member_id, m.group_instance_id, m.client_id, m.client_host);
        if (g.protocol_type == "consumer") member.assignment = decode_consumer_assignment(m.member_assignment);
        d.members.push_back(std::move(member));
      }
      out.push_back(std::move(d));
    }
  }
  return out;
}

Result<std::map<std::string, Error>> Admin::delete_groups(const std::vector<std::string>& ids) {
  std::map<std::string, Error> out;
  for (const auto& id : ids) {
    auto coordinator = group_coordinator(id);
    if (!coordinator) {
      out[id] = coordinator.error();
      continue;
    }
    DeleteGroupsRequest request;
    request.groups_names.emplace_back(id);
    auto response = cluster_->call<DeleteGroupsApi>(request, *coordinator);
    if (!response) return response.error();
    for (const auto& r : response->results) out[r.group_id.value()] = Error(r.error_code);
  }
  return out;
}

Result<std::map<TopicPartition, CommittedOffset>> Admin::list_group_offsets(
    const std::string& group, const std::optional<std::vector<TopicPartition>>& partitions) {
  auto coordinator = group_coordinator(group);
  if (!coordinator) return coordinator.error();
  const int16_t version = cluster_->version_up_to<OffsetFetchApi>(kOffsetsByName);
  OffsetFetchRequest request;
  if (version >= 8) {
    auto& g = request.groups.emplace_back();
    g.group_id = GroupId(group);
    if (partitions) {
      for (const auto& tp : *partitions) {
        topic_entry(*g.topics, tp.topic).partition_indexes.push_back(tp.partition);
      }
    } else {
      g.topics.reset();
    }
  } else {
    request.group_id = GroupId(group);
    if (partitions) {
      for (const auto& tp : *partitions) {
        topic_entry(*request.topics, tp.topic).partition_indexes.push_back(tp.partition);
      }
    } else {
      request.topics.reset();
    }
  }
  auto response = cluster_->call<OffsetFetchApi>(request, *coordinator, version);
  if (!response) return response.error();
  std::map<TopicPartition, CommittedOffset> out;
  auto add = [&](const std::string& topic, const auto& p) -> Error {
    if (p.error_code != ErrorCode::None) return Error(p.error_code);
    out[{topic, p.partition_index}] = {p.committed_offset, p.committed_leader_epoch, p.metadata};
    return {};
  };
  if (version >= 8) {
    for (const auto& g : response->groups) {
      if (g.error_code != ErrorCode::None) return Error(g.error_code);
      for (const auto& t : g.topics) {
        for (const auto& p : t.partitions) {
          if (Error e = add(t.name.value(), p)) return e;
        }
      }
    }
  } else {
    if (response->error_code != ErrorCode::None) return Error(response->error_code);
    for (const auto& t : response->topics) {
      for (const auto& p : t.partitions) {
        if (Error e = add(t.name.value(), p)) return e;
      }
    }
  }
  return out;
}

Result<std::map<TopicPartition, Error>> Admin::alter_group_offsets(const std::string& group,
                                                                  const std::map<TopicPartition, int64_t>& offsets) {
  auto coordinator = group_coordinator(group);
  if (!coordinator) return coordinator.error();
  const auto request = offset_commit_request(group, -1, "", std::nullopt, offsets);
  auto response = cluster_->call<OffsetCommitApi>(request, *coordinator,
                                                  cluster_->version_up_to<OffsetCommitApi>(kOffsetsByName));
  if (!response) return response.error();
  std::map<TopicPartition, Error> out;
  for (const auto& t : response->topics) {
    for (const auto& p : t.partitions) out[{t.name.value(), p.partition_index}] = Error(p.error_code);
  }
  return out;
}

Result<std::map<TopicPartition, Error>> Admin::delete_group_offsets(const std::string& group,
                                                                   const std::vector<TopicPartition>& partitions) {
  auto coordinator = group_coordinator(group);
  if (!coordinator) return coordinator.error();
  OffsetDeleteRequest request;
  request.group_id = GroupId(group);
  for (const auto& tp : partitions) topic_entry(request.topics, tp.topic).partitions.emplace_back().partition_index = tp.partition;
  auto response = cluster_->call<OffsetDeleteApi>(request, *coordinator);
  if (!response) return response.error();
  if (response->error_code != ErrorCode::None) return Error(response->error_code);
  std::map<TopicPartition, Error> out;
  for (const auto& t : response->topics) {
    for (const auto& p : t.partitions) out[{t.name.value(), p.partition_index}] = Error(p.error_code);
  }
  return out;
}

}  // namespace kafkalite::client
