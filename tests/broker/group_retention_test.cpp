// offsets.retention.minutes: offsets of an empty group expire (counted from
// when it became empty), a simple group's by commit time, a Stable consumer
// group's only for topics it no longer subscribes to; a KIP-848 consumer
// group's by commit time, only for topics no member subscribes to; an empty
// group left without offsets is removed. A restart changes none of this: a group comes back
// with its members, and its offsets' age still counts from when it really
// became Empty.
#include <gtest/gtest.h>

#include <future>

#include "broker/group/consumer_coordinator.h"
#include "broker/group/group_coordinator.h"
#include "broker/storage/kv_store.h"
#include "common/protocol/wire/writer.h"

namespace kafkalite::testing {
namespace {

namespace asio = boost::asio;
using broker::group::CommittedOffset;
using broker::group::GroupCoordinator;
using protocol::ErrorCode;

// Runs a coordinator call to completion on `io`.
template <typename T>
T run(asio::io_context& io, asio::awaitable<T> call) {
  auto done = asio::co_spawn(io, std::move(call), asio::use_future);
  while (done.wait_for(std::chrono::seconds(0)) != std::future_status::ready) io.run_one();
  return done.get();
}

// A consumer's subscription to `topics` (ConsumerProtocolSubscription v0).
wire::Bytes subscription(const std::vector<std::string>& topics) {
  wire::Writer w;
  w.write_int16(0);
  w.write_int32(static_cast<int32_t>(topics.size()));
  for (const auto& t : topics) w.write_string(t, false);
  w.write_int32(-1);  // no user data
  return w.bytes();
}

// Joins `group` alone (MEMBER_ID_REQUIRED, join, sync); returns (member id, generation).
std::pair<std::string, int32_t> join_alone_direct(asio::io_context& io, GroupCoordinator& groups,
                                                  const std::string& group, int32_t session_timeout_ms) {
  broker::group::JoinRequest join;
  join.group_id = group;
  join.client_id = "c";
  join.session_timeout_ms = session_timeout_ms;
  join.rebalance_timeout_ms = session_timeout_ms;
  join.protocol_type = "consumer";
  join.protocols = {{"range", subscription({"t"})}};
  join.version = 9;
  auto first = run(io, groups.join(join));
  EXPECT_EQ(first.error, ErrorCode::MemberIdRequired);
  join.member_id = first.member_id;
  auto joined = run(io, groups.join(join));
  EXPECT_EQ(joined.error, ErrorCode::None);
  broker::group::SyncRequest sync;
  sync.group_id = group;
  sync.generation = joined.generation;
  sync.member_id = joined.member_id;
  sync.assignments[joined.member_id] = {1};
  EXPECT_EQ(run(io, groups.sync(sync)).error, ErrorCode::None);
  return {joined.member_id, joined.generation};
}

TEST(GroupRetention, AGroupStableForAWeekKeepsItsOffsetsAcrossARestart) {
  auto store = storage::open_memory_store();
  config::BrokerConfig config;
  config.set("group.initial.rebalance.delay.ms", "0");
  config.set("group.min.session.timeout.ms", "100");
  int64_t now = 1'000'000'000;
  std::string member;
  int32_t generation = 0;
  {
    asio::io_context io;
    GroupCoordinator groups(io, config, *store);
    groups.set_clock([&] { return now; });
    std::tie(member, generation) = join_alone_direct(io, groups, "g", 2000);
    ASSERT_EQ(groups.validate_commit("g", generation, member, std::nullopt, 9), ErrorCode::None);
    ASSERT_FALSE(groups.commit("g", {{"t", 0, CommittedOffset{5, -1, "", now, -1}},
                                     {"gone", 0, CommittedOffset{9, -1, "", now, -1}}}));
    groups.shutdown();
  }
  now += 7LL * 24 * 3600 * 1000;  // Stable for a week, then the broker restarts
  asio::io_context io;
  GroupCoordinator groups(io, config, *store);
  groups.set_clock([&] { return now; });
  groups.load();
  auto described = groups.describe("g");
  ASSERT_TRUE(described);
  EXPECT_EQ(described->state, "Stable") << "the group comes back with its members";
  ASSERT_EQ(described->members.size(), 1u);
  EXPECT_EQ(described->members[0].member_id, member);
  EXPECT_EQ(described->members[0].assignment, wire::Bytes{1});
  // The live member carries on: heartbeats and commits are accepted.
  EXPECT_EQ(groups.heartbeat("g", generation, member, std::nullopt), ErrorCode::None);
  EXPECT_EQ(groups.validate_commit("g", generation, member, std::nullopt, 9), ErrorCode::None);
  groups.expire_offsets();
  EXPECT_TRUE(groups.committed("g", "t", 0)) << "a subscribed topic's offset of a Stable group never expires";
  EXPECT_FALSE(groups.committed("g", "gone", 0)) << "a topic it does not subscribe to expires by commit time";

  // The member never comes back after its next heartbeat: its session ends,
  // the group becomes Empty now, and its offsets count from now.
  ASSERT_EQ(run(io, [&]() -> asio::awaitable<int> {
              asio::steady_timer wait(io, std::chrono::milliseconds(200));
              co_await wait.async_wait(asio::use_awaitable);
              co_return 0;
            }()),
            0);
  EXPECT_EQ(groups.describe("g")->state, "Stable") << "its session has not ended yet";
  while (groups.describe("g")->state != "Empty") io.run_one();
  now += 60000;
  groups.expire_offsets();
  EXPECT_TRUE(groups.committed("g", "t", 0)) << "empty for a minute only";
  now += 7LL * 24 * 3600 * 1000;
  groups.expire_offsets();
  EXPECT_FALSE(groups.committed("g", "t", 0)) << "empty for a week";
  EXPECT_FALSE(groups.exists("g"));
  groups.shutdown();
}

// A coordinator keeping offsets 10 minutes, on a clock the test moves.
class ShortRetention : public ::testing::Test {
 protected:
  ShortRetention() {
    config.set("offsets.retention.minutes", "10");
    groups.set_clock([this] { return now; });
  }
  ~ShortRetention() override { groups.shutdown(); }
  boost::asio::io_context io;
  config::BrokerConfig config;
  std::unique_ptr<storage::KvStore> store = storage::open_memory_store();
  GroupCoordinator groups{io, config, *store};
  int64_t now = 1'000'000;
};

TEST_F(ShortRetention, OffsetsOfEmptyGroupsExpire) {
  ASSERT_EQ(groups.validate_commit("simple", -1, "", std::nullopt, 9), protocol::ErrorCode::None);
  ASSERT_FALSE(groups.commit("simple", {{"t", 0, CommittedOffset{5, -1, "", now, -1}}}));
  now += 9 * 60000;
  ASSERT_EQ(groups.validate_commit("simple", -1, "", std::nullopt, 9), protocol::ErrorCode::None);
  ASSERT_FALSE(groups.commit("simple", {{"t", 1, CommittedOffset{6, -1, "", now, -1}}}));
  now += 2 * 60000;
  groups.expire_offsets();
  EXPECT_FALSE(groups.committed("simple", "t", 0)) << "committed 11 minutes ago";
  EXPECT_TRUE(groups.committed("simple", "t", 1)) << "committed 2 minutes ago";
  EXPECT_TRUE(groups.exists("simple"));
  now += 10 * 60000;
  groups.expire_offsets();
  EXPECT_FALSE(groups.exists("simple")) << "no offsets left: the group goes too";
}

TEST_F(ShortRetention, AConsumerGroupsOffsetsExpireOnlyForTopicsNoMemberSubscribesTo) {
  std::map<std::string, broker::group::TopicMeta> topics;
  for (uint8_t i : {1, 2}) {
    broker::group::TopicMeta& t = topics[i == 1 ? "t" : "u"];
    t.id.bytes[15] = i;
    t.name = i == 1 ? "t" : "u";
    t.partitions = 1;
  }
  broker::group::TopicLookup lookup;
  lookup.by_name = [&](const std::string& name) -> std::optional<broker::group::TopicMeta> {
    auto it = topics.find(name);
    return it == topics.end() ? std::nullopt : std::optional(it->second);
  };
  lookup.by_id = [&](const wire::Uuid& id) -> std::optional<broker::group::TopicMeta> {
    for (const auto& [name, t] : topics) {
      if (t.id == id) return t;
    }
    return std::nullopt;
  };
  lookup.names = [&] { return std::vector<std::string>{"t", "u"}; };
  groups.attach_topics(lookup);

  broker::group::ConsumerHeartbeat join;
  join.version = 1;
  join.group_id = "g";
  join.member_id = "m";
  join.rebalance_timeout_ms = 30000;
  join.subscribed_topic_names = std::vector<std::string>{"t"};
  join.owned = broker::group::Assignment{};
  const auto joined = groups.consumer_heartbeat(join);
  ASSERT_EQ(joined.error, ErrorCode::None);
  // The member commits for its topic and for one it does not subscribe to.
  ASSERT_EQ(groups.validate_commit("g", joined.member_epoch, "m", std::nullopt, 9), ErrorCode::None);
  ASSERT_FALSE(groups.commit("g", {{"t", 0, CommittedOffset{5, -1, "", now, -1}},
                                   {"u", 0, CommittedOffset{7, -1, "", now, -1}}}));
  now += 11 * 60000;
  groups.expire_offsets();
  EXPECT_TRUE(groups.committed("g", "t", 0)) << "a subscribed topic's offsets never expire";
  EXPECT_FALSE(groups.committed("g", "u", 0)) << "committed 11 minutes ago, not subscribed";

  // The member leaves: nothing is subscribed, and t's offset is older than
  // the retention (counted from its commit, not from when the group emptied).
  broker::group::ConsumerHeartbeat leave = join;
  leave.member_epoch = -1;
  ASSERT_EQ(groups.consumer_heartbeat(leave).error, ErrorCode::None);
  EXPECT_TRUE(groups.exists("g"));
  groups.expire_offsets();
  EXPECT_FALSE(groups.committed("g", "t", 0));
  EXPECT_FALSE(groups.exists("g")) << "an empty consumer group without offsets goes";
}

}  // namespace
}  // namespace kafkalite::testing
