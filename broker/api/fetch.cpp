// Fetch (key 1), v4-18. Long polls until min_bytes are available or
// max_wait_ms passes, woken by any produce. max_bytes, partition_max_bytes
// and KIP-74's "at least one batch" rule apply as in Kafka.
// Differs from Kafka: no incremental fetch sessions — every response carries
// session id 0, which tells clients (the Java consumer included) to keep
// sending full fetch requests, as they do when a broker's session cache is
// full. An incremental request (session id != 0) gets FETCH_SESSION_ID_NOT_FOUND.
#include <spdlog/spdlog.h>

#include <chrono>

#include "broker/api/handlers.h"

namespace kafkalite::broker::api {
namespace {

using PartitionData = FetchResponse::FetchableTopicResponse::PartitionData;

void fail(PartitionData& out, ErrorCode code) {
  out.error_code = static_cast<int16_t>(code);
  out.high_watermark = -1;
  out.last_stable_offset = -1;
  out.log_start_offset = -1;
}

// One pass over the request; returns the bytes of records gathered.
size_t gather(Broker& broker, const RequestContext& ctx, const FetchRequest& request,
              FetchResponse& response) {
  response = FetchResponse{};
  size_t total = 0;
  const size_t max_bytes = static_cast<size_t>(std::max(request.max_bytes, 0));
  for (const auto& wanted : request.topics) {
    FetchResponse::FetchableTopicResponse topic_out;
    topic_out.topic = wanted.topic;
    topic_out.topic_id = wanted.topic_id;
    cluster::Topic* topic = ctx.api_version >= 13 ? broker.topics().find(wanted.topic_id)
                                                  : broker.topics().find(wanted.topic);
    for (const auto& p : wanted.partitions) {
      PartitionData out;
      out.partition_index = p.partition;
      log::PartitionLog* partition = topic ? topic->partition(p.partition) : nullptr;
      if (!topic && ctx.api_version >= 13) {
        fail(out, ErrorCode::UnknownTopicId);
      } else if (!partition) {
        fail(out, ErrorCode::UnknownTopicOrPartition);
      } else if (p.fetch_offset < partition->log_start_offset() ||
                 p.fetch_offset > partition->log_end_offset()) {
        fail(out, ErrorCode::OffsetOutOfRange);
      } else {
        out.high_watermark = partition->log_end_offset();
        out.last_stable_offset = partition->log_end_offset();
        out.log_start_offset = partition->log_start_offset();
        if (request.isolation_level == 1) out.aborted_transactions.emplace();
        const size_t budget = std::min(static_cast<size_t>(std::max(p.partition_max_bytes, 0)),
                                       max_bytes > total ? max_bytes - total : 0);
        wire::Bytes data;
        total += partition->read(p.fetch_offset, budget, /*at_least_one=*/total == 0, data);
        out.records.data = std::move(data);
      }
      topic_out.partitions.push_back(std::move(out));
    }
    response.responses.push_back(std::move(topic_out));
  }
  return total;
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
  if (request.session_id != 0 || request.session_epoch > 0) {
    response.error_code = static_cast<int16_t>(ErrorCode::FetchSessionIdNotFound);
    co_return response;
  }
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max(request.max_wait_ms, 0));
  asio::steady_timer timer(broker.io());
  for (;;) {
    const size_t bytes = gather(broker, ctx, request, response);
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
  co_return response;
}

}  // namespace kafkalite::broker::api
