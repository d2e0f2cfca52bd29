#include "broker/group/assignors.h"

#include <algorithm>
#include <utility>

namespace kafkalite::broker::group {

namespace {

using Partition = std::pair<wire::Uuid, int32_t>;

std::vector<const MemberSpec*> in_member_order(const AssignmentSpec& spec) {
  std::vector<const MemberSpec*> out;
  for (const auto& m : spec.members) out.push_back(&m);
  std::sort(out.begin(), out.end(), [](const MemberSpec* a, const MemberSpec* b) { return a->member_id < b->member_id; });
  return out;
}

// Topic ids by topic name.
std::vector<wire::Uuid> in_topic_order(const AssignmentSpec& spec) {
  std::vector<wire::Uuid> out;
  for (const auto& [id, t] : spec.topics) out.push_back(id);
  std::sort(out.begin(), out.end(),
            [&](const wire::Uuid& a, const wire::Uuid& b) { return spec.topics.at(a).name < spec.topics.at(b).name; });
  return out;
}

bool valid(const AssignmentSpec& spec, const MemberSpec& m, const wire::Uuid& topic, int32_t p) {
  auto t = spec.topics.find(topic);
  return t != spec.topics.end() && m.subscribed.count(topic) && p >= 0 && p < t->second.partitions;
}

}  // namespace

std::map<std::string, Assignment> assign_uniform(const AssignmentSpec& spec) {
  std::map<std::string, Assignment> out;
  const auto members = in_member_order(spec);
  for (const auto* m : members) out[m->member_id];
  if (members.empty()) return out;

  // Every partition some member subscribes to, by topic name then number.
  std::vector<Partition> all;
  for (const auto& topic : in_topic_order(spec)) {
    const bool wanted = std::any_of(members.begin(), members.end(),
                                    [&](const MemberSpec* m) { return m->subscribed.count(topic) != 0; });
    if (!wanted) continue;
    for (int32_t p = 0; p < spec.topics.at(topic).partitions; ++p) all.emplace_back(topic, p);
  }
  std::set<Partition> taken;
  std::map<std::string, size_t> load;
  auto give = [&](const MemberSpec* m, const Partition& p) {
    out[m->member_id][p.first].insert(p.second);
    taken.insert(p);
    ++load[m->member_id];
  };

  const bool homogeneous = std::all_of(members.begin(), members.end(), [&](const MemberSpec* m) {
    return m->subscribed == members.front()->subscribed;
  });
  if (homogeneous) {
    const size_t min_quota = all.size() / members.size();
    size_t extra = all.size() % members.size();
    // What each member keeps: at most its quota, one more while extras last.
    for (const auto* m : members) {
      std::vector<Partition> keep;
      for (const auto& [topic, ps] : m->current) {
        for (int32_t p : ps) {
          if (valid(spec, *m, topic, p)) keep.emplace_back(topic, p);
        }
      }
      size_t quota = min_quota;
      if (keep.size() > min_quota && extra > 0) {
        quota = min_quota + 1;
        --extra;
      }
      for (size_t i = 0; i < keep.size() && i < quota; ++i) give(m, keep[i]);
    }
    std::vector<Partition> free;
    for (const auto& p : all) {
      if (!taken.count(p)) free.push_back(p);
    }
    size_t next = 0;
    for (const auto* m : members) {
      while (load[m->member_id] < min_quota && next < free.size()) give(m, free[next++]);
    }
    for (const auto* m : members) {
      if (next >= free.size() || extra == 0) break;
      if (load[m->member_id] == min_quota) {
        give(m, free[next++]);
        --extra;
      }
    }
    return out;
  }

  // Subscriptions differ: keep what is still wanted, give the rest to the
  // least loaded subscriber, then move partitions from the most to the least
  // loaded subscriber until no two subscribers differ by more than one.
  std::map<Partition, const MemberSpec*> owner;
  for (const auto* m : members) {
    for (const auto& [topic, ps] : m->current) {
      for (int32_t p : ps) {
        if (valid(spec, *m, topic, p) && !taken.count({topic, p})) {
          give(m, {topic, p});
          owner[{topic, p}] = m;
        }
      }
    }
  }
  auto least_loaded = [&](const wire::Uuid& topic) {
    const MemberSpec* best = nullptr;
    for (const auto* m : members) {
      if (!m->subscribed.count(topic)) continue;
      if (!best || load[m->member_id] < load[best->member_id]) best = m;
    }
    return best;
  };
  for (const auto& p : all) {
    if (taken.count(p)) continue;
    if (const MemberSpec* m = least_loaded(p.first)) {
      give(m, p);
      owner[p] = m;
    }
  }
  for (bool moved = true; moved;) {
    moved = false;
    for (const auto& p : all) {
      const MemberSpec* from = owner[p];
      const MemberSpec* to = least_loaded(p.first);
      if (!from || !to || load[to->member_id] + 1 >= load[from->member_id]) continue;
      auto& ps = out[from->member_id][p.first];
      ps.erase(p.second);
      if (ps.empty()) out[from->member_id].erase(p.first);
      --load[from->member_id];
      give(to, p);
      owner[p] = to;
      moved = true;
    }
  }
  return out;
}

std::map<std::string, Assignment> assign_range(const AssignmentSpec& spec) {
  std::map<std::string, Assignment> out;
  const auto members = in_member_order(spec);
  for (const auto* m : members) out[m->member_id];
  for (const auto& topic : in_topic_order(spec)) {
    std::vector<const MemberSpec*> subscribers;
    for (const auto* m : members) {
      if (m->subscribed.count(topic)) subscribers.push_back(m);
    }
    if (subscribers.empty()) continue;
    const int32_t n = spec.topics.at(topic).partitions;
    const auto k = static_cast<int32_t>(subscribers.size());
    int32_t start = 0;
    for (int32_t i = 0; i < k; ++i) {
      const int32_t count = n / k + (i < n % k ? 1 : 0);
      for (int32_t p = start; p < start + count; ++p) out[subscribers[static_cast<size_t>(i)]->member_id][topic].insert(p);
      start += count;
    }
  }
  return out;
}

}  // namespace kafkalite::broker::group
