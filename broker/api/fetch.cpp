// Fetch (key 1), v4-18. Long polls until min_bytes are available or
// max_wait_ms passes, woken only by appends to the partitions it reads
// (transaction markers included, so read_committed fetches wake when the
// last stable offset moves). read_committed (isolation_level 1) returns whole
// batches below the last stable offset, with the aborted transactions that
// overlap them (Kafka's transaction index); read_uncommitted gets null there.
// Limits as Kafka's: the broker's fetch.max.bytes caps the request's
// max_bytes, min_bytes is capped at that; each partition gets at most
// partition_max_bytes of what is left, as a raw slice of the log (so the last
// batch may be cut short), except that the first partition with data gets at
// least its whole first batch (KIP-74).
// Incremental fetch sessions (KIP-227) as in Kafka: epoch 0 opens a session,
// epoch -1 fetches without one, later epochs send only changes and get back
// only partitions with news (records, a moved high watermark, last stable
// offset or log start, or an error). Partitions are read in request order (a session's order for an
// incremental fetch); after an incremental fetch, partitions that returned
// records move to the end of the session, so none starves. A partition whose
// limit cannot hold its first batch gets nothing (Kafka drops an incomplete
// first batch), except the first partition with data (KIP-74). Partitions refused before reading (unknown
// topic or partition) come last in the response, as in Kafka.
// ACLs: a consumer needs READ on each topic (TOPIC_AUTHORIZATION_FAILED per
// partition, refused before reading; an unknown topic id is told first); a
// follower (a replica id) needs CLUSTER_ACTION on the cluster, else every
// partition is refused. Asked once per request, not at each wake-up.
#include <spdlog/spdlog.h>

#include <chrono>

#include "broker/api/access.h"
#include "broker/api/handlers.h"
#include "broker/api/leader_epochs.h"

namespace kafkalite::broker::api {
namespace {

using PartitionData = FetchResponse::FetchableTopicResponse::PartitionData;
using fetch::SessionPartition;

constexpr int32_t kFinalEpoch = -1;
constexpr int32_t kInitialEpoch = 0;
// Kafka's fetch.max.bytes default (55 MiB).
constexpr int64_t kDefaultFetchMaxBytes = 57671680;

void fail(PartitionData& out, ErrorCode code) {
  out.error_code = code;
  out.high_watermark = -1;
  out.last_stable_offset = -1;
  out.log_start_offset = -1;
}

std::vector<SessionPartition> partitions_of(const FetchRequest& request) {
  std::vector<SessionPartition> out;
  for (const auto& t : request.topics) {
    for (const auto& p : t.partitions) {
      SessionPartition sp;
      sp.topic = t.topic;
      sp.topic_id = t.topic_id;
      sp.partition = p.partition;
      sp.fetch_offset = p.fetch_offset;
      sp.max_bytes = p.partition_max_bytes;
      sp.current_leader_epoch = p.current_leader_epoch;
      out.push_back(sp);
    }
  }
  return out;
}

// Applies an incremental request to its session: upserts (new partitions at
// the end, in request order), then forgets.
void update_session(fetch::FetchSession& session, const FetchRequest& request) {
  for (const auto& wanted : partitions_of(request)) {
    auto it = std::find_if(session.partitions.begin(), session.partitions.end(),
                           [&](const SessionPartition& p) { return p.same_partition(wanted); });
    if (it == session.partitions.end()) {
      session.partitions.push_back(wanted);
    } else {
      it->fetch_offset = wanted.fetch_offset;
      it->max_bytes = wanted.max_bytes;
      it->current_leader_epoch = wanted.current_leader_epoch;
    }
  }
  for (const auto& forgotten : request.forgotten_topics_data) {
    for (int32_t index : forgotten.partitions) {
      SessionPartition gone;
      gone.topic = forgotten.topic;
      gone.topic_id = forgotten.topic_id;
      gone.partition = index;
      std::erase_if(session.partitions, [&](const SessionPartition& p) { return p.same_partition(gone); });
    }
  }
}

struct Limits {
  size_t max_bytes = 0;
  size_t min_bytes = 0;
};

// One partition's answer, and whether it was refused before reading.
struct PartitionRead {
  PartitionData data;
  bool refused = false;
  bool news = false;
  size_t bytes = 0;
};

// One pass over the partitions, in order.
// The topics a fetch may read (none when no authorizer asks).
struct Readable {
  bool checked = false;
  std::set<std::string> topics;
  bool allows(const std::string& name) const { return !checked || topics.count(name); }
};

Readable readable_topics(Services& broker, const RequestContext& ctx, const FetchRequest& request,
                         const std::vector<SessionPartition>& partitions) {
  const Access access(broker, ctx);
  Readable out;
  if (!access.enabled()) return out;
  out.checked = true;
  if (request.replica_id.value() >= 0 || request.replica_state.replica_id.value() >= 0) {
    if (access.allows_cluster(AclOperation::kClusterAction)) out.checked = false;
    return out;
  }
  std::vector<std::string> names;
  for (const auto& p : partitions) {
    const cluster::Topic* topic = ctx.api_version >= 13 ? broker.topics().find(p.topic_id) : nullptr;
    if (ctx.api_version < 13 || topic) names.push_back(topic ? topic->name : p.topic.value());
  }
  out.topics = access.allowed_names(AclOperation::kRead, ResourceType::kTopic, names);
  return out;
}

std::vector<PartitionRead> gather(Services& broker, const RequestContext& ctx, const FetchRequest& request,
                                  const std::vector<SessionPartition>& partitions, const Limits& limits,
                                  const Readable& readable) {
  std::vector<PartitionRead> reads;
  size_t total = 0;
  bool first_with_data = true;  // KIP-74: until a partition returns data
  const bool by_id = ctx.api_version >= 13;
  for (const auto& p : partitions) {
    PartitionRead& r = reads.emplace_back();
    PartitionData& out = r.data;
    out.partition_index = p.partition;
    cluster::Topic* topic = by_id ? broker.topics().find(p.topic_id) : broker.topics().find(p.topic);
    log::PartitionLog* partition = topic ? topic->partition(p.partition) : nullptr;
    if (!topic && by_id) {
      fail(out, ErrorCode::UnknownTopicId);
      r.refused = true;
    } else if (!readable.allows(topic ? topic->name : p.topic.value())) {
      fail(out, ErrorCode::TopicAuthorizationFailed);
      r.refused = true;
    } else if (!partition) {
      fail(out, ErrorCode::UnknownTopicOrPartition);
      r.refused = true;
    } else if (auto fenced = leader_epoch_error(*partition, p.current_leader_epoch)) {
      fail(out, *fenced);
      out.aborted_transactions.reset();
      // KIP-951: a client with a stale epoch is told the current leader.
      if (*fenced == ErrorCode::FencedLeaderEpoch) out.current_leader = {broker.node_id(), partition->leader_epoch(), {}};
    } else if (p.fetch_offset < partition->log_start_offset() ||
               p.fetch_offset > partition->log_end_offset()) {
      fail(out, ErrorCode::OffsetOutOfRange);
      out.aborted_transactions.reset();  // Kafka: null here, [] for an unknown partition
    } else {
      out.high_watermark = partition->log_end_offset();
      out.last_stable_offset = partition->last_stable_offset();
      out.log_start_offset = partition->log_start_offset();
      const bool read_committed = request.isolation_level == 1;
      // Null unless the client reads committed data.
      if (!read_committed) out.aborted_transactions.reset();
      const size_t left = limits.max_bytes > total ? limits.max_bytes - total : 0;
      const size_t budget = std::min(static_cast<size_t>(std::max(p.max_bytes, 0)), left);
      int64_t end_offset = -1;
      r.bytes = partition->read(p.fetch_offset, budget, first_with_data, out.records,
                                read_committed ? out.last_stable_offset : INT64_MAX,
                                read_committed ? &end_offset : nullptr);
      if (r.bytes > 0) first_with_data = false;
      if (read_committed && r.bytes > 0) {
        // The aborted transactions overlapping what was returned.
        for (const auto& aborted : partition->aborted_transactions(p.fetch_offset, end_offset)) {
          auto& a = out.aborted_transactions->emplace_back();
          a.producer_id = ProducerId(aborted.producer_id);
          a.first_offset = aborted.first_offset;
        }
      }
      total += r.bytes;
    }
    if (!out.records.data) out.records.data.emplace();
    r.news = out.error_code != ErrorCode::None || r.bytes > 0 || out.high_watermark != p.high_watermark ||
             out.log_start_offset != p.log_start_offset || out.last_stable_offset != p.last_stable_offset;
  }
  return reads;
}

size_t bytes_of(const std::vector<PartitionRead>& reads) {
  size_t total = 0;
  for (const auto& r : reads) total += r.bytes;
  return total;
}

bool has_errors(const std::vector<PartitionRead>& reads) {
  for (const auto& r : reads) {
    if (r.data.error_code != ErrorCode::None) return true;
  }
  return false;
}

// The partitions a long poll waits on.
std::vector<fetch::PartitionKey> wait_keys(Services& broker, const std::vector<SessionPartition>& partitions,
                                           bool by_id) {
  std::vector<fetch::PartitionKey> keys;
  for (const auto& p : partitions) {
    cluster::Topic* topic = by_id ? broker.topics().find(p.topic_id) : broker.topics().find(p.topic);
    if (topic) keys.push_back({topic->id, p.partition});
  }
  return keys;
}

// The response: read partitions in order (only those with news in an
// incremental fetch), then those refused before reading.
void respond(const std::vector<SessionPartition>& partitions, std::vector<PartitionRead>& reads,
             bool only_news, FetchResponse& response) {
  auto add = [&](const SessionPartition& p, PartitionData data) {
    if (response.responses.empty() || response.responses.back().topic != p.topic ||
        response.responses.back().topic_id != p.topic_id) {
      auto& topic_out = response.responses.emplace_back();
      topic_out.topic = p.topic;
      topic_out.topic_id = p.topic_id;
    }
    response.responses.back().partitions.push_back(std::move(data));
  };
  for (bool refused : {false, true}) {
    for (size_t i = 0; i < partitions.size(); ++i) {
      if (reads[i].refused != refused || (only_news && !reads[i].news)) continue;
      add(partitions[i], std::move(reads[i].data));
    }
  }
}

// Remembers what each partition told the client, for the next incremental
// fetch; after an incremental fetch (not the one that opened the session)
// moves partitions that returned records to the end, as Kafka does.
void remember(fetch::FetchSession& session, const std::vector<SessionPartition>& partitions,
              const std::vector<PartitionRead>& reads, bool incremental) {
  std::vector<SessionPartition> kept, rotated;
  for (size_t i = 0; i < partitions.size(); ++i) {
    SessionPartition p = partitions[i];
    const PartitionData& out = reads[i].data;
    if (reads[i].news) {
      p.high_watermark = out.high_watermark;
      p.log_start_offset = out.log_start_offset;
      p.last_stable_offset = out.last_stable_offset;
      p.error_code = out.error_code;
    }
    (incremental && reads[i].bytes > 0 ? rotated : kept).push_back(std::move(p));
  }
  kept.insert(kept.end(), std::make_move_iterator(rotated.begin()), std::make_move_iterator(rotated.end()));
  session.partitions = std::move(kept);
}

}  // namespace

Task<FetchResponse> handle(Services& broker, const RequestContext& ctx, FetchRequest& request) {
  FetchResponse response;
  auto& sessions = broker.fetch_sessions();
  int32_t session_id = 0;
  bool incremental = false;
  std::vector<SessionPartition> partitions;
  if (request.session_epoch == kFinalEpoch || request.session_epoch == kInitialEpoch) {
    if (request.session_id != 0) sessions.close(request.session_id);
    partitions = partitions_of(request);
    if (request.session_epoch == kInitialEpoch) {
      fetch::FetchSession& session = sessions.open();
      session.partitions = partitions;
      session_id = session.id;
    }
  } else {
    fetch::FetchSession* session = sessions.find(request.session_id);
    if (!session) {
      response.error_code = ErrorCode::FetchSessionIdNotFound;
      co_return response;
    }
    if (session->next_epoch != request.session_epoch) {
      response.error_code = ErrorCode::InvalidFetchSessionEpoch;
      co_return response;
    }
    update_session(*session, request);
    partitions = session->partitions;
    session_id = session->id;
    incremental = true;
  }

  Limits limits;
  const int64_t broker_max = broker.config().get_int("fetch.max.bytes", kDefaultFetchMaxBytes);
  limits.max_bytes = static_cast<size_t>(std::max<int64_t>(0, std::min<int64_t>(request.max_bytes, broker_max)));
  limits.min_bytes = std::min(static_cast<size_t>(std::max(request.min_bytes, 0)), limits.max_bytes);
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max(request.max_wait_ms, 0));
  asio::steady_timer timer(broker.io());
  std::vector<PartitionRead> reads;
  const Readable readable = readable_topics(broker, ctx, request, partitions);
  for (;;) {
    reads = gather(broker, ctx, request, partitions, limits, readable);
    const size_t bytes = bytes_of(reads);
    if (bytes >= std::max<size_t>(limits.min_bytes, 1) || has_errors(reads) ||
        std::chrono::steady_clock::now() >= deadline || broker.stopping()) {
      break;
    }
    // Sleep until one of these partitions gets new data, or the deadline.
    timer.expires_at(deadline);
    broker.data_waiters().add(&timer, wait_keys(broker, partitions, ctx.api_version >= 13));
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    broker.data_waiters().remove(&timer);
  }
  // The session may have been evicted while this fetch waited.
  if (fetch::FetchSession* session = session_id ? sessions.find(session_id) : nullptr) {
    remember(*session, partitions, reads, incremental);
    // After epoch e the client sends e + 1 (wrapping past INT32_MAX to 1).
    session->next_epoch = request.session_epoch == INT32_MAX ? 1 : request.session_epoch + 1;
    response.session_id = session_id;
  }
  respond(partitions, reads, incremental, response);
  // KIP-951 (v16+): the endpoints of the leaders named in the answer.
  bool names_leader = false;
  for (const auto& t : response.responses) {
    for (const auto& p : t.partitions) names_leader |= p.current_leader.leader_id.value() >= 0;
  }
  if (names_leader && ctx.api_version >= 16) {
    auto [host, port] = broker.advertised_endpoint(ctx.listener);
    response.node_endpoints.push_back({broker.node_id(), host, port, std::nullopt, {}});
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
