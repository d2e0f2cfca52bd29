// The cluster and the connection: DescribeCluster, DescribeLogDirs,
// ApiVersions error paths, and what a broker does with requests it cannot
// serve (unsupported versions, unknown APIs, garbage).
#include "common/protocol/frame.h"
#include "tests/crosscheck/requests.h"
#include "tests/crosscheck/scenario.h"

namespace kafkalite::crosscheck {

CROSSCHECK_SCENARIO(describe_cluster, "") {
  DescribeClusterRequest request;
  s.call<DescribeClusterApi>("describe cluster", request);
  request.include_cluster_authorized_operations = true;
  s.call<DescribeClusterApi>("with authorized operations", request);
  request.endpoint_type = 2;
  s.call<DescribeClusterApi>("controllers endpoint type from a client", request, 1);
}

CROSSCHECK_SCENARIO(describe_log_dirs, "") {
  const std::string topic = s.name("dirs");
  s.create_topic(topic, 2);
  s.call<ProduceApi>("4 records", produce_request(s, topic, 1, s.batch(4)));
  DescribeLogDirsRequest request;
  request.topics.emplace();
  auto& t = request.topics->emplace_back();
  t.topic = TopicName(topic);
  t.partitions = {0, 1, 7};
  s.call<DescribeLogDirsApi>("own topic, with an unknown partition", request);
  DescribeLogDirsRequest all;
  all.topics = std::nullopt;  // null: all topics
  s.call<DescribeLogDirsApi>("all topics", all, DescribeLogDirsApi::max_stable_version, Listing::kOwnOnly);
}

namespace {

// A request frame with the given key and version and an empty body.
wire::Bytes header_only_frame(int16_t key, int16_t version, int16_t header_version) {
  wire::Writer body;
  RequestHeader header;
  header.request_api_key = key;
  header.request_api_version = version;
  header.correlation_id = 77;
  header.client_id = "crosscheck";
  header.encode(body, header_version);
  wire::Writer frame;
  frame.write_int32(static_cast<int32_t>(body.bytes().size()));
  frame.write_raw(body.bytes());
  return frame.take();
}

}  // namespace

CROSSCHECK_SCENARIO(unsupported_versions, "") {
  // ApiVersions too new: a v0 answer with UNSUPPORTED_VERSION (KIP-511).
  auto too_new = header_only_frame(18, 99, 2);
  s.connection().send_frame(too_new);
  ApiVersionsResponse answer;
  ResponseHeader header;
  std::string error;
  const wire::Bytes frame = s.connection().receive_frame();
  if (decode_response_frame<ApiVersionsApi>(frame, 0, header, answer, error)) {
    s.note("ApiVersions v99", {{"error_code", answer.error_code},
                               {"correlation_id", header.correlation_id},
                               {"lists_ApiVersions", [&] {
                                  for (const auto& k : answer.api_keys) {
                                    if (k.api_key == 18) return json({k.min_version, k.max_version});
                                  }
                                  return json(nullptr);
                                }()}});
  } else {
    s.note("ApiVersions v99", "undecodable: " + error);
  }
  s.send_raw("Metadata v99", header_only_frame(3, 99, 2));
  s.send_raw("Fetch v3 (below the oldest)", header_only_frame(1, 3, 1));
  s.send_raw("unknown API key 999", header_only_frame(999, 0, 1));
  s.send_raw("Metadata v12 with a truncated body", header_only_frame(3, 12, 2));
  s.call<MetadataApi>("a new connection still works", metadata_request(std::vector<std::string>{}));
}

}  // namespace kafkalite::crosscheck
