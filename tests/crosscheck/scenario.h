// The cross-check suite's scenarios: written once, run against any broker
// (kafkalite in-process, a standalone kafkalite, or the reference Kafka
// 4.1.1), each run yielding a JSON transcript of every response. The suite
// masks what legitimately differs (ids, ports, clocks) and asserts that
// kafkalite's transcript is Kafka's.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "client/connection.h"
#include "common/protocol/generated/to_json.h"
#include "common/protocol/generated/visit_api.h"
#include "common/records/record_batch.h"

namespace kafkalite::crosscheck {

using namespace kafkalite::protocol;
using nlohmann::json;

// How a recorded response is reduced before comparison.
enum class Listing {
  kAsIs,
  // The answer lists everything on the broker (all topics, all groups): keep
  // only this scenario's own resources, as the reference broker is shared.
  kOwnOnly,
};

class Session {
 public:
  // `prefix` names every resource the scenario makes; `base_time_ms` is the
  // clock both runs of a scenario use for record timestamps.
  Session(std::string bootstrap, std::string prefix, int64_t base_time_ms);

  const std::string& bootstrap() const { return bootstrap_; }
  // "<prefix>-<suffix>": a topic or group name of this scenario.
  std::string name(const std::string& suffix) const { return prefix_ + "-" + suffix; }
  int64_t base_time_ms() const { return base_time_ms_; }

  // Sends a request on the session's connection and records the response
  // under `label` (Api::max_stable_version unless told).
  template <typename Api>
  typename Api::Response call(const std::string& label, const typename Api::Request& request,
                              int16_t version = Api::max_stable_version,
                              Listing listing = Listing::kAsIs) {
    auto response = connection().request<Api>(request, version);
    record(label, std::string(Api::name), version, to_json(response), listing);
    return response;
  }
  // Repeats a request (unrecorded) until `ready(response)`, then records the
  // answer: for what a just-started Kafka answers with a retriable error
  // (InitProducerId: COORDINATOR_LOAD_IN_PROGRESS) or shows a moment late
  // (a config change reaches the broker's metadata after the controller).
  template <typename Api, typename Ready>
  typename Api::Response call_when(const std::string& label, const typename Api::Request& request,
                                   Ready ready, int16_t version = Api::max_stable_version) {
    typename Api::Response response;
    poll([&] { return ready(response = quiet<Api>(request, version)); });  // recorded either way
    record(label, std::string(Api::name), version, to_json(response), Listing::kAsIs);
    return response;
  }
  // Calls `ready` every 20 ms until it returns true or `timeout` has passed;
  // returns whether it did. Polling a condition, not a sleep standing in for one.
  static bool poll(const std::function<bool()>& ready, std::chrono::seconds timeout = std::chrono::seconds(15));
  // Sends a request without recording it (set-up and polling).
  template <typename Api>
  typename Api::Response quiet(const typename Api::Request& request,
                               int16_t version = Api::max_stable_version) {
    return connection().request<Api>(request, version);
  }

  // Requests that block in the broker (JoinGroup waits for the rebalance)
  // go out on connection `n` (1, 2, ...) without waiting; receive<Api>
  // then waits for that connection's answer and records it.
  template <typename Api>
  void send(int n, const typename Api::Request& request, int16_t version = Api::max_stable_version) {
    client::Connection& c = connection(n);
    c.send_frame(protocol::encode_request_frame<Api>(request, version, 1000 + n, "crosscheck"));
    pending_version_[n] = version;
  }
  template <typename Api>
  typename Api::Response receive(int n, const std::string& label) {
    const int16_t version = pending_version_.at(n);
    const wire::Bytes frame = connection(n).receive_frame();
    typename Api::Response response;
    ResponseHeader header;
    std::string error;
    if (!protocol::decode_response_frame<Api>(frame, version, header, response, error)) {
      throw std::runtime_error(std::string(Api::name) + " response does not decode: " + error);
    }
    record(label, std::string(Api::name), version, to_json(response), Listing::kAsIs);
    return response;
  }
  client::Connection& connection(int n);

  // Sends raw bytes as one frame and records whether the broker answered or
  // closed the connection (and the answer's error code when it is the first
  // field after the header).
  void send_raw(const std::string& label, const wire::Bytes& frame);

  // Records something the scenario observed itself.
  void note(const std::string& label, json value);

  // The topic's id (unrecorded Metadata), zero when there is no such topic.
  wire::Uuid topic_id(const std::string& topic);
  // Polls Metadata (unrecorded) until `topic` has `partitions` partitions
  // with a leader: the reference broker's metadata cache trails CreateTopics.
  void await_topic(const std::string& topic, int32_t partitions = 1);
  // Polls Metadata (unrecorded) until `topic` is gone after a delete.
  void await_topic_gone(const std::string& topic);
  // Polls DescribeGroups (unrecorded) until the group is in `state`: the
  // broker handles connections concurrently, so a request sent on another
  // connection must be seen to have landed before the next step.
  void await_group_state(const std::string& group, const std::string& state);
  // Creates a topic (recorded) and waits for it.
  void create_topic(const std::string& topic, int32_t partitions = 1,
                    std::vector<std::pair<std::string, std::string>> configs = {});

  // A batch of records key_i/value_i at base_time_ms + i.
  wire::Bytes batch(int count, const std::string& value_prefix = "v",
                    records::Compression codec = records::Compression::kNone) const;

  client::Connection& connection();
  // A new connection to the broker's SASL_PLAINTEXT listener (secure
  // scenarios only), not yet authenticated.
  std::unique_ptr<client::Connection> sasl_connection() const;
  void set_sasl_bootstrap(std::string bootstrap) { sasl_bootstrap_ = std::move(bootstrap); }
  // Drops the connection; the next call opens a new one.
  void reconnect() { connection_.reset(); }

  // Stops the broker and starts it again on its data (restart scenarios
  // only; the suite provides how), then reconnects everything.
  void restart_broker();
  void set_restart(std::function<std::string()> restart) { restart_ = std::move(restart); }

  json& transcript() { return transcript_; }

 private:
  void await_metadata(const std::string& topic, const std::string& what,
                      const std::function<bool(const MetadataResponse::MetadataResponseTopic&)>& ready);
  void record(const std::string& label, const std::string& api, int16_t version, json response,
              Listing listing);

  std::string bootstrap_;
  std::string sasl_bootstrap_;
  std::string prefix_;
  int64_t base_time_ms_;
  std::unique_ptr<client::Connection> connection_;
  std::map<int, std::unique_ptr<client::Connection>> extra_connections_;
  std::map<int, int16_t> pending_version_;
  json transcript_ = json::array();
  std::function<std::string()> restart_;  // returns the new bootstrap
};

struct Scenario {
  std::string name;
  // Empty when kafkalite must match; otherwise the issue whose work it waits
  // for. Such a scenario still runs: it must differ (an expected failure),
  // and the suite says so when it starts to match.
  std::string waits_for;
  std::function<void(Session&)> run;
  // Restarts its broker: runs on brokers of its own, with data on disk.
  bool restarts = false;
  // Runs against brokers configured with tests/crosscheck/secure.properties.
  bool secure = false;
};

// For GoogleTest's messages.
inline void PrintTo(const Scenario& scenario, std::ostream* os) { *os << scenario.name; }

std::vector<Scenario>& scenarios();
struct RegisterScenario {
  RegisterScenario(std::string name, std::string waits_for, std::function<void(Session&)> run,
                   bool restarts = false, bool secure = false);
};

// Defines and registers a scenario: CROSSCHECK_SCENARIO(name, waits_for) { ...s... }
#define CROSSCHECK_SCENARIO(NAME, WAITS_FOR)                                              \
  static void crosscheck_##NAME(::kafkalite::crosscheck::Session& s);                    \
  static const ::kafkalite::crosscheck::RegisterScenario crosscheck_register_##NAME(     \
      #NAME, WAITS_FOR, crosscheck_##NAME);                                              \
  static void crosscheck_##NAME(::kafkalite::crosscheck::Session& s)

// A scenario that restarts its broker (Session::restart_broker).
#define CROSSCHECK_RESTART_SCENARIO(NAME)                                                 \
  static void crosscheck_##NAME(::kafkalite::crosscheck::Session& s);                    \
  static const ::kafkalite::crosscheck::RegisterScenario crosscheck_register_##NAME(     \
      #NAME, "", crosscheck_##NAME, true);                                               \
  static void crosscheck_##NAME(::kafkalite::crosscheck::Session& s)

// A scenario of the secured brokers (tests/crosscheck/secure.properties).
#define CROSSCHECK_SECURE_SCENARIO(NAME)                                                  \
  static void crosscheck_##NAME(::kafkalite::crosscheck::Session& s);                    \
  static const ::kafkalite::crosscheck::RegisterScenario crosscheck_register_##NAME(     \
      #NAME, "", crosscheck_##NAME, false, true);                                        \
  static void crosscheck_##NAME(::kafkalite::crosscheck::Session& s)

// The reference Kafka 4.1.1: KAFKALITE_REFERENCE=host:port, or the file named
// by KAFKALITE_REFERENCE_FILE (tests/crosscheck/reference.sh writes
// "bootstrap=HOST:PORT" or "unavailable=REASON" there).
struct Reference {
  std::string bootstrap;  // empty when there is none
  std::string why_not;
  std::string sasl_bootstrap;  // the secure reference's SASL_PLAINTEXT listener
};
Reference reference();
// The secured reference (reference.sh start-secure): KAFKALITE_SECURE_REFERENCE
// =host:port,host:sasl_port, or the file named by KAFKALITE_SECURE_REFERENCE_FILE,
// or secure/reference.txt beside KAFKALITE_REFERENCE_FILE.
Reference secure_reference();
// secure.properties, as key -> value.
std::map<std::string, std::string> secure_properties();

// Replaces what legitimately differs between two brokers: ids become "<Key#n>"
// (numbered by first appearance, so a scenario still checks that the same id
// comes back), hosts, ports and clocks become "<Key>".
json normalize(const json& transcript);

}  // namespace kafkalite::crosscheck
