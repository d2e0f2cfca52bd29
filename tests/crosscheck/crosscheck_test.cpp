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

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>

#include "broker/embedded_broker.h"
#include "tests/crosscheck/scenario.h"

namespace kafkalite::crosscheck {
namespace {

// The reference runs with these too (tests/crosscheck/reference.sh).
std::map<std::string, std::string> reference_like_properties() {
  return {{"group.initial.rebalance.delay.ms", "0"},
          {"num.partitions", "1"},
          {"log.retention.check.interval.ms", "1000"},
          {"log.initial.task.delay.ms", "0"},
          {"transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000"}};
}

struct ScenarioRun {
  json transcript;
  std::string stopped;  // why the scenario could not run to its end, if it could not
};

ScenarioRun run_scenario(const Scenario& scenario, const std::string& bootstrap, const std::string& prefix,
                 int64_t base_time_ms, std::function<std::string()> restart = nullptr,
                 const std::string& sasl_bootstrap = "") {
  Session session(bootstrap, prefix, base_time_ms);
  session.set_restart(std::move(restart));
  session.set_sasl_bootstrap(sasl_bootstrap);
  ScenarioRun run;
  try {
    scenario.run(session);
  } catch (const std::exception& e) {
    run.stopped = e.what();
    session.note("scenario stopped", std::string("exception: ") + e.what());
  }
  run.transcript = normalize(session.transcript());
  return run;
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

// A restart scenario's kafkalite: in-process, its data in a directory of its
// own, restarted on that data.
class RestartableKafkalite {
 public:
  RestartableKafkalite()
      : dir_(std::filesystem::temp_directory_path() /
             ("kafkalite-crosscheck-restart-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(dir_);
    start();
  }
  ~RestartableKafkalite() {
    broker_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::string bootstrap() const { return broker_->bootstrap(); }
  std::string restart() {
    broker_.reset();
    start();
    return bootstrap();
  }

 private:
  void start() { broker_ = EmbeddedBroker::start({.data_dir = dir_.string(), .properties = reference_like_properties()}); }
  std::filesystem::path dir_;
  std::unique_ptr<EmbeddedBroker> broker_;
};

// A restart scenario's Kafka 4.1.1: a reference broker of its own (the shared
// one must not restart under the other scenarios), run by
// scripts/reference-kafka.sh with the same settings as the shared one.
class RestartableKafka {
 public:
  // Each restart scenario has ports of its own (ctest runs scenarios in parallel).
  explicit RestartableKafka(const std::string& scenario)
      : port_(port_of(scenario)),
        dir_(std::filesystem::temp_directory_path() / ("kafka-crosscheck-restart-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(dir_);
    start();
  }
  ~RestartableKafka() {
    script("stop");
    std::filesystem::remove_all(dir_);
  }
  std::string bootstrap() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string restart() {
    script("stop");
    start();
    return bootstrap();
  }

 private:
  // 28192 and up, two per restart scenario (the broker's and its controller's):
  // below Linux's ephemeral range (32768-60999), where another test's
  // outgoing connection could already hold the port.
  static int port_of(const std::string& scenario) {
    int index = 0;
    for (const auto& sc : scenarios()) {
      if (sc.name == scenario) break;
      index += sc.restarts ? 1 : 0;
    }
    return 28192 + 2 * index;
  }
  void start() {
    if (script("start") != 0) throw std::runtime_error("the restart scenarios' reference Kafka did not start");
  }
  int script(const std::string& command) const {
    std::string line = std::string(KAFKALITE_SOURCE_DIR) + "/scripts/reference-kafka.sh " + command + " " +
                       dir_.string();
    if (command == "start") {
      line += " " + std::to_string(port_) +
              " log.retention.check.interval.ms=1000 log.initial.task.delay.ms=0 transaction.abort.timed.out.transaction.cleanup.interval.ms=1000";
    }
    return std::system((line + " >/dev/null").c_str());
  }
  int port_;
  std::filesystem::path dir_;
};

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
  std::unique_ptr<RestartableKafkalite> restartable;
  std::string target;
  std::string sasl_target;
  std::function<std::string()> restart;
  if (scenario.secure) {
    auto properties = reference_like_properties();
    properties.merge(secure_properties());
    properties["listeners"] = "PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0";
    embedded = EmbeddedBroker::start({.data_dir = "", .properties = properties});
    target = embedded->bootstrap();
    sasl_target = embedded->bootstrap("SASL_PLAINTEXT");
  } else if (scenario.restarts) {
    restartable = std::make_unique<RestartableKafkalite>();
    target = restartable->bootstrap();
    restart = [&] { return restartable->restart(); };
  } else if (const char* env = std::getenv("KAFKALITE_TARGET")) {
    target = env;
  } else {
    embedded = EmbeddedBroker::start({.data_dir = "", .properties = reference_like_properties()});
    target = embedded->bootstrap();
  }
  const ScenarioRun our_run = run_scenario(scenario, target, prefix, base_time_ms, restart, sasl_target);
  const json& ours = our_run.transcript;
  dump(scenario.name, "kafkalite", ours);

  const Reference ref = scenario.secure ? secure_reference() : reference();
  if (ref.bootstrap.empty()) {
    // Never counted as passed: without a reference broker this fails, unless
    // the run says outright that it cannot have one.
    const char* allow = std::getenv("KAFKALITE_ALLOW_NO_REFERENCE");
    if (allow && std::string(allow) == "1") {
      GTEST_SKIP() << "NOT CROSS-CHECKED against Kafka 4.1.1 (" << ref.why_not << "); kafkalite's side ran";
    }
    FAIL() << "no reference Kafka 4.1.1 to compare with (" << ref.why_not
           << "); set KAFKALITE_ALLOW_NO_REFERENCE=1 to run kafkalite's side alone";
  }
  std::unique_ptr<RestartableKafka> kafka_of_its_own;
  std::string kafka_target = ref.bootstrap;
  std::function<std::string()> kafka_restart;
  if (scenario.restarts) {
    kafka_of_its_own = std::make_unique<RestartableKafka>(scenario.name);
    kafka_target = kafka_of_its_own->bootstrap();
    kafka_restart = [&] { return kafka_of_its_own->restart(); };
  }
  const ScenarioRun kafka_run =
      run_scenario(scenario, kafka_target, prefix, base_time_ms, kafka_restart, ref.sasl_bootstrap);
  const json& kafka = kafka_run.transcript;
  dump(scenario.name, "kafka", kafka);
  // A scenario that stops early on both brokers would hide every step after
  // the one that failed: that is a failure of the scenario, even if it
  // stopped at the same step on both.
  EXPECT_EQ(kafka_run.stopped, "") << "the scenario could not run to its end against Kafka 4.1.1";
  EXPECT_EQ(our_run.stopped, "") << "the scenario could not run to its end against kafkalite";

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
