// Consumer groups of the new protocol (KIP-848): ConsumerGroupHeartbeat's
// checks, a member joining alone, a second one and the incremental handover
// (the first revokes before the second is given anything), fencing, leaving;
// ConsumerGroupDescribe, ListGroups by type, DescribeGroups, OffsetCommit
// with member epochs, DeleteGroups; topics created, grown and deleted under
// a subscription by names and by regular expression.
//
// Which of its partitions the first member keeps is the assignor's choice
// over Kafka's hash order of random member ids: recorded as counts and as
// "the two together hold every partition", not as partition numbers.
#include <set>

#include "common/protocol/consumer_protocol.h"
#include "tests/crosscheck/requests.h"
#include "tests/crosscheck/scenario.h"

namespace kafkalite::crosscheck {

namespace {

using Heartbeat = ConsumerGroupHeartbeatRequest;
using Owned = std::vector<int32_t>;

Heartbeat join(const std::string& group, const std::string& member, const std::string& topic) {
  Heartbeat r;
  r.group_id = GroupId(group);
  r.member_id = member;
  r.member_epoch = 0;
  r.rebalance_timeout_ms = 30000;
  r.subscribed_topic_names = std::vector<TopicName>{TopicName(topic)};
  r.topic_partitions.emplace();
  return r;
}

Heartbeat beat(const std::string& group, const std::string& member, int32_t epoch,
               std::optional<std::pair<wire::Uuid, Owned>> owned = std::nullopt) {
  Heartbeat r;
  r.group_id = GroupId(group);
  r.member_id = member;
  r.member_epoch = epoch;
  if (owned) {
    r.topic_partitions.emplace();
    if (!owned->second.empty()) r.topic_partitions->push_back({owned->first, owned->second, {}});
  }
  return r;
}

std::set<int32_t> partitions_of(const ConsumerGroupHeartbeatResponse& r) {
  std::set<int32_t> out;
  if (!r.assignment) return out;
  for (const auto& t : r.assignment->topic_partitions) out.insert(t.partitions.begin(), t.partitions.end());
  return out;
}

// The group as ConsumerGroupDescribe shows it (unrecorded).
ConsumerGroupDescribeResponse::DescribedGroup described_group(Session& s, const std::string& group) {
  ConsumerGroupDescribeRequest describe;
  describe.group_ids = {GroupId(group)};
  return s.quiet<ConsumerGroupDescribeApi>(describe).groups.at(0);
}

size_t partition_count(const ConsumerGroupDescribeResponse::Assignment& a) {
  size_t n = 0;
  for (const auto& tp : a.topic_partitions) n += tp.partitions.size();
  return n;
}

json summary(const ConsumerGroupHeartbeatResponse& r) {
  return {{"error", static_cast<int16_t>(r.error_code)},
          {"epoch", r.member_epoch},
          {"interval", r.heartbeat_interval_ms},
          {"assignment", r.assignment ? json(partitions_of(r).size()) : json(nullptr)}};
}

}  // namespace

CROSSCHECK_SCENARIO(consumer_groups_heartbeat_checks, "") {
  const std::string group = s.name("g"), topic = s.name("t");
  await_group_coordinator(s, {group});
  Heartbeat ok = join(group, s.name("m"), topic);
  auto bad = [&](const std::string& label, Heartbeat r, int16_t version = ConsumerGroupHeartbeatApi::max_stable_version) {
    s.call<ConsumerGroupHeartbeatApi>(label, r, version);
  };
  Heartbeat r = ok;
  r.member_id = "";
  bad("v1 without a member id", r);
  bad("v0 joining without a member id asks for one", r, 0);
  r = ok;
  r.group_id = GroupId("  ");
  bad("blank group id", r);
  r = ok;
  r.instance_id = "";
  bad("empty instance id", r);
  r = ok;
  r.rack_id = " ";
  bad("blank rack id", r);
  r = ok;
  r.rebalance_timeout_ms = -1;
  bad("join without a rebalance timeout", r);
  r = ok;
  r.topic_partitions.reset();
  bad("join without owned partitions", r);
  r = ok;
  r.subscribed_topic_names.reset();
  bad("join subscribing to nothing", r);
  r = beat(group, s.name("m"), -2);
  bad("static leave without an instance id", r);
  r = beat(group, s.name("m"), -3);
  bad("epoch -3", r);
  r = ok;
  r.server_assignor = "sticky";
  bad("unknown assignor", r);
  bad("heartbeat to no group", beat(group + "-none", s.name("m"), 1));
  bad("leave a group that is not there", beat(group + "-none", s.name("m"), -1));
}

CROSSCHECK_SCENARIO(consumer_groups_incremental_rebalance, "") {
  const std::string group = s.name("g"), topic = s.name("t");
  const std::string a = s.name("member-a"), b = s.name("member-b");
  await_group_coordinator(s, {group});
  s.create_topic(topic, 4);
  const wire::Uuid id = s.topic_id(topic);

  auto a1 = s.call<ConsumerGroupHeartbeatApi>("a joins alone", join(group, a, topic));
  const Owned all = {0, 1, 2, 3};
  s.call<ConsumerGroupHeartbeatApi>("a, steady", beat(group, a, a1.member_epoch, {{id, all}}));
  ConsumerGroupDescribeRequest describe;
  describe.group_ids = {GroupId(group)};
  s.call<ConsumerGroupDescribeApi>("described with one member", describe);

  auto b1 = s.call<ConsumerGroupHeartbeatApi>("b joins: nothing free yet", join(group, b, topic));
  auto a2 = s.quiet<ConsumerGroupHeartbeatApi>(beat(group, a, a1.member_epoch, {{id, all}}));
  const auto kept = partitions_of(a2);
  s.note("a is asked to revoke, at its epoch", summary(a2));
  const auto during = s.quiet<ConsumerGroupDescribeApi>(describe);
  s.note("while a revokes", {{"state", during.groups.at(0).group_state},
                             {"group epoch", during.groups.at(0).group_epoch},
                             {"assignment epoch", during.groups.at(0).assignment_epoch}});
  auto a3 = s.quiet<ConsumerGroupHeartbeatApi>(beat(group, a, a2.member_epoch, {{id, Owned(kept.begin(), kept.end())}}));
  s.note("a has revoked: the new epoch", summary(a3));
  auto b2 = s.quiet<ConsumerGroupHeartbeatApi>(beat(group, b, b1.member_epoch, {{id, {}}}));
  const auto given = partitions_of(b2);
  std::set<int32_t> both = kept;
  both.insert(given.begin(), given.end());
  s.note("b is given what a released", {{"b", summary(b2)},
                                        {"together all four", both.size() == 4 && kept.size() + given.size() == 4}});
  const auto after = s.quiet<ConsumerGroupDescribeApi>(describe);
  json members = json::array();
  for (const auto& m : after.groups.at(0).members) {
    size_t n = 0;
    for (const auto& t : m.assignment.topic_partitions) n += t.partitions.size();
    members.push_back(json{{"epoch", m.member_epoch}, {"partitions", n}, {"client", m.client_id},
                       {"topics", m.subscribed_topic_names.size()}, {"regex", m.subscribed_topic_regex ? json(*m.subscribed_topic_regex) : json(nullptr)}});
  }
  std::sort(members.begin(), members.end());
  s.note("stable with two members", {{"state", after.groups.at(0).group_state},
                                     {"group epoch", after.groups.at(0).group_epoch},
                                     {"assignor", after.groups.at(0).assignor_name},
                                     {"members", members}});

  // Fencing.
  s.call<ConsumerGroupHeartbeatApi>("an epoch ahead", beat(group, a, a3.member_epoch + 5, {{id, {}}}));
  s.call<ConsumerGroupHeartbeatApi>("an epoch behind", beat(group, a, a1.member_epoch - 1, {{id, {}}}));
  s.call<ConsumerGroupHeartbeatApi>("rejoining under the same id", join(group, a, topic));
  s.call<ConsumerGroupHeartbeatApi>("an unknown member", beat(group, s.name("member-x"), 1, {{id, {}}}));

  // Offsets: member epochs in place of generations.
  s.call<OffsetCommitApi>("commit at a's epoch", commit_request(group, a3.member_epoch, a, topic, 5));
  s.call<OffsetCommitApi>("commit at an old epoch", commit_request(group, a1.member_epoch, a, topic, 6));
  s.call<OffsetCommitApi>("commit by an unknown member", commit_request(group, a3.member_epoch, "nobody", topic, 6));
  s.call<OffsetCommitApi>("commit as an admin", commit_request(group, -1, "", topic, 6));

  ListGroupsRequest list;
  list.types_filter = {"consumer"};
  s.call<ListGroupsApi>("consumer groups", list, ListGroupsApi::max_stable_version, Listing::kOwnOnly);
  list.types_filter = {"classic"};
  s.call<ListGroupsApi>("classic groups", list, ListGroupsApi::max_stable_version, Listing::kOwnOnly);
  s.call<DescribeGroupsApi>("DescribeGroups of a consumer group", describe_request({group}));
  s.call<DescribeGroupsApi>("DescribeGroups of a consumer group, v5", describe_request({group}), 5);
  DeleteGroupsRequest del;
  del.groups_names = {GroupId(group)};
  s.call<DeleteGroupsApi>("delete with members", del);

  // a leaves; b takes everything at the next epoch.
  s.call<ConsumerGroupHeartbeatApi>("a leaves", beat(group, a, -1));
  auto b3 = s.quiet<ConsumerGroupHeartbeatApi>(beat(group, b, b2.member_epoch, {{id, Owned(given.begin(), given.end())}}));
  s.note("b takes all four", {{"b", summary(b3)}, {"partitions", partitions_of(b3)}});
  s.call<ConsumerGroupHeartbeatApi>("b leaves", beat(group, b, -1));
  s.call<ConsumerGroupDescribeApi>("described empty", describe);
  s.call<OffsetCommitApi>("commit as an admin, empty group", commit_request(group, -1, "", topic, 7));
  s.call<OffsetFetchApi>("offsets", [&] {
    OffsetFetchRequest f;
    auto& g = f.groups.emplace_back();
    g.group_id = GroupId(group);
    g.topics = std::nullopt;
    return f;
  }());
  s.call<DeleteGroupsApi>("delete the empty group", del);
  s.call<ConsumerGroupDescribeApi>("described after delete", describe);
}


CROSSCHECK_SCENARIO(consumer_groups_regex_subscription, "") {
  const std::string group = s.name("g");
  await_group_coordinator(s, {group});
  s.create_topic(s.name("r-one"), 2);
  s.create_topic(s.name("r-two"), 1);
  s.create_topic(s.name("other"), 1);
  Heartbeat bad;
  bad.group_id = GroupId(group);
  bad.member_id = s.name("m");
  bad.rebalance_timeout_ms = 30000;
  bad.topic_partitions.emplace();
  // RE2/J's syntax and its words for each mistake. Each probe joins a group
  // of its own, so what one is let in does not change the next's epochs.
  int n = 0;
  for (const char* pattern : {"[", "a**", "(ab", "ab)", "x\\", "a{1001}", "[z-a]", "\\8", "(?<", "(?<n", "(?P<1>a)",
                              "\\p{Nope}", "[[:nope:]]", "\\C", "a++", "(?<n>a)", "(?<=a)b", "\\Z", "[[:word:]]",
                              "\\pN", "(?U)a", "\\x{110000}", "[\\C]", "a{,3}", "a{2}{3}", "(?i", "(?P=n)",
                              "\\b\\B", "(?m)^a$", "[a-\\d]", "\\Q(\\E", "x{1000}", "((((((((((a))))))))))",
                              "[\\Q]\\E]", "\\Q\\C\\E", "[]a]", "[^]a]", "a(?<x>b)c(?P<y>d)"}) {
    Heartbeat probe = bad;
    probe.group_id = GroupId(s.name("probe-" + std::to_string(n++)));
    await_group_coordinator(s, {probe.group_id.value()});
    probe.subscribed_topic_regex = pattern;
    s.call<ConsumerGroupHeartbeatApi>(std::string("regex ") + pattern, probe);
  }
  bad.subscribed_topic_regex = "[";
  s.call<ConsumerGroupHeartbeatApi>("an invalid regex", bad);
  // A refused join makes no group.
  s.call<ListGroupsApi>("groups after the refused join", ListGroupsRequest{}, ListGroupsApi::max_stable_version,
                        Listing::kOwnOnly);
  Heartbeat r = bad;
  r.subscribed_topic_regex = s.name("r-.*");
  s.call<ConsumerGroupHeartbeatApi>("join by regex: not resolved yet", r);
  // Resolution runs beside the heartbeats: beat until it shows.
  ConsumerGroupHeartbeatResponse got;
  Session::poll([&] {
    got = s.quiet<ConsumerGroupHeartbeatApi>(beat(group, s.name("m"), 1, std::pair<wire::Uuid, Owned>{}));
    return got.error_code != ErrorCode::None || (got.assignment && !got.assignment->topic_partitions.empty());
  });
  json topics = json::array();
  if (got.assignment) {
    for (const auto& t : got.assignment->topic_partitions) topics.push_back(t.partitions.size());
  }
  std::sort(topics.begin(), topics.end());
  s.note("resolved: both matching topics", {{"error", static_cast<int16_t>(got.error_code)},
                                            {"epoch", got.member_epoch}, {"partitions per topic", topics}});
  ConsumerGroupDescribeRequest describe;
  describe.group_ids = {GroupId(group)};
  const auto d = s.quiet<ConsumerGroupDescribeApi>(describe);
  s.note("described", {{"regex", d.groups.at(0).members.at(0).subscribed_topic_regex.value_or("(null)")},
                       {"names", d.groups.at(0).members.at(0).subscribed_topic_names.size()},
                       {"group epoch", d.groups.at(0).group_epoch}});
  s.call<ConsumerGroupHeartbeatApi>("leave", beat(group, s.name("m"), -1));
}


// A member that heartbeats on, acknowledging each assignment it is given
// (what a consumer does), until its assignment satisfies `done`.
class SteadyMember {
 public:
  SteadyMember(Session& s, std::string group, std::string member) : s_(s), group_(std::move(group)), member_(std::move(member)) {}
  ConsumerGroupHeartbeatResponse first(const std::string& label, Heartbeat join) {
    auto r = s_.call<ConsumerGroupHeartbeatApi>(label, join);
    take(r);
    return r;
  }
  // Beats until `done(owned)`; then once more, acknowledging, and records
  // that answer's epoch with what the member owns (partition counts by topic).
  void until(const std::string& label, const std::function<bool(const std::map<wire::Uuid, Owned>&)>& done,
             const std::map<wire::Uuid, std::string>& names) {
    const bool reached = Session::poll([&] { return done(owned_) || !take(beat_once()); }, std::chrono::seconds(40)) &&
                         done(owned_);
    const auto ack = beat_once();
    take(ack);
    json topics = json::object();
    for (const auto& [id, partitions] : owned_) {
      auto n = names.find(id);
      topics[n == names.end() ? "?" : n->second] = partitions.size();
    }
    s_.note(label, {{"reached", reached}, {"error", static_cast<int16_t>(ack.error_code)},
                    {"epoch", ack.member_epoch}, {"owns", topics}});
  }
  void leave(const std::string& label) { s_.call<ConsumerGroupHeartbeatApi>(label, beat(group_, member_, -1)); }

 private:
  ConsumerGroupHeartbeatResponse beat_once() {
    Heartbeat r = beat(group_, member_, epoch_);
    r.topic_partitions.emplace();
    for (const auto& [id, partitions] : owned_) r.topic_partitions->push_back({id, partitions, {}});
    return s_.quiet<ConsumerGroupHeartbeatApi>(r);
  }
  // False on an error.
  bool take(const ConsumerGroupHeartbeatResponse& r) {
    if (r.error_code != ErrorCode::None) return false;
    epoch_ = r.member_epoch;
    if (r.assignment) {
      owned_.clear();
      for (const auto& t : r.assignment->topic_partitions) owned_[t.topic_id] = t.partitions;
    }
    return true;
  }
  Session& s_;
  std::string group_, member_;
  int32_t epoch_ = 0;
  std::map<wire::Uuid, Owned> owned_;
};

CROSSCHECK_SCENARIO(consumer_groups_topics_change, "") {
  const std::string group = s.name("g"), t = s.name("t"), u = s.name("u");
  await_group_coordinator(s, {group, s.name("rg")});
  s.create_topic(t, 2);
  std::map<wire::Uuid, std::string> names = {{s.topic_id(t), t}};
  // Subscribed by name to t and to u, which does not exist yet.
  Heartbeat j = join(group, s.name("a"), t);
  j.subscribed_topic_names->push_back(TopicName(u));
  SteadyMember a(s, group, s.name("a"));
  a.first("a joins for t and u (no u yet)", j);
  a.until("a owns t's 2 partitions", [&](const auto& owned) { return owned.size() == 1; }, names);

  s.create_topic(u, 2);
  const wire::Uuid u_id = s.topic_id(u);
  names[u_id] = u;
  a.until("u made: a new epoch, a owns u too", [&](const auto& owned) { return owned.count(u_id) > 0; }, names);

  CreatePartitionsRequest grow;
  grow.timeout_ms = 30000;
  auto& g = grow.topics.emplace_back();
  g.name = TopicName(t);
  g.count = 3;
  g.assignments = std::nullopt;
  s.call<CreatePartitionsApi>("t grows to 3 partitions", grow);
  s.await_topic(t, 3);
  const wire::Uuid t_id = s.topic_id(t);
  a.until("a owns t's third partition", [&](const auto& owned) {
    auto it = owned.find(t_id);
    return it != owned.end() && it->second.size() == 3;
  }, names);

  DeleteTopicsRequest del;
  del.timeout_ms = 30000;
  del.topics.emplace_back().name = TopicName(u);
  s.call<DeleteTopicsApi>("u deleted", del);
  s.await_topic_gone(u);
  a.until("a gives u up: a new epoch", [&](const auto& owned) { return owned.count(u_id) == 0; }, names);
  ConsumerGroupDescribeRequest describe;
  describe.group_ids = {GroupId(group)};
  const auto d = s.quiet<ConsumerGroupDescribeApi>(describe);
  s.note("described", {{"state", d.groups.at(0).group_state},
                       {"group epoch", d.groups.at(0).group_epoch},
                       {"assignment epoch", d.groups.at(0).assignment_epoch},
                       {"names", d.groups.at(0).members.at(0).subscribed_topic_names.size()}});
  a.leave("a leaves");

  // By regular expression: a topic made later joins the subscription once
  // the coordinator resolves the expression again (Kafka: not within 10 s
  // of the last time, then because a topic was created).
  const std::string x1 = s.name("x-one"), x2 = s.name("x-two");
  s.create_topic(x1, 1);
  names[s.topic_id(x1)] = x1;
  Heartbeat r = join(s.name("rg"), s.name("r"), t);
  r.subscribed_topic_names = std::nullopt;
  r.subscribed_topic_regex = s.name("x-.*");
  SteadyMember m(s, s.name("rg"), s.name("r"));
  m.first("r joins by regex", r);
  m.until("r owns x-one", [&](const auto& owned) { return owned.size() == 1; }, names);
  s.create_topic(x2, 1);
  names[s.topic_id(x2)] = x2;
  m.until("x-two made: r owns it after the next resolution", [&](const auto& owned) { return owned.size() == 2; },
          names);
  m.leave("r leaves");
}

CROSSCHECK_RESTART_SCENARIO(consumer_groups_after_a_restart) {
  const std::string group = s.name("g"), topic = s.name("t");
  const std::string a = s.name("member-a"), b = s.name("member-b");
  await_group_coordinator(s, {group});
  s.create_topic(topic, 2);
  const wire::Uuid id = s.topic_id(topic);
  auto a1 = s.call<ConsumerGroupHeartbeatApi>("a joins", join(group, a, topic));
  s.call<OffsetCommitApi>("a commits 5", commit_request(group, a1.member_epoch, a, topic, 5));

  s.restart_broker();
  s.await_topic(topic, 2);
  await_group_coordinator(s, {group});
  ConsumerGroupDescribeRequest describe;
  describe.group_ids = {GroupId(group)};
  s.call<ConsumerGroupDescribeApi>("the group after the restart", describe);
  s.call<ConsumerGroupHeartbeatApi>("a's heartbeat at its epoch", beat(group, a, a1.member_epoch, {{id, {0, 1}}}));
  s.call<OffsetCommitApi>("a commits 6", commit_request(group, a1.member_epoch, a, topic, 6));
  s.call<ConsumerGroupHeartbeatApi>("b joins: nothing free yet", join(group, b, topic));
  s.call<ConsumerGroupHeartbeatApi>("a leaves", beat(group, a, -1));
  s.call<ConsumerGroupHeartbeatApi>("b leaves", beat(group, b, -1));
}


namespace {

JoinGroupRequest classic_join(const std::string& group, const std::string& member, const std::string& topic,
                              const std::vector<int32_t>& owned = {}) {
  protocol::ConsumerSubscription subscription;
  subscription.version = 1;
  subscription.topics = {topic};
  if (!owned.empty()) subscription.owned_partitions = {{topic, owned}};
  JoinGroupRequest r;
  r.group_id = GroupId(group);
  r.session_timeout_ms = 10000;
  r.rebalance_timeout_ms = 10000;
  r.member_id = member;
  r.protocol_type = "consumer";
  for (const char* name : {"range", "cooperative-sticky"}) {
    auto& p = r.protocols.emplace_back();
    p.name = name;
    p.metadata = protocol::encode_consumer_subscription(subscription);
  }
  return r;
}

// What a classic member is given: the assignment's version and its partitions.
json assignment_of(const SyncGroupResponse& r) {
  const auto a = protocol::decode_consumer_assignment(r.assignment);
  if (!a) return "malformed";
  json partitions = json::array();
  for (const auto& [topic, ps] : a->partitions) partitions.push_back(ps.size());
  return {{"error", static_cast<int16_t>(r.error_code)}, {"version", a->version}, {"partitions per topic", partitions},
          {"protocol", r.protocol_name.value_or("(null)")}};
}

}  // namespace

// A classic consumer joins a consumer group (the first step of an online
// upgrade): the broker assigns its partitions, its member epoch is its
// generation, and it learns of a new epoch as REBALANCE_IN_PROGRESS.
CROSSCHECK_SCENARIO(consumer_groups_classic_member, "") {
  const std::string group = s.name("g"), topic = s.name("t"), a = s.name("member-a");
  await_group_coordinator(s, {group});
  s.create_topic(topic, 4);
  const wire::Uuid id = s.topic_id(topic);
  const Owned all = {0, 1, 2, 3};
  auto a1 = s.call<ConsumerGroupHeartbeatApi>("a joins alone", join(group, a, topic));
  s.quiet<ConsumerGroupHeartbeatApi>(beat(group, a, a1.member_epoch, {{id, all}}));

  auto first = s.call<JoinGroupApi>("a classic member joins: a member id first", classic_join(group, "", topic));
  const std::string c = first.member_id;
  auto joined = s.call<JoinGroupApi>("the classic member joins", classic_join(group, c, topic));
  auto synced = s.quiet<SyncGroupApi>(sync_request(group, joined.generation_id, c));
  s.note("its sync: nothing yet (a still holds them)", assignment_of(synced));
  s.call<HeartbeatApi>("its heartbeat while a revokes", heartbeat_request(group, joined.generation_id, c));
  s.call<HeartbeatApi>("a heartbeat at another generation", heartbeat_request(group, joined.generation_id + 3, c));
  s.call<SyncGroupApi>("a sync with another protocol name", [&] {
    auto r = sync_request(group, joined.generation_id, c);
    r.protocol_name = "roundrobin";
    return r;
  }());

  auto a2 = s.quiet<ConsumerGroupHeartbeatApi>(beat(group, a, a1.member_epoch, {{id, all}}));
  const auto kept = partitions_of(a2);
  s.note("a is asked to revoke", summary(a2));
  s.quiet<ConsumerGroupHeartbeatApi>(beat(group, a, a2.member_epoch, {{id, Owned(kept.begin(), kept.end())}}));
  s.call<HeartbeatApi>("its heartbeat once the partitions are free", heartbeat_request(group, joined.generation_id, c));
  auto rejoined = s.call<JoinGroupApi>("it rejoins", classic_join(group, c, topic));
  s.note("its sync: the two partitions a gave up",
         assignment_of(s.quiet<SyncGroupApi>(sync_request(group, rejoined.generation_id, c))));
  s.call<HeartbeatApi>("its heartbeat, stable", heartbeat_request(group, rejoined.generation_id, c));

  ConsumerGroupDescribeRequest describe;
  describe.group_ids = {GroupId(group)};
  const auto d = s.quiet<ConsumerGroupDescribeApi>(describe);
  json members = json::array();
  for (const auto& m : d.groups.at(0).members) {
    size_t n = 0;
    for (const auto& t : m.assignment.topic_partitions) n += t.partitions.size();
    members.push_back({{"type", m.member_type}, {"epoch", m.member_epoch}, {"partitions", n},
                       {"topics", m.subscribed_topic_names.size()}, {"assignor", d.groups.at(0).assignor_name}});
  }
  std::sort(members.begin(), members.end());
  s.note("described", {{"state", d.groups.at(0).group_state}, {"epoch", d.groups.at(0).group_epoch},
                       {"members", members}});

  s.call<OffsetCommitApi>("the classic member commits", commit_request(group, rejoined.generation_id, c, topic, 3));
  s.call<OffsetCommitApi>("at an old generation", commit_request(group, joined.generation_id - 1, c, topic, 3));
  s.call<OffsetCommitApi>("a commits with v8", commit_request(group, a2.member_epoch, a, topic, 3), 8);
  s.call<JoinGroupApi>("another protocol type", [&] {
    auto r = classic_join(group, "", topic);
    r.protocol_type = "connect";
    return r;
  }());
  s.call<JoinGroupApi>("protocols the classic member lacks", [&] {
    auto r = classic_join(group, "", topic);
    r.protocols.front().name = "roundrobin";
    r.protocols.pop_back();
    return r;
  }());

  LeaveGroupRequest leave;
  leave.group_id = GroupId(group);
  leave.members.push_back({c, std::nullopt, std::nullopt, {}});
  leave.members.push_back({s.name("nobody"), std::nullopt, std::nullopt, {}});
  s.call<LeaveGroupApi>("the classic member leaves", leave);
  s.call<HeartbeatApi>("its heartbeat after it left", heartbeat_request(group, rejoined.generation_id, c));
  s.call<ConsumerGroupHeartbeatApi>("a leaves", beat(group, a, -1));
  s.call<ConsumerGroupDescribeApi>("empty", describe);

  // A classic member joining the empty consumer group makes it classic.
  // (Kafka lists groups as last written to its log, and writes the
  // conversion only with the classic group's own first record: the list
  // waits until then.)
  ListGroupsRequest list;
  auto asked = s.call<JoinGroupApi>("a classic member joins the empty group", classic_join(group, "", topic));
  s.call<JoinGroupApi>("it joins with that id", classic_join(group, asked.member_id, topic));
  s.call<JoinGroupApi>("a static member joins too", [&] {
    auto r = classic_join(group, "", topic);
    r.group_instance_id = s.name("instance");
    return r;
  }());
  s.call<ListGroupsApi>("listed: a classic group", list, ListGroupsApi::max_stable_version, Listing::kOwnOnly);
  s.call<ConsumerGroupDescribeApi>("no longer a consumer group", describe);
}

}  // namespace kafkalite::crosscheck

namespace kafkalite::crosscheck {

// An online upgrade: a new-protocol consumer joins a classic group that has
// a member; the group becomes a consumer group with the classic member in
// it (its generation its epoch, its partitions its target), which learns
// of the new epoch on its heartbeat, gives up half and keeps the rest. Then
// the downgrade: the new-protocol member leaves, and the group is classic
// again.
CROSSCHECK_SCENARIO(consumer_groups_online_upgrade_and_back, "") {
  const std::string group = s.name("g"), topic = s.name("t"), a = s.name("member-a");
  await_group_coordinator(s, {group});
  s.create_topic(topic, 4);
  const wire::Uuid id = s.topic_id(topic);

  auto asked = s.quiet<JoinGroupApi>(classic_join(group, "", topic));
  const std::string c = asked.member_id;
  auto joined = s.call<JoinGroupApi>("a classic member makes a classic group", classic_join(group, c, topic));
  protocol::ConsumerAssignment all;
  all.version = 1;
  all.partitions = {{topic, {0, 1, 2, 3}}};
  auto sync = sync_request(group, joined.generation_id, c, {{c, protocol::encode_consumer_assignment(all)}});
  s.note("it takes all four", assignment_of(s.quiet<SyncGroupApi>(sync)));

  // Refused: a group of another embedded protocol.
  const std::string other = s.name("connect");
  await_group_coordinator(s, {other});
  auto connect = classic_join(other, "", topic);
  connect.protocol_type = "connect";
  connect.member_id = s.quiet<JoinGroupApi>(connect).member_id;
  s.quiet<JoinGroupApi>(connect);
  s.call<ConsumerGroupHeartbeatApi>("a consumer member joins a connect group", join(other, a, topic));

  auto a1 = s.call<ConsumerGroupHeartbeatApi>("a consumer member joins: the group is converted", join(group, a, topic));
  ConsumerGroupDescribeRequest describe;
  describe.group_ids = {GroupId(group)};
  auto described = [&](const std::string& label) {
    const auto d = described_group(s, group);
    json members = json::array();
    for (const auto& m : d.members) {
      members.push_back({{"type", m.member_type}, {"epoch", m.member_epoch}, {"partitions", partition_count(m.assignment)},
                         {"target", partition_count(m.target_assignment)}, {"client", m.client_id}});
    }
    std::sort(members.begin(), members.end());
    s.note(label, {{"state", d.group_state}, {"epoch", d.group_epoch}, {"assignment epoch", d.assignment_epoch},
                   {"members", members}});
  };
  described("described after the upgrade");
  ListGroupsRequest list;
  s.call<ListGroupsApi>("listed", list, ListGroupsApi::max_stable_version, Listing::kOwnOnly);

  s.call<HeartbeatApi>("the classic member's heartbeat", heartbeat_request(group, joined.generation_id, c));
  auto rejoined = s.call<JoinGroupApi>("it rejoins, owning all four", classic_join(group, c, topic, {0, 1, 2, 3}));
  const auto kept = protocol::decode_consumer_assignment(
      s.quiet<SyncGroupApi>(sync_request(group, rejoined.generation_id, c)).assignment);
  std::vector<int32_t> keeping = kept && !kept->partitions.empty() ? kept->partitions.front().second : std::vector<int32_t>{};
  s.note("its sync: what it keeps", {{"count", keeping.size()}});
  s.call<HeartbeatApi>("its heartbeat: revoke by rejoining", heartbeat_request(group, rejoined.generation_id, c));
  auto again = s.call<JoinGroupApi>("it rejoins with what it kept", classic_join(group, c, topic, keeping));
  s.quiet<SyncGroupApi>(sync_request(group, again.generation_id, c));
  auto a2 = s.quiet<ConsumerGroupHeartbeatApi>(beat(group, a, a1.member_epoch, {{id, {}}}));
  s.note("the consumer member is given the rest", summary(a2));
  described("described once both are at the new epoch");

  // The downgrade: the last new-protocol member leaves; the classic member
  // is left in a classic group, which rebalances.
  s.call<ConsumerGroupHeartbeatApi>("the consumer member leaves", beat(group, a, -1));
  s.call<ListGroupsApi>("listed after it left", list, ListGroupsApi::max_stable_version, Listing::kOwnOnly);
  s.call<DescribeGroupsApi>("a classic group again", describe_request({group}));
  s.call<HeartbeatApi>("the classic member's heartbeat", heartbeat_request(group, again.generation_id, c));
  auto back = s.call<JoinGroupApi>("it rejoins the classic group", classic_join(group, c, topic, keeping));
  s.note("its sync as the leader",
         assignment_of(s.quiet<SyncGroupApi>(sync_request(
             group, back.generation_id, c, {{c, protocol::encode_consumer_assignment(all)}}))));
  s.call<ConsumerGroupDescribeApi>("no longer a consumer group", describe);
}

// A static member (group.instance.id) restarting: its instance id is not
// given to another while it is in the group; it leaves for now (epoch -2)
// keeping its partitions, and comes back under a new member id with them
// and its epoch, fencing its old id; then leaves for good.
CROSSCHECK_SCENARIO(consumer_groups_static_member_restart, "") {
  const std::string group = s.name("g"), t = s.name("t"), instance = s.name("instance");
  const std::string first = s.name("a-1"), second = s.name("a-2"), other = s.name("b");
  await_group_coordinator(s, {group});
  s.create_topic(t, 4);
  const wire::Uuid id = s.topic_id(t);
  auto as_static = [&](Heartbeat r) {
    r.instance_id = instance;
    return r;
  };
  auto a1 = s.call<ConsumerGroupHeartbeatApi>("a static member joins", as_static(join(group, first, t)));
  s.quiet<ConsumerGroupHeartbeatApi>(as_static(beat(group, first, a1.member_epoch, {{id, {0, 1, 2, 3}}})));
  s.call<ConsumerGroupHeartbeatApi>("another member with its instance id, while it is there",
                                    as_static(join(group, second, t)));
  s.call<ConsumerGroupHeartbeatApi>("it leaves for now", as_static(beat(group, first, -2)));
  auto described = [&](const std::string& label) {
    const auto d = described_group(s, group);
    json members = json::array();
    for (const auto& m : d.members) {
      members.push_back({{"instance", m.instance_id.value_or("(none)") == instance}, {"epoch", m.member_epoch},
                         {"partitions", partition_count(m.assignment)}});
    }
    std::sort(members.begin(), members.end());
    s.note(label, {{"state", d.group_state}, {"epoch", d.group_epoch}, {"members", members}});
  };
  described("described while it is away");
  s.call<ConsumerGroupHeartbeatApi>("a dynamic member joins meanwhile: nothing free", join(group, other, t));
  auto a2 = s.call<ConsumerGroupHeartbeatApi>("it comes back under a new member id",
                                              as_static(join(group, second, t)));
  s.call<ConsumerGroupHeartbeatApi>("its old member id", as_static(beat(group, first, a1.member_epoch, {{id, {}}})));
  s.call<ConsumerGroupHeartbeatApi>("its new member id, acknowledging",
                                    as_static(beat(group, second, a2.member_epoch, {{id, {0, 1, 2, 3}}})));
  described("described once it is back");
  s.call<ConsumerGroupHeartbeatApi>("it leaves for good", as_static(beat(group, second, -1)));
  described("described after it left");
  s.call<ConsumerGroupHeartbeatApi>("the dynamic member leaves", beat(group, other, -1));
}

// The downgrade by replacement: a static member joining with the classic
// protocol in place of the group's only new-protocol member (same
// instance id) makes the group classic again, Stable when its subscription
// is the same, rebalancing when it is not.
CROSSCHECK_SCENARIO(consumer_groups_downgrade_by_static_replacement, "") {
  const std::string group = s.name("g"), other = s.name("g2"), t = s.name("t"), u = s.name("u");
  await_group_coordinator(s, {group, other});
  s.create_topic(t, 2);
  s.create_topic(u, 1);
  const wire::Uuid id = s.topic_id(t);

  auto static_join = [&](const std::string& g, const std::string& member, const std::string& instance) {
    Heartbeat j = join(g, member, t);
    j.instance_id = instance;
    auto r = s.call<ConsumerGroupHeartbeatApi>("a static member joins with the consumer protocol", j);
    s.quiet<ConsumerGroupHeartbeatApi>(beat(g, member, r.member_epoch, {{id, {0, 1}}}));
    return r;
  };
  static_join(group, s.name("s"), s.name("inst"));
  JoinGroupRequest replace = classic_join(group, "", t);
  replace.group_instance_id = s.name("inst");
  auto joined = s.call<JoinGroupApi>("the same instance joins with the classic protocol", replace);
  ListGroupsRequest list;
  s.call<ListGroupsApi>("listed: classic again", list, ListGroupsApi::max_stable_version, Listing::kOwnOnly);
  s.call<DescribeGroupsApi>("described: Stable, the new member alone", describe_request({group}));
  SyncGroupRequest sync = sync_request(group, joined.generation_id, joined.member_id);
  sync.group_instance_id = s.name("inst");
  s.note("its sync: its predecessor's partitions", assignment_of(s.quiet<SyncGroupApi>(sync)));
  HeartbeatRequest hb = heartbeat_request(group, joined.generation_id, joined.member_id);
  hb.group_instance_id = s.name("inst");
  s.call<HeartbeatApi>("its heartbeat", hb);
  s.call<ConsumerGroupHeartbeatApi>("the replaced member's heartbeat", beat(group, s.name("s"), 1, {{id, {0, 1}}}));

  // Another subscription: the classic group rebalances.
  static_join(other, s.name("s2"), s.name("inst2"));
  JoinGroupRequest wider = classic_join(other, "", t);
  wider.group_instance_id = s.name("inst2");
  protocol::ConsumerSubscription both;
  both.version = 1;
  both.topics = {t, u};
  for (auto& p : wider.protocols) p.metadata = protocol::encode_consumer_subscription(both);
  auto rejoin = s.call<JoinGroupApi>("the same instance joins for t and u", wider);
  s.call<DescribeGroupsApi>("described: rebalancing", describe_request({other}));
  wider.member_id = rejoin.member_id;
  auto again = s.call<JoinGroupApi>("it joins again", wider);
  SyncGroupRequest lead = sync_request(other, again.generation_id, again.member_id);
  lead.group_instance_id = s.name("inst2");
  s.call<SyncGroupApi>("its sync as the leader", lead);
  s.call<DescribeGroupsApi>("described: Stable", describe_request({other}));
}

}  // namespace kafkalite::crosscheck
