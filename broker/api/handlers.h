// Every API the broker implements is one `handle` overload, defined in its
// own file in this folder (produce.cpp, fetch.cpp, ...). The dispatcher and
// ApiVersions find them by overload resolution, so adding an API means adding
// one declaration here and one file.
#pragma once

#include "common/net/asio.h"

#include "broker/api/services.h"
#include "common/protocol/generated/visit_api.h"

namespace kafkalite::broker::api {

template <typename T>
using Task = boost::asio::awaitable<T>;
using namespace kafkalite::protocol;

Task<ApiVersionsResponse> handle(Services&, const RequestContext&, ApiVersionsRequest&);
Task<MetadataResponse> handle(Services&, const RequestContext&, MetadataRequest&);
Task<ProduceResponse> handle(Services&, const RequestContext&, ProduceRequest&);
Task<FetchResponse> handle(Services&, const RequestContext&, FetchRequest&);
Task<ListOffsetsResponse> handle(Services&, const RequestContext&, ListOffsetsRequest&);
Task<CreateTopicsResponse> handle(Services&, const RequestContext&, CreateTopicsRequest&);
Task<DeleteTopicsResponse> handle(Services&, const RequestContext&, DeleteTopicsRequest&);
Task<InitProducerIdResponse> handle(Services&, const RequestContext&, InitProducerIdRequest&);
Task<DescribeClusterResponse> handle(Services&, const RequestContext&, DescribeClusterRequest&);
Task<CreatePartitionsResponse> handle(Services&, const RequestContext&, CreatePartitionsRequest&);
Task<DeleteRecordsResponse> handle(Services&, const RequestContext&, DeleteRecordsRequest&);
Task<DescribeConfigsResponse> handle(Services&, const RequestContext&, DescribeConfigsRequest&);
Task<AlterConfigsResponse> handle(Services&, const RequestContext&, AlterConfigsRequest&);
Task<IncrementalAlterConfigsResponse> handle(Services&, const RequestContext&, IncrementalAlterConfigsRequest&);
Task<DescribeTopicPartitionsResponse> handle(Services&, const RequestContext&, DescribeTopicPartitionsRequest&);
Task<DescribeLogDirsResponse> handle(Services&, const RequestContext&, DescribeLogDirsRequest&);
Task<DescribeProducersResponse> handle(Services&, const RequestContext&, DescribeProducersRequest&);
Task<FindCoordinatorResponse> handle(Services&, const RequestContext&, FindCoordinatorRequest&);
Task<JoinGroupResponse> handle(Services&, const RequestContext&, JoinGroupRequest&);
Task<SyncGroupResponse> handle(Services&, const RequestContext&, SyncGroupRequest&);
Task<HeartbeatResponse> handle(Services&, const RequestContext&, HeartbeatRequest&);
Task<LeaveGroupResponse> handle(Services&, const RequestContext&, LeaveGroupRequest&);
Task<OffsetCommitResponse> handle(Services&, const RequestContext&, OffsetCommitRequest&);
Task<OffsetFetchResponse> handle(Services&, const RequestContext&, OffsetFetchRequest&);
Task<OffsetDeleteResponse> handle(Services&, const RequestContext&, OffsetDeleteRequest&);
Task<DescribeGroupsResponse> handle(Services&, const RequestContext&, DescribeGroupsRequest&);
Task<ListGroupsResponse> handle(Services&, const RequestContext&, ListGroupsRequest&);
Task<DeleteGroupsResponse> handle(Services&, const RequestContext&, DeleteGroupsRequest&);
Task<ConsumerGroupDescribeResponse> handle(Services&, const RequestContext&, ConsumerGroupDescribeRequest&);
Task<ConsumerGroupHeartbeatResponse> handle(Services&, const RequestContext&, ConsumerGroupHeartbeatRequest&);
Task<AddPartitionsToTxnResponse> handle(Services&, const RequestContext&, AddPartitionsToTxnRequest&);
Task<AddOffsetsToTxnResponse> handle(Services&, const RequestContext&, AddOffsetsToTxnRequest&);
Task<EndTxnResponse> handle(Services&, const RequestContext&, EndTxnRequest&);
Task<TxnOffsetCommitResponse> handle(Services&, const RequestContext&, TxnOffsetCommitRequest&);
Task<DescribeTransactionsResponse> handle(Services&, const RequestContext&, DescribeTransactionsRequest&);
Task<ListTransactionsResponse> handle(Services&, const RequestContext&, ListTransactionsRequest&);
Task<DescribeAclsResponse> handle(Services&, const RequestContext&, DescribeAclsRequest&);
Task<CreateAclsResponse> handle(Services&, const RequestContext&, CreateAclsRequest&);
Task<DeleteAclsResponse> handle(Services&, const RequestContext&, DeleteAclsRequest&);
Task<ElectLeadersResponse> handle(Services&, const RequestContext&, ElectLeadersRequest&);
Task<ListPartitionReassignmentsResponse> handle(Services&, const RequestContext&, ListPartitionReassignmentsRequest&);
Task<AlterPartitionReassignmentsResponse> handle(Services&, const RequestContext&, AlterPartitionReassignmentsRequest&);
Task<OffsetForLeaderEpochResponse> handle(Services&, const RequestContext&, OffsetForLeaderEpochRequest&);
Task<UpdateFeaturesResponse> handle(Services&, const RequestContext&, UpdateFeaturesRequest&);
Task<DescribeQuorumResponse> handle(Services&, const RequestContext&, DescribeQuorumRequest&);
Task<SaslHandshakeResponse> handle(Services&, const RequestContext&, SaslHandshakeRequest&);
Task<SaslAuthenticateResponse> handle(Services&, const RequestContext&, SaslAuthenticateRequest&);
Task<DescribeUserScramCredentialsResponse> handle(Services&, const RequestContext&, DescribeUserScramCredentialsRequest&);
Task<AlterUserScramCredentialsResponse> handle(Services&, const RequestContext&, AlterUserScramCredentialsRequest&);
Task<DescribeClientQuotasResponse> handle(Services&, const RequestContext&, DescribeClientQuotasRequest&);

// True when `handle` exists for Api's request type.
template <typename Api>
constexpr bool kImplemented = requires(Services& b, const RequestContext& c, typename Api::Request& r) {
  handle(b, c, r);
};

// The version range kafkalite advertises for an API: Kafka 4.1.1's, or
// nothing when kafkalite does not implement it.
struct VersionRange {
  int16_t min = 0;
  int16_t max = -1;
};
std::optional<VersionRange> advertised_versions(int16_t api_key);

// KIP-511's check of the client's software name and version (v3+).
bool api_versions_request_valid(const ApiVersionsRequest& request, int16_t version);

}  // namespace kafkalite::broker::api
