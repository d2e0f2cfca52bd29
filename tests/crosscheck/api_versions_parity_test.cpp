// ApiVersions parity with the live Kafka 4.1.1: for every API kafkalite
// advertises, the same version range; nothing Kafka does not advertise. (That
// kafkalite advertises only what it implements is checked in
// tests/broker/api_versions_test.cpp.)
#include <cstdlib>
#include <gtest/gtest.h>

#include <map>

#include "broker/embedded_broker.h"
#include "client/connection.h"
#include "common/protocol/generated/api_table.h"
#include "common/protocol/generated/visit_api.h"
#include "tests/crosscheck/scenario.h"

namespace kafkalite::crosscheck {
namespace {

using namespace kafkalite::protocol;

std::map<int16_t, std::pair<int16_t, int16_t>> advertised(const std::string& bootstrap) {
  client::Connection c(bootstrap, "crosscheck");
  ApiVersionsRequest request;
  request.client_software_name = "crosscheck";
  request.client_software_version = "1";
  auto response = c.request<ApiVersionsApi>(request, 3);
  EXPECT_EQ(response.error_code, ErrorCode::None);
  std::map<int16_t, std::pair<int16_t, int16_t>> ranges;
  for (const auto& k : response.api_keys) ranges[k.api_key] = {k.min_version, k.max_version};
  return ranges;
}

std::string name_of(int16_t key) {
  const ApiInfo* info = find_api(key);
  return info ? std::string(info->name) : "key " + std::to_string(key);
}

TEST(ApiVersionsParity, SameRangesAsKafkaForEveryAdvertisedApi) {
  const Reference ref = reference();
  if (ref.bootstrap.empty()) {
    const char* allow = std::getenv("KAFKALITE_ALLOW_NO_REFERENCE");
    if (allow && std::string(allow) == "1") {
      GTEST_SKIP() << "NOT CROSS-CHECKED against Kafka 4.1.1 (" << ref.why_not << ")";
    }
    FAIL() << "no reference Kafka 4.1.1 to compare with (" << ref.why_not
           << "); set KAFKALITE_ALLOW_NO_REFERENCE=1 to run without one";
  }
  const std::string& reference = ref.bootstrap;
  auto broker = EmbeddedBroker::start();
  const auto ours = advertised(broker->bootstrap());
  const auto kafka = advertised(reference);
  ASSERT_FALSE(ours.empty());
  for (const auto& [key, range] : ours) {
    auto it = kafka.find(key);
    ASSERT_NE(it, kafka.end()) << "kafkalite advertises API " << key << ", Kafka 4.1.1 does not";
    EXPECT_EQ(range, it->second) << "API " << key << " (" << name_of(key) << ")";
  }
  std::string missing;
  for (const auto& [key, range] : kafka) {
    if (!ours.count(key)) missing += " " + name_of(key);
  }
  std::cout << "kafkalite advertises " << ours.size() << " of Kafka's " << kafka.size()
            << " APIs; not (yet) implemented:" << missing << "\n";
}

}  // namespace
}  // namespace kafkalite::crosscheck
