// Fetch (key 1), v4-18. Long polls until min_bytes are available or
// max_wait_ms passes, woken by any produce. max_bytes, partition_max_bytes
// and KIP-74's "at least one batch" rule apply as in Kafka. Incremental
// fetch sessions (KIP-227) as in Kafka: epoch 0 opens a session, epoch -1
// fetches without one, later epochs send only changes (added, changed and
// forgotten partitions) and get back only partitions with news — records,
// a moved high watermark or log start, or an error.
#include <spdlog/spdlog.h>

#include <chrono>

#include "broker/api/handlers.h"

namespace kafkalite::broker::api {
namespace {

using PartitionData = FetchResponse::FetchableTopicResponse::PartitionData;

constexpr int32_t kFinalEpoch = -1;
constexpr int32_t kInitialEpoch = 0;

void fail(PartitionData& out, ErrorCode code) {
  out.error_code = static_cast<int16_t>(code);
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
      out.push_back(sp);
    }
  }
  return out;
}

// Applies an incremental request to its session: upserts, then forgets.
void update_session(FetchSession& session, const FetchRequest& request) {
  for (const auto& wanted : partitions_of(request)) {
    auto it = std::find_if(session.partitions.begin(), session.partitions.end(),
                           [&](const SessionPartition& p) { return p.same_partition(wanted); });
    if (it == session.partitions.end()) {
      session.partitions.push_back(wanted);
    } else {
      it->fetch_offset = wanted.fetch_offset;
      it->max_bytes = wanted.max_bytes;
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

// One pass over the partitions; returns the bytes of records gathered.
// With `only_news`, partitions with nothing new for the client are left out.
size_t gather(Broker& broker, const RequestContext& ctx, const FetchRequest& request,
              std::vector<SessionPartition>& partitions, bool only_news, FetchResponse& response) {
  response.responses.clear();
  size_t total = 0;
  const size_t max_bytes = static_cast<size_t>(std::max(request.max_bytes, 0));
  const bool by_id = ctx.api_version >= 13;
  for (auto& p : partitions) {
    PartitionData out;
    out.partition_index = p.partition;
    cluster::Topic* topic = by_id ? broker.topics().find(p.topic_id) : broker.topics().find(p.topic);
    log::PartitionLog* partition = topic ? topic->partition(p.partition) : nullptr;
    if (!topic && by_id) {
      fail(out, ErrorCode::UnknownTopicId);
    } else if (!partition) {
      fail(out, ErrorCode::UnknownTopicOrPartition);
    } else if (p.fetch_offset < partition->log_start_offset() ||
               p.fetch_offset > partition->log_end_offset()) {
      fail(out, ErrorCode::OffsetOutOfRange);
      out.aborted_transactions.reset();  // Kafka: null here, [] for an unknown partition
    } else {
      out.high_watermark = partition->log_end_offset();
      out.last_stable_offset = partition->log_end_offset();
      out.log_start_offset = partition->log_start_offset();
      // Null unless the client reads committed data (then there are none).
      if (request.isolation_level != 1) out.aborted_transactions.reset();
      const size_t budget = std::min(static_cast<size_t>(std::max(p.max_bytes, 0)),
                                     max_bytes > total ? max_bytes - total : 0);
      wire::Bytes data;
      total += partition->read(p.fetch_offset, budget, /*at_least_one=*/total == 0, data);
      out.records.data = std::move(data);
    }
    const bool news = out.error_code != 0 || !out.records.data->empty() ||
                      out.high_watermark != p.high_watermark ||
                      out.log_start_offset != p.log_start_offset;
    if (only_news && !news) continue;
    if (!out.records.data) out.records.data.emplace();
    if (response.responses.empty() || response.responses.back().topic != p.topic ||
        response.responses.back().topic_id != p.topic_id) {
      auto& topic_out = response.responses.emplace_back();
      topic_out.topic = p.topic;
      topic_out.topic_id = p.topic_id;
    }
    response.responses.back().partitions.push_back(std::move(out));
  }
  return total;
}

// Remembers what each partition told the client, for the next incremental fetch.
void remember(const FetchResponse& response, std::vector<SessionPartition>& partitions) {
  for (const auto& topic : response.responses) {
    for (const auto& out : topic.partitions) {
      for (auto& p : partitions) {
        if (p.partition == out.partition_index && p.topic == topic.topic && p.topic_id == topic.topic_id) {
          p.high_watermark = out.high_watermark;
          p.log_start_offset = out.log_start_offset;
          p.error_code = out.error_code;
        }
      }
    }
  }
}

bool has_errors(const FetchResponse& response) {
  for (const auto& topic : response.responses) {
    for (const auto& p : topic.partitions) {
      if (p.error_code != 0) return true;
    }
  }
  return false;
}

}  // namespace

Task<FetchResponse> handle(Broker& broker, const RequestContext& ctx, FetchRequest& request) {
  FetchResponse response;
  auto& sessions = broker.fetch_sessions();
  int32_t session_id = 0;
  bool incremental = false;
  std::vector<SessionPartition> partitions;
  if (request.session_epoch == kFinalEpoch || request.session_epoch == kInitialEpoch) {
    if (request.session_id != 0) sessions.close(request.session_id);
    partitions = partitions_of(request);
    if (request.session_epoch == kInitialEpoch) {
      FetchSession& session = sessions.open();
      session.partitions = partitions;
      session_id = session.id;
    }
  } else {
    FetchSession* session = sessions.find(request.session_id);
    if (!session) {
      response.error_code = static_cast<int16_t>(ErrorCode::FetchSessionIdNotFound);
      co_return response;
    }
    if (session->next_epoch != request.session_epoch) {
      response.error_code = static_cast<int16_t>(ErrorCode::InvalidFetchSessionEpoch);
      co_return response;
    }
    update_session(*session, request);
    partitions = session->partitions;
    session_id = session->id;
    incremental = true;
  }

  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max(request.max_wait_ms, 0));
  asio::steady_timer timer(broker.io());
  for (;;) {
    const size_t bytes = gather(broker, ctx, request, partitions, incremental, response);
    if (bytes >= static_cast<size_t>(std::max(request.min_bytes, 1)) || has_errors(response) ||
        std::chrono::steady_clock::now() >= deadline || broker.stopping()) {
      break;
    }
    // Sleep until new data arrives anywhere, or the deadline.
    timer.expires_at(deadline);
    broker.data_waiters().add(&timer);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    broker.data_waiters().remove(&timer);
  }
  // The session may have been evicted while this fetch waited.
  if (FetchSession* session = session_id ? sessions.find(session_id) : nullptr) {
    remember(response, partitions);
    session->partitions = std::move(partitions);
    // After epoch e the client sends e + 1 (wrapping past INT32_MAX to 1).
    session->next_epoch = request.session_epoch == INT32_MAX ? 1 : request.session_epoch + 1;
    response.session_id = session_id;
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
