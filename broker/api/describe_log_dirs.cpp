// DescribeLogDirs (key 35), v1-4. One log dir: the broker's data directory
// (log.dirs), with each partition's stored size; offset lag is 0 on a single
// node. Total and usable bytes come from the file system holding it.
// ACLs: DESCRIBE on the cluster (else CLUSTER_AUTHORIZATION_FAILED, no dirs).
#include <sys/statvfs.h>

#include <filesystem>

#include "broker/api/access.h"
#include "broker/api/handlers.h"

namespace kafkalite::broker::api {

Task<DescribeLogDirsResponse> handle(Services& broker, const RequestContext& ctx, DescribeLogDirsRequest& request) {
  DescribeLogDirsResponse response;
  if (!Access(broker, ctx).allows_cluster(AclOperation::kDescribe)) {
    response.error_code = ErrorCode::ClusterAuthorizationFailed;
    co_return response;
  }
  DescribeLogDirsResponse::DescribeLogDirsResult dir;
  std::error_code ec;
  dir.log_dir = std::filesystem::absolute(broker.config().log_dir(), ec).string();
  // An in-memory broker has no directory yet: ask the nearest existing parent.
  std::filesystem::path probe = dir.log_dir;
  while (!std::filesystem::exists(probe, ec) && probe.has_parent_path() && probe != probe.parent_path()) {
    probe = probe.parent_path();
  }
  struct statvfs fs {};
  if (::statvfs(probe.c_str(), &fs) == 0) {
    dir.total_bytes = static_cast<int64_t>(fs.f_blocks) * static_cast<int64_t>(fs.f_frsize);
    dir.usable_bytes = static_cast<int64_t>(fs.f_bavail) * static_cast<int64_t>(fs.f_frsize);
  }
  auto describe = [&](const cluster::Topic& topic, const std::vector<int32_t>* only) {
    DescribeLogDirsResponse::DescribeLogDirsResult::DescribeLogDirsTopic out;
    out.name = TopicName(topic.name);
    for (const auto& partition : topic.partitions) {
      if (only && std::find(only->begin(), only->end(), partition->partition()) == only->end()) continue;
      out.partitions.push_back({partition->partition(), partition->size_bytes(), 0, false, {}});
    }
    if (!out.partitions.empty()) dir.topics.push_back(std::move(out));
  };
  if (!request.topics) {
    for (const auto& [name, topic] : broker.topics().all()) describe(*topic, nullptr);
  } else {
    for (const auto& wanted : *request.topics) {
      if (const auto* topic = broker.topics().find(wanted.topic)) describe(*topic, &wanted.partitions);
    }
  }
  response.results.push_back(std::move(dir));
  co_return response;
}

}  // namespace kafkalite::broker::api
