// Runs every registered scenario against kafkalite and against the reference
// Kafka 4.1.1 and asserts the normalized transcripts are identical.
//
// Targets, chosen at run time:
//   kafkalite: in-process (a fresh EmbeddedBroker per scenario), or a running
//              one at KAFKALITE_TARGET=host:port.
//   Kafka:     KAFKALITE_REFERENCE=host:port, or the file named by
//              KAFKALITE_REFERENCE_FILE (written by tests/crosscheck/reference.sh:
//              "bootstrap=HOST:PORT" or "unavailable=REASON").
// KAFKALITE_CROSSCHECK_DUMP=DIR writes both normalized transcripts there.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>

#include "broker/embedded_broker.h"
#include "tests/crosscheck/scenario.h"

namespace kafkalite::crosscheck {
namespace {

// The reference runs with these too (tests/crosscheck/reference.sh).
std::map<std::string, std::string> reference_like_properties() {
  return {{"group.initial.rebalance.delay.ms", "0"}, {"num.partitions", "1"}};
}

json run_scenario(const Scenario& scenario, const std::string& bootstrap, const std::string& prefix,
                  int64_t base_time_ms) {
  Session session(bootstrap, prefix, base_time_ms);
  try {
    scenario.run(session);
  } catch (const std::exception& e) {
    session.note("scenario stopped", std::string("exception: ") + e.what());
  }
  return normalize(session.transcript());
}

void dump(const std::string& name, const std::string& side, const json& transcript) {
  if (const char* dir = std::getenv("KAFKALITE_CROSSCHECK_DUMP")) {
    std::ofstream(std::string(dir) + "/" + name + "." + side + ".json") << transcript.dump(2) << "\n";
  }
}

std::string differences(const json& kafka, const json& ours) {
  std::string text;
  int shown = 0;
  for (const json& op : json::diff(kafka, ours)) {
    if (++shown > 30) {
      text += "  ... (more; set KAFKALITE_CROSSCHECK_DUMP=DIR to see both transcripts)\n";
      break;
    }
    const json::json_pointer path(op["path"].get<std::string>());
    text += "  at " + op["path"].get<std::string>() + "\n";
    text += "    Kafka:     " + (kafka.contains(path) ? kafka.at(path).dump() : "(absent)") + "\n";
    text += "    kafkalite: " + (ours.contains(path) ? ours.at(path).dump() : "(absent)") + "\n";
  }
  return text;
}

class CrossCheck : public ::testing::TestWithParam<Scenario> {};

TEST_P(CrossCheck, SameTranscriptAsKafka) {
  const Scenario& scenario = GetParam();
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  // Resource names are unique per run: the reference broker is shared.
  const std::string prefix = scenario.name + "-" + std::to_string(now_ms % 100000000);
  const int64_t base_time_ms = now_ms - now_ms % 1000;

  std::unique_ptr<EmbeddedBroker> embedded;
  std::string target;
  if (const char* env = std::getenv("KAFKALITE_TARGET")) {
    target = env;
  } else {
    embedded = EmbeddedBroker::start({.data_dir = "", .properties = reference_like_properties()});
    target = embedded->bootstrap();
  }
  const json ours = run_scenario(scenario, target, prefix, base_time_ms);
  dump(scenario.name, "kafkalite", ours);

  const Reference ref = reference();
  if (ref.bootstrap.empty()) {
    GTEST_SKIP() << "NOT CROSS-CHECKED against Kafka 4.1.1 (" << ref.why_not
                 << "); kafkalite's side ran without a crash";
  }
  const json kafka = run_scenario(scenario, ref.bootstrap, prefix, base_time_ms);
  dump(scenario.name, "kafka", kafka);

  if (scenario.waits_for.empty()) {
    EXPECT_TRUE(kafka == ours) << "kafkalite differs from Kafka 4.1.1:\n" << differences(kafka, ours);
  } else if (kafka == ours) {
    ADD_FAILURE() << "expected to differ until " << scenario.waits_for
                  << ", but kafkalite now matches Kafka: remove the mark";
  } else {
    std::cout << "[ XFAIL    ] " << scenario.name << " differs, as expected until "
              << scenario.waits_for << ":\n"
              << differences(kafka, ours).substr(0, 2000);
  }
}

std::string test_name(const ::testing::TestParamInfo<Scenario>& info) {
  return info.param.name + (info.param.waits_for.empty() ? "" : "_XFAIL");
}

INSTANTIATE_TEST_SUITE_P(Scenarios, CrossCheck, ::testing::ValuesIn(scenarios()), test_name);

}  // namespace
}  // namespace kafkalite::crosscheck
