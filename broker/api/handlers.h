// Every API the broker implements is one `handle` overload, defined in its
// own file in this folder (produce.cpp, fetch.cpp, ...). The dispatcher and
// ApiVersions find them by overload resolution, so adding an API means adding
// one declaration here and one file.
#pragma once

#include "common/net/asio.h"

#include "broker/broker.h"
#include "common/protocol/generated/visit_api.h"

namespace kafkalite::broker::api {

template <typename T>
using Task = boost::asio::awaitable<T>;
using namespace kafkalite::protocol;

Task<ApiVersionsResponse> handle(Broker&, const RequestContext&, ApiVersionsRequest&);
Task<MetadataResponse> handle(Broker&, const RequestContext&, MetadataRequest&);
Task<ProduceResponse> handle(Broker&, const RequestContext&, ProduceRequest&);
Task<FetchResponse> handle(Broker&, const RequestContext&, FetchRequest&);
Task<ListOffsetsResponse> handle(Broker&, const RequestContext&, ListOffsetsRequest&);
Task<CreateTopicsResponse> handle(Broker&, const RequestContext&, CreateTopicsRequest&);
Task<DeleteTopicsResponse> handle(Broker&, const RequestContext&, DeleteTopicsRequest&);
Task<InitProducerIdResponse> handle(Broker&, const RequestContext&, InitProducerIdRequest&);
Task<DescribeClusterResponse> handle(Broker&, const RequestContext&, DescribeClusterRequest&);
Task<CreatePartitionsResponse> handle(Broker&, const RequestContext&, CreatePartitionsRequest&);
Task<DeleteRecordsResponse> handle(Broker&, const RequestContext&, DeleteRecordsRequest&);
Task<DescribeConfigsResponse> handle(Broker&, const RequestContext&, DescribeConfigsRequest&);
Task<AlterConfigsResponse> handle(Broker&, const RequestContext&, AlterConfigsRequest&);
Task<IncrementalAlterConfigsResponse> handle(Broker&, const RequestContext&, IncrementalAlterConfigsRequest&);
Task<DescribeTopicPartitionsResponse> handle(Broker&, const RequestContext&, DescribeTopicPartitionsRequest&);
Task<DescribeLogDirsResponse> handle(Broker&, const RequestContext&, DescribeLogDirsRequest&);
Task<DescribeProducersResponse> handle(Broker&, const RequestContext&, DescribeProducersRequest&);
Task<FindCoordinatorResponse> handle(Broker&, const RequestContext&, FindCoordinatorRequest&);
Task<JoinGroupResponse> handle(Broker&, const RequestContext&, JoinGroupRequest&);
Task<SyncGroupResponse> handle(Broker&, const RequestContext&, SyncGroupRequest&);
Task<HeartbeatResponse> handle(Broker&, const RequestContext&, HeartbeatRequest&);
Task<LeaveGroupResponse> handle(Broker&, const RequestContext&, LeaveGroupRequest&);
Task<OffsetCommitResponse> handle(Broker&, const RequestContext&, OffsetCommitRequest&);
Task<OffsetFetchResponse> handle(Broker&, const RequestContext&, OffsetFetchRequest&);
Task<OffsetDeleteResponse> handle(Broker&, const RequestContext&, OffsetDeleteRequest&);
Task<DescribeGroupsResponse> handle(Broker&, const RequestContext&, DescribeGroupsRequest&);
Task<ListGroupsResponse> handle(Broker&, const RequestContext&, ListGroupsRequest&);
Task<DeleteGroupsResponse> handle(Broker&, const RequestContext&, DeleteGroupsRequest&);
Task<ConsumerGroupDescribeResponse> handle(Broker&, const RequestContext&, ConsumerGroupDescribeRequest&);

// True when `handle` exists for Api's request type.
template <typename Api>
constexpr bool kImplemented = requires(Broker& b, const RequestContext& c, typename Api::Request& r) {
  handle(b, c, r);
};

// The version range kafkalite advertises for an API: Kafka 4.1.1's, or
// nothing when kafkalite does not implement it.
struct VersionRange {
  int16_t min = 0;
  int16_t max = -1;
};
std::optional<VersionRange> advertised_versions(int16_t api_key);

}  // namespace kafkalite::broker::api
