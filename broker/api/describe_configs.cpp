// DescribeConfigs (key 32), v1-4, for topics and this broker. Values,
// sources and synonyms follow Kafka's rules: a topic override is
// TOPIC_CONFIG; else the first broker synonym set in the broker's config is
// STATIC_BROKER_CONFIG; else Kafka's default, DEFAULT_CONFIG. Differs from
// Kafka: documentation is always null (kafkalite does not copy Kafka's
// prose), and broker config synonyms list only the config itself.
#include "broker/api/config_ops.h"
#include "broker/api/handlers.h"
#include "broker/api/topic_ops.h"

namespace kafkalite::broker::api {
namespace {

using Result = DescribeConfigsResponse::DescribeConfigsResult;
using Entry = Result::DescribeConfigsResourceResult;
using Synonym = Entry::DescribeConfigsSynonym;

bool wanted(const DescribeConfigsRequest::DescribeConfigsResource& r, const std::string& name) {
  if (!r.configuration_keys) return true;
  for (const auto& k : *r.configuration_keys) {
    if (k == name) return true;
  }
  return false;
}

// The broker-level synonyms of a topic config that have a value, in Kafka's order.
std::vector<Synonym> broker_synonyms(const config::BrokerConfig& broker,
                                     const config::ConfigDefinition& d) {
  std::vector<Synonym> out;
  for (const auto& name : d.synonyms) {
    if (auto value = broker.get(name)) {
      out.push_back({name, *value, static_cast<int8_t>(ConfigSource::kStaticBroker), {}});
    }
    const auto* broker_def = config::find_broker_config(name);
    if (broker_def && broker_def->default_value) {
      out.push_back({name, broker_def->default_value, static_cast<int8_t>(ConfigSource::kDefault), {}});
    }
  }
  return out;
}

void describe_topic(Broker& broker, const DescribeConfigsRequest& request,
                    const DescribeConfigsRequest::DescribeConfigsResource& resource, Result& out) {
  if (!topic_name_problem(resource.resource_name).empty()) {
    out.error_code = static_cast<int16_t>(ErrorCode::InvalidTopicException);
    out.error_message = topic_name_problem(resource.resource_name);
    return;
  }
  const cluster::Topic* topic = broker.topics().find(resource.resource_name);
  if (!topic) {
    out.error_code = static_cast<int16_t>(ErrorCode::UnknownTopicOrPartition);
    out.error_message = "The topic '" + resource.resource_name + "' does not exist.";
    return;
  }
  for (const auto& d : config::topic_config_definitions()) {
    if (!wanted(resource, d.name)) continue;
    Entry e;
    e.name = d.name;
    e.is_sensitive = d.sensitive;
    e.config_type = static_cast<int8_t>(d.type);
    std::vector<Synonym> synonyms = broker_synonyms(broker.config(), d);
    auto override_it = topic->configs.find(d.name);
    if (override_it != topic->configs.end()) {
      e.value = override_it->second;
      e.config_source = static_cast<int8_t>(ConfigSource::kTopic);
      synonyms.insert(synonyms.begin(), {d.name, override_it->second,
                                         static_cast<int8_t>(ConfigSource::kTopic), {}});
    } else {
      ConfigSource source;
      e.value = inherited_topic_value(broker.config(), d, source);
      e.config_source = static_cast<int8_t>(synonyms.empty() ? ConfigSource::kDefault
                                                             : static_cast<ConfigSource>(synonyms.front().source));
    }
    if (d.sensitive) e.value = std::nullopt;
    if (request.include_synonyms) e.synonyms = std::move(synonyms);
    out.configs.push_back(std::move(e));
  }
}

void describe_broker(Broker& broker, const DescribeConfigsRequest& request,
                     const DescribeConfigsRequest::DescribeConfigsResource& resource, Result& out) {
  const std::string self = std::to_string(broker.node_id());
  if (resource.resource_name.empty()) return;  // cluster-wide dynamic defaults: none are set
  if (resource.resource_name != self) {
    out.error_code = static_cast<int16_t>(ErrorCode::InvalidRequest);
    out.error_message = "Unexpected broker id, expected " + self + " or empty string, but received " +
                        resource.resource_name;
    return;
  }
  for (const auto& d : config::broker_config_definitions()) {
    if (!wanted(resource, d.name)) continue;
    Entry e;
    e.name = d.name;
    e.is_sensitive = d.sensitive;
    e.read_only = !d.dynamic;
    e.config_type = static_cast<int8_t>(d.type);
    std::vector<Synonym> synonyms;
    if (auto value = broker.config().get(d.name)) {
      e.value = *value;
      e.config_source = static_cast<int8_t>(ConfigSource::kStaticBroker);
      synonyms.push_back({d.name, *value, e.config_source, {}});
    } else {
      e.value = d.default_value;
      e.config_source = static_cast<int8_t>(ConfigSource::kDefault);
    }
    if (d.default_value) {
      synonyms.push_back({d.name, d.default_value, static_cast<int8_t>(ConfigSource::kDefault), {}});
    }
    if (d.sensitive) e.value = std::nullopt;
    if (request.include_synonyms) e.synonyms = std::move(synonyms);
    out.configs.push_back(std::move(e));
  }
}

}  // namespace

Task<DescribeConfigsResponse> handle(Broker& broker, const RequestContext&, DescribeConfigsRequest& request) {
  DescribeConfigsResponse response;
  for (const auto& resource : request.resources) {
    Result out;
    out.resource_type = resource.resource_type;
    out.resource_name = resource.resource_name;
    switch (static_cast<ResourceType>(resource.resource_type)) {
      case ResourceType::kTopic:
        describe_topic(broker, request, resource, out);
        break;
      case ResourceType::kBroker:
        describe_broker(broker, request, resource, out);
        break;
      default:
        out.error_code = static_cast<int16_t>(ErrorCode::InvalidRequest);
        out.error_message = "Unsupported resource type " + std::to_string(resource.resource_type);
    }
    response.results.push_back(std::move(out));
  }
  co_return response;
}

}  // namespace kafkalite::broker::api
