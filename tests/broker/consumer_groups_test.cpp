// KIP-848 consumer groups: the assignors and reconciliation on their own,
// and the coordinator's timers through a broker.
#include <nlohmann/json.hpp>

#include "broker/group/assignors.h"
#include "broker/group/reconciliation.h"
#include "common/observe/journal.h"
#include "common/protocol/consumer_protocol.h"
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

namespace group = kafkalite::broker::group;

using group::Assignment;
using group::ConsumerMember;
using group::MemberState;

wire::Uuid topic_id(uint8_t n) {
  wire::Uuid id;
  id.bytes[15] = n;
  return id;
}

group::AssignmentSpec spec(std::vector<std::pair<std::string, std::set<uint8_t>>> members,
                           std::map<uint8_t, int32_t> topics) {
  group::AssignmentSpec s;
  for (auto& [id, subscribed] : members) {
    auto& m = s.members.emplace_back();
    m.member_id = id;
    for (uint8_t t : subscribed) m.subscribed.insert(topic_id(t));
  }
  for (auto [t, n] : topics) s.topics[topic_id(t)] = {"topic-" + std::to_string(t), n};
  return s;
}

size_t count(const Assignment& a) {
  size_t n = 0;
  for (const auto& [t, ps] : a) n += ps.size();
  return n;
}

TEST(UniformAssignor, SpreadsEvenlyAndAMemberJoiningTakesOnlyItsShare) {
  auto s = spec({{"a", {1}}}, {{1, 4}});
  auto alone = group::assign_uniform(s);
  EXPECT_EQ(alone["a"], (Assignment{{topic_id(1), {0, 1, 2, 3}}}));

  s = spec({{"a", {1}}, {"b", {1}}}, {{1, 4}});
  s.members[0].current = alone["a"];
  auto two = group::assign_uniform(s);
  EXPECT_EQ(count(two["a"]), 2u);
  EXPECT_EQ(count(two["b"]), 2u);
  // a kept two of its own: nothing it keeps moved to b.
  for (int32_t p : two["a"][topic_id(1)]) EXPECT_TRUE(alone["a"][topic_id(1)].count(p));
  for (int32_t p : two["b"][topic_id(1)]) EXPECT_FALSE(two["a"][topic_id(1)].count(p));

  s = spec({{"a", {1}}, {"b", {1}}, {"c", {1}}}, {{1, 4}});
  auto three = group::assign_uniform(s);
  std::vector<size_t> sizes = {count(three["a"]), count(three["b"]), count(three["c"])};
  std::sort(sizes.begin(), sizes.end());
  EXPECT_EQ(sizes, (std::vector<size_t>{1, 1, 2}));
}

TEST(UniformAssignor, DifferentSubscriptionsAreBalancedWithinWhatEachMemberWants) {
  // a wants topics 1 and 2, b only topic 2: b gets topic 2, a topic 1 and
  // what balance leaves.
  auto s = spec({{"a", {1, 2}}, {"b", {2}}}, {{1, 2}, {2, 2}});
  auto out = group::assign_uniform(s);
  EXPECT_EQ(count(out["a"]) + count(out["b"]), 4u);
  EXPECT_EQ(out["b"].count(topic_id(1)), 0u);
  EXPECT_EQ(count(out["a"]), 2u);
  EXPECT_EQ(count(out["b"]), 2u);
}

TEST(RangeAssignor, ConsecutiveRangesAndTheSameNumbersAcrossTopics) {
  auto s = spec({{"a", {1, 2}}, {"b", {1, 2}}}, {{1, 5}, {2, 5}});
  auto out = group::assign_range(s);
  EXPECT_EQ(out["a"][topic_id(1)], (std::set<int32_t>{0, 1, 2}));
  EXPECT_EQ(out["b"][topic_id(1)], (std::set<int32_t>{3, 4}));
  EXPECT_EQ(out["a"][topic_id(2)], out["a"][topic_id(1)]);
  EXPECT_EQ(out["b"][topic_id(2)], out["b"][topic_id(1)]);
}

TEST(Reconciliation, RevokesFirstThenMovesToTheNewEpoch) {
  ConsumerMember a;
  a.id = "a";
  a.epoch = 1;
  a.previous_epoch = 0;
  a.assigned = {{topic_id(1), {0, 1, 2, 3}}};
  const Assignment target = {{topic_id(1), {0, 1}}};
  auto held_by_a = [](const wire::Uuid&, int32_t) { return 1; };
  Assignment still_owned = a.assigned;
  auto step = group::next_assignment(a, 2, target, still_owned, held_by_a);
  EXPECT_EQ(step.state, MemberState::kUnrevokedPartitions);
  EXPECT_EQ(step.epoch, 1);
  EXPECT_EQ(step.assigned, target);
  EXPECT_EQ(step.pending_revocation, (Assignment{{topic_id(1), {2, 3}}}));
  // Not reporting what it owns: it may still own them.
  EXPECT_EQ(group::next_assignment(step, 2, target, std::nullopt, held_by_a).state,
            MemberState::kUnrevokedPartitions);
  auto done = group::next_assignment(step, 2, target, target, held_by_a);
  EXPECT_EQ(done.state, MemberState::kStable);
  EXPECT_EQ(done.epoch, 2);
  EXPECT_EQ(done.previous_epoch, 1);
  EXPECT_TRUE(done.pending_revocation.empty());
}

TEST(Reconciliation, PartitionsAnotherMemberHoldsAreWithheldUntilReleased) {
  ConsumerMember b;
  b.id = "b";
  const Assignment target = {{topic_id(1), {2, 3}}};
  int32_t holder = 1;
  auto epochs = [&](const wire::Uuid&, int32_t) { return holder; };
  auto waiting = group::next_assignment(b, 2, target, Assignment{}, epochs);
  EXPECT_EQ(waiting.state, MemberState::kUnreleasedPartitions);
  EXPECT_EQ(waiting.epoch, 2);
  EXPECT_TRUE(waiting.assigned.empty());
  holder = -1;  // released
  auto given = group::next_assignment(waiting, 2, target, Assignment{}, epochs);
  EXPECT_EQ(given.state, MemberState::kStable);
  EXPECT_EQ(given.assigned, target);
}

TEST(ConsumerGroupConfigs, ABrokerWithIntervalsOrTimeoutsOutsideTheirBoundsDoesNotStart) {
  auto refused = [](std::map<std::string, std::string> properties) -> std::string {
    try {
      EmbeddedBroker::start({"", std::move(properties)});
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "started";
  };
  EXPECT_EQ(refused({}), "started");
  EXPECT_EQ(refused({{"group.consumer.heartbeat.interval.ms", "20000"}}),
            "group.consumer.heartbeat.interval.ms must be less than or equal to group.consumer.max.heartbeat.interval.ms");
  EXPECT_EQ(refused({{"group.consumer.session.timeout.ms", "1000"}}),
            "group.consumer.session.timeout.ms must be greater than or equal to group.consumer.min.session.timeout.ms");
  EXPECT_EQ(refused({{"group.consumer.min.session.timeout.ms", "70000"}}),
            "group.consumer.max.session.timeout.ms must be greater than or equal to group.consumer.min.session.timeout.ms");
  EXPECT_EQ(refused({{"group.consumer.session.timeout.ms", "10000"},
                     {"group.consumer.min.session.timeout.ms", "10000"},
                     {"group.consumer.heartbeat.interval.ms", "10000"}}),
            "group.consumer.heartbeat.interval.ms must be less than group.consumer.session.timeout.ms");
}

class ConsumerGroupTimers : public BrokerTest {
 protected:
  // Kafka's bounds move with the timeout (it refuses to start otherwise).
  EmbeddedBroker::Options options() override {
    return {"",
            {{"group.consumer.session.timeout.ms", "300"},
             {"group.consumer.min.session.timeout.ms", "300"},
             {"group.consumer.heartbeat.interval.ms", "100"},
             {"group.consumer.min.heartbeat.interval.ms", "100"}}};
  }
};

TEST_F(ConsumerGroupTimers, AMemberThatStopsHeartbeatingIsFencedAndItsPartitionsGoToTheOthers) {
  auto c = connect();
  CreateTopicsRequest create;
  create.topics.push_back({TopicName("t"), 2, 1, {}, {}, {}});
  ASSERT_EQ(c.request<CreateTopicsApi>(create, 7).topics.at(0).error_code, ErrorCode::None);
  auto join = [&](const std::string& member) {
    ConsumerGroupHeartbeatRequest r;
    r.group_id = GroupId("g");
    r.member_id = member;
    r.rebalance_timeout_ms = 1000;
    r.subscribed_topic_names = std::vector<TopicName>{TopicName("t")};
    r.topic_partitions.emplace();
    return c.request<ConsumerGroupHeartbeatApi>(r, 1);
  };
  auto a = join("a");
  ASSERT_EQ(a.error_code, ErrorCode::None);
  ASSERT_EQ(a.assignment->topic_partitions.at(0).partitions.size(), 2u);
  ConsumerGroupDescribeRequest describe;
  describe.group_ids = {GroupId("g")};
  // a never heartbeats again: its session (300 ms) runs out.
  bool empty = false;
  for (int i = 0; i < 200 && !empty; ++i) {
    empty = c.request<ConsumerGroupDescribeApi>(describe, 1).groups.at(0).group_state == "Empty";
    if (!empty) std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling a condition
  }
  ASSERT_TRUE(empty);
  auto d = c.request<ConsumerGroupDescribeApi>(describe, 1).groups.at(0);
  EXPECT_EQ(d.group_epoch, 2);  // joined at 1, fenced at 2
  auto b = join("b");
  EXPECT_EQ(b.member_epoch, 3);
  EXPECT_EQ(b.assignment->topic_partitions.at(0).partitions.size(), 2u);
}

// The rebalance timeline's events (the console's journal): an incremental
// rebalance step by step, in the order the coordinator took them.
class ConsumerGroupEvents : public BrokerTest {
 protected:
  EmbeddedBroker::Options options() override {
    EmbeddedBroker::Options o;
    o.journal = &journal_;
    return o;
  }
  std::vector<nlohmann::json> events(const std::string& group) {
    std::vector<nlohmann::json> out;
    for (const auto& e : journal_.read(observe::Stream::kGroups, 0, SIZE_MAX)) {
      auto event = nlohmann::json::parse(e.json);
      if (event["group_id"] == group) out.push_back(event);
    }
    return out;
  }
  // Polls the journal (a condition, not a pause) until `event` for
  // `member` shows; returns it, or null after 10 s.
  nlohmann::json wait_for(const std::string& group, const std::string& event, const std::string& member) {
    for (int i = 0; i < 500; ++i) {
      for (const auto& e : events(group)) {
        if (e["event"] == event && e.value("member_id", "") == member) return e;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return nullptr;
  }
  // A new-protocol member joining `group` for topic t.
  ConsumerGroupHeartbeatResponse join(client::Connection& c, const std::string& group, const std::string& member) {
    ConsumerGroupHeartbeatRequest r;
    r.group_id = GroupId(group);
    r.member_id = member;
    r.rebalance_timeout_ms = 30000;
    r.subscribed_topic_names = std::vector<TopicName>{TopicName("t")};
    r.topic_partitions.emplace();
    auto answer = c.request<ConsumerGroupHeartbeatApi>(r, 1);
    EXPECT_EQ(answer.error_code, ErrorCode::None);
    return answer;
  }
  // A classic member joining `group` for topic t, with a rebalance timeout
  // of `rebalance_ms`: MEMBER_ID_REQUIRED, then the join.
  JoinGroupResponse classic_join(client::Connection& c, const std::string& group, int32_t rebalance_ms) {
    JoinGroupRequest r;
    r.group_id = GroupId(group);
    r.session_timeout_ms = 30000;
    r.rebalance_timeout_ms = rebalance_ms;
    r.protocol_type = "consumer";
    protocol::ConsumerSubscription subscription;
    subscription.topics = {"t"};
    r.protocols.push_back({"range", protocol::encode_consumer_subscription(subscription), {}});
    auto first = c.request<JoinGroupApi>(r, 9);
    EXPECT_EQ(first.error_code, ErrorCode::MemberIdRequired);
    r.member_id = first.member_id;
    auto joined = c.request<JoinGroupApi>(r, 9);
    EXPECT_EQ(joined.error_code, ErrorCode::None);
    return joined;
  }
  void create_topic(client::Connection& c) {
    CreateTopicsRequest create;
    create.topics.push_back({TopicName("t"), 2, 1, {}, {}, {}});
    ASSERT_EQ(c.request<CreateTopicsApi>(create, 7).topics.at(0).error_code, ErrorCode::None);
  }
  observe::Journal journal_;
};

TEST_F(ConsumerGroupEvents, AClassicMemberThatDoesNotSyncWithinItsRebalanceTimeoutIsFenced) {
  auto c = connect();
  create_topic(c);
  join(c, "g", "a");
  const auto classic = classic_join(c, "g", 300);
  // No SyncGroup follows: 300 ms later the coordinator fences it.
  const auto fenced = wait_for("g", "member_fenced", classic.member_id);
  ASSERT_FALSE(fenced.is_null());
  EXPECT_EQ(fenced["reason"], "the member failed to sync within timeout");
  HeartbeatRequest beat;
  beat.group_id = GroupId("g");
  beat.generation_id = classic.generation_id;
  beat.member_id = classic.member_id;
  EXPECT_EQ(c.request<HeartbeatApi>(beat, 4).error_code, ErrorCode::UnknownMemberId);
  ConsumerGroupDescribeRequest describe;
  describe.group_ids = {GroupId("g")};
  EXPECT_EQ(c.request<ConsumerGroupDescribeApi>(describe, 1).groups.at(0).members.size(), 1u);
}

TEST_F(ConsumerGroupEvents, AClassicMemberToldToRejoinThatDoesNotIsFenced) {
  auto c = connect();
  create_topic(c);
  join(c, "g", "a");
  const auto classic = classic_join(c, "g", 300);
  SyncGroupRequest sync;
  sync.group_id = GroupId("g");
  sync.generation_id = classic.generation_id;
  sync.member_id = classic.member_id;
  sync.protocol_type = "consumer";
  sync.protocol_name = "range";
  ASSERT_EQ(c.request<SyncGroupApi>(sync, 5).error_code, ErrorCode::None);
  // A third member makes a new epoch: the classic member's heartbeat says
  // rejoin, and it never does.
  join(c, "g", "b");
  HeartbeatRequest beat;
  beat.group_id = GroupId("g");
  beat.generation_id = classic.generation_id;
  beat.member_id = classic.member_id;
  ASSERT_EQ(c.request<HeartbeatApi>(beat, 4).error_code, ErrorCode::RebalanceInProgress);
  const auto fenced = wait_for("g", "member_fenced", classic.member_id);
  ASSERT_FALSE(fenced.is_null());
  EXPECT_EQ(fenced["reason"], "the classic member failed to join within the rebalance timeout");
  EXPECT_EQ(c.request<HeartbeatApi>(beat, 4).error_code, ErrorCode::UnknownMemberId);
}

TEST_F(ConsumerGroupEvents, ASecondMemberJoiningIsToldAsEpochTargetRevocationAndHandOver) {
  auto c = connect();
  CreateTopicsRequest create;
  create.topics.push_back({TopicName("t"), 2, 1, {}, {}, {}});
  ASSERT_EQ(c.request<CreateTopicsApi>(create, 7).topics.at(0).error_code, ErrorCode::None);
  using TopicPartitions = std::vector<ConsumerGroupHeartbeatRequest::TopicPartitions>;
  auto heartbeat = [&](const std::string& member, int32_t epoch, std::optional<TopicPartitions> owned) {
    ConsumerGroupHeartbeatRequest r;
    r.group_id = GroupId("g");
    r.member_id = member;
    r.member_epoch = epoch;
    if (epoch == 0) {
      r.rebalance_timeout_ms = 30000;
      r.subscribed_topic_names = std::vector<TopicName>{TopicName("t")};
    }
    r.topic_partitions = std::move(owned);
    auto answer = c.request<ConsumerGroupHeartbeatApi>(r, 1);
    EXPECT_EQ(answer.error_code, ErrorCode::None) << member << " at " << epoch;
    return answer;
  };
  auto owned = [](const ConsumerGroupHeartbeatResponse& r) {
    TopicPartitions out;
    for (const auto& t : r.assignment->topic_partitions) {
      auto& p = out.emplace_back();
      p.topic_id = t.topic_id;
      p.partitions = t.partitions;
    }
    return out;
  };
  auto a = heartbeat("a", 0, TopicPartitions{});
  ASSERT_EQ(a.member_epoch, 1);
  heartbeat("b", 0, TopicPartitions{});
  auto revoking = heartbeat("a", 1, owned(a));  // told to give one partition up
  ASSERT_TRUE(revoking.assignment.has_value());
  ASSERT_EQ(revoking.assignment->topic_partitions.at(0).partitions.size(), 1u);
  EXPECT_EQ(heartbeat("a", 1, owned(revoking)).member_epoch, 2);
  EXPECT_EQ(heartbeat("b", 2, TopicPartitions{}).assignment->topic_partitions.at(0).partitions.size(), 1u);
  heartbeat("b", -1, std::nullopt);

  std::vector<std::string> seen;
  for (const auto& e : events("g")) {
    std::string line = e["event"].get<std::string>() + " " + std::to_string(e["group_epoch"].get<int>());
    if (e.contains("member")) line += " " + e["member"]["member_id"].get<std::string>();
    if (e.contains("member_id")) line += " " + e["member_id"].get<std::string>();
    if (e.contains("member_state")) {
      line += " " + e["member_state"].get<std::string>() + "@" + std::to_string(e["member_epoch"].get<int>()) +
              " " + std::to_string(e["assigned"].size()) + "/" + std::to_string(e["revoking"].size());
    }
    if (e["event"] == "target_assigned") {
      for (const auto& m : e["members"]) {
        line += " " + m["member_id"].get<std::string>() + ":" + std::to_string(m["target"].size());
      }
    }
    if (e["event"] == "epoch_bumped") line += " (" + e["reason"].get<std::string>() + ")";
    seen.push_back(line);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{
                      "member_joined 0 a",
                      "epoch_bumped 1 (member a joined a new group)",
                      "target_assigned 1 a:2",
                      "member_reconciled 1 a STABLE@1 2/0",
                      "member_joined 1 b",
                      "epoch_bumped 2 (member b joined)",
                      "target_assigned 2 a:1 b:1",
                      "member_reconciled 2 b UNRELEASED_PARTITIONS@2 0/0",
                      "member_reconciled 2 a UNREVOKED_PARTITIONS@1 1/1",
                      "member_reconciled 2 a STABLE@2 1/0",
                      "member_reconciled 2 b STABLE@2 1/0",
                      "member_left 2 b",
                      "epoch_bumped 3 (member b left)",
                  }));
  // The partitions are named, and the group's state rides along.
  const auto all = events("g");
  EXPECT_EQ(all.at(3)["assigned"].at(0)["topic"], "t");
  EXPECT_EQ(all.at(3)["state"], "Stable");
  EXPECT_EQ(all.at(3)["type"], "consumer");
  EXPECT_EQ(all.at(8)["state"], "Reconciling");
}

}  // namespace
}  // namespace kafkalite::testing
