// DescribeConfigs (key 32), v1-4, for topics and this broker. Values,
// sources and synonyms follow Kafka's rules: a topic override is
// TOPIC_CONFIG; else the first broker synonym set in the broker's config is
// STATIC_BROKER_CONFIG; else Kafka's default, DEFAULT_CONFIG — with Kafka's
// quirks (see broker_synonyms). Differs from Kafka: documentation is always
// null (kafkalite does not copy Kafka's prose), and a broker config's
// synonyms list only the config itself (Kafka also lists e.g. the hours form
// of log.retention.ms).
#include "broker/api/config_resources.h"
#include "broker/api/handlers.h"
#include "broker/cluster/topic_rules.h"
#include "broker/config/describe_order.h"

namespace kafkalite::broker::api {
namespace {

using Result = DescribeConfigsResponse::DescribeConfigsResult;
using Entry = Result::DescribeConfigsResourceResult;
using Synonym = Entry::DescribeConfigsSynonym;

bool wanted(const DescribeConfigsRequest::DescribeConfigsResource& r, const std::string& name) {
  // No keys, or an empty list: every config (Kafka's ConfigHelper).
  if (!r.configuration_keys || r.configuration_keys->empty()) return true;
  for (const auto& k : *r.configuration_keys) {
    if (k == name) return true;
  }
  return false;
}

std::vector<Synonym> as_synonyms(const std::vector<ConfigSynonym>& listed) {
  std::vector<Synonym> out;
  for (const auto& s : listed) out.push_back({s.name, s.value, static_cast<int8_t>(s.source), {}});
  return out;
}

void describe_topic(Services& broker, const DescribeConfigsRequest& request,
                    const DescribeConfigsRequest::DescribeConfigsResource& resource, Result& out) {
  if (!cluster::topic_name_problem(resource.resource_name).empty()) {
    out.error_code = ErrorCode::InvalidTopicException;
    out.error_message = cluster::topic_name_problem(resource.resource_name);
    return;
  }
  const cluster::Topic* topic = broker.topics().find(resource.resource_name);
  if (!topic) {
    out.error_code = ErrorCode::UnknownTopicOrPartition;
    return;  // Kafka leaves the message empty here
  }
  for (const auto& d : config::topic_config_definitions()) {
    if (!wanted(resource, d.name)) continue;
    Entry e;
    e.name = d.name;
    e.is_sensitive = d.sensitive;
    e.config_type = static_cast<int8_t>(d.type);
    e.documentation = std::nullopt;
    std::vector<Synonym> synonyms = as_synonyms(broker_synonyms(broker.config(), d.synonyms));
    auto override_it = topic->configs.find(d.name);
    if (override_it != topic->configs.end()) {
      e.value = override_it->second;
      e.config_source = static_cast<int8_t>(ConfigSource::kTopic);
      synonyms.insert(synonyms.begin(), {d.name, override_it->second,
                                         static_cast<int8_t>(ConfigSource::kTopic), {}});
    } else {
      ConfigSource source;
      e.value = inherited_topic_value(broker.config(), d, source);
      e.config_source = static_cast<int8_t>(source);
    }
    if (d.sensitive) e.value = std::nullopt;
    if (request.include_synonyms) e.synonyms = std::move(synonyms);
    out.configs.push_back(std::move(e));
  }
}

void describe_broker(Services& broker, const DescribeConfigsRequest& request,
                     const DescribeConfigsRequest::DescribeConfigsResource& resource, Result& out) {
  const std::string self = std::to_string(broker.node_id().value());
  const bool cluster_defaults = resource.resource_name.empty();
  if (!cluster_defaults &&
      resource.resource_name.find_first_not_of("0123456789") != std::string::npos) {
    out.error_code = ErrorCode::InvalidRequest;
    out.error_message = "Broker id must be an integer, but it is: " + resource.resource_name;
    return;
  }
  if (!cluster_defaults && resource.resource_name != self) {
    out.error_code = ErrorCode::InvalidRequest;
    out.error_message = "Unexpected broker id, expected " + self + " or empty string, but received " +
                        resource.resource_name;
    return;
  }
  for (const auto& d : config::broker_config_definitions()) {
    if (!wanted(resource, d.name)) continue;
    auto listed = broker_synonyms(broker.config(), config::broker_config_synonyms(d.name), d.name);
    // The empty name describes the cluster-wide dynamic defaults only.
    if (cluster_defaults) {
      std::erase_if(listed, [](const ConfigSynonym& s) { return s.source != ConfigSource::kDynamicDefaultBroker; });
      if (listed.empty()) continue;
    }
    Entry e;
    e.name = d.name;
    e.is_sensitive = d.sensitive;
    e.read_only = !d.dynamic;
    e.config_type = static_cast<int8_t>(d.type);
    e.documentation = std::nullopt;
    e.value = listed.empty() ? std::nullopt : listed.front().value;
    e.config_source = static_cast<int8_t>(listed.empty() ? ConfigSource::kDefault : listed.front().source);
    if (d.sensitive) e.value = std::nullopt;
    if (request.include_synonyms) e.synonyms = as_synonyms(listed);
    out.configs.push_back(std::move(e));
  }
}

// As Kafka's map of exactly the listed configs iterates them.
void in_kafkas_order(std::vector<Entry>& configs) {
  std::vector<std::string> names;
  for (const auto& e : configs) names.push_back(e.name);
  config::sort_as_describe_configs(names);
  std::map<std::string, size_t> rank;
  for (size_t i = 0; i < names.size(); ++i) rank[names[i]] = i;
  std::stable_sort(configs.begin(), configs.end(),
                   [&](const Entry& a, const Entry& b) { return rank[a.name] < rank[b.name]; });
}

}  // namespace

Task<DescribeConfigsResponse> handle(Services& broker, const RequestContext& ctx, DescribeConfigsRequest& request) {
  DescribeConfigsResponse response;
  const Access access(broker, ctx);
  std::vector<Result> refused;
  for (const auto& resource : request.resources) {
    Result out;
    out.resource_type = resource.resource_type;
    out.resource_name = resource.resource_name;
    if (auto error = config_refusal(access, AclOperation::kDescribeConfigs, resource.resource_type,
                                    resource.resource_name)) {
      out.error_code = *error;
      out.error_message = std::string(error_default_message(*error));
      refused.push_back(std::move(out));
      continue;
    }
    switch (static_cast<ConfigResourceType>(resource.resource_type)) {
      case ConfigResourceType::kTopic:
        describe_topic(broker, request, resource, out);
        break;
      case ConfigResourceType::kBroker:
        describe_broker(broker, request, resource, out);
        break;
      default:
        out.error_code = ErrorCode::InvalidRequest;
        out.error_message = "Unsupported resource type " + std::to_string(resource.resource_type);
    }
    in_kafkas_order(out.configs);
    response.results.push_back(std::move(out));
  }
  for (auto& out : refused) response.results.push_back(std::move(out));
  co_return response;
}

}  // namespace kafkalite::broker::api
