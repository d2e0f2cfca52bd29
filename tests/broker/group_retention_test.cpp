// offsets.retention.minutes: offsets of an empty group expire (counted from
// when it became empty), a simple group's by commit time; a group left
// without offsets is removed.
#include <gtest/gtest.h>

#include "broker/group/group_coordinator.h"

namespace kafkalite::testing {
namespace {

using broker::group::CommittedOffset;
using broker::group::GroupCoordinator;

TEST(GroupRetention, OffsetsOfEmptyGroupsExpire) {
  boost::asio::io_context io;
  config::BrokerConfig config;
  config.set("offsets.retention.minutes", "10");
  auto store = storage::open_memory_store();
  GroupCoordinator groups(io, config, *store);
  int64_t now = 1'000'000;
  groups.set_clock([&] { return now; });
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
  groups.shutdown();
}

}  // namespace
}  // namespace kafkalite::testing
