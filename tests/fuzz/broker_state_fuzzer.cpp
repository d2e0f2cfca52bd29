// libFuzzer target, stateful: the input is a program of requests — produce
// (plain and idempotent, with retries and gaps), fetch, list offsets,
// create/delete topics, delete records, retention, commits, group joins and
// leaves, arbitrary request bodies, and SASL logins with arbitrary tokens —
// run against a fresh in-memory broker through its real request path
// (api::dispatch, and a connection's session on a SASL listener), no sockets.
// Invariants, checked after every step against a model of the log:
//   - an acknowledged append gets the next offsets, one per record;
//   - a retry of an acknowledged idempotent batch gets its original offsets;
//   - the high watermark is the model's log end; nothing acknowledged above
//     the log start disappears (fetched records are the ones appended);
//   - no crash, no sanitizer finding, no request left hanging.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "broker/api/connection_session.h"
#include "broker/api/dispatch.h"
#include "broker/broker.h"
#include "common/clock.h"
#include "common/protocol/frame.h"
#include "common/protocol/generated/visit_api.h"
#include "common/records/record_batch.h"

namespace {

using namespace kafkalite;
using namespace kafkalite::protocol;
namespace asio = boost::asio;

[[noreturn]] void violated(const char* what) {
  std::fprintf(stderr, "invariant violated: %s\n", what);
  std::abort();
}

// Reads the program.
class Program {
 public:
  explicit Program(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  bool done() const { return at_ >= bytes_.size(); }
  uint8_t byte() { return done() ? 0 : bytes_[at_++]; }
  std::span<const uint8_t> take(size_t n) {
    n = std::min(n, bytes_.size() - at_);
    auto out = bytes_.subspan(at_, n);
    at_ += n;
    return out;
  }

 private:
  std::span<const uint8_t> bytes_;
  size_t at_ = 0;
};

struct PartitionModel {
  int64_t log_start = 0;
  std::vector<std::string> values;  // by offset, from 0
  int64_t end() const { return static_cast<int64_t>(values.size()); }
};

struct ProducerModel {
  int64_t id = -1;
  int32_t next_sequence = 0;
  // Acknowledged batches: (first sequence, count) -> base offset.
  std::map<std::pair<int32_t, int32_t>, int64_t> acknowledged;
};

class Driver {
 public:
  Driver() {
    config::BrokerConfig config;
    config.set("group.initial.rebalance.delay.ms", "0");
    config.set("num.partitions", "2");
    // A SASL listener (never bound: sessions are driven directly).
    config.set("listeners", "PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0");
    config.set("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER");
    config.set("listener.name.sasl_plaintext.oauthbearer.sasl.jaas.config",
               "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required "
               "unsecuredValidatorRequiredScope=\"kafka\";");
    config.set("listener.name.sasl_plaintext.plain.sasl.jaas.config",
               "org.apache.kafka.common.security.plain.PlainLoginModule required user_u=\"p\";");
    for (const char* m : {"scram-sha-256", "scram-sha-512"}) {
      config.set(std::string("listener.name.sasl_plaintext.") + m + ".sasl.jaas.config",
                 "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    }
    config.set("connections.max.reauth.ms", "60000");
    config.set("connection.failed.authentication.delay.ms", "0");
    broker_ = std::make_unique<broker::Broker>(io_, config, storage::open_memory_store());
    // A SCRAM user "u" with password "p" for both mechanisms.
    AlterUserScramCredentialsRequest users;
    for (int8_t mechanism : {1, 2}) {
      AlterUserScramCredentialsRequest::ScramCredentialUpsertion u;
      u.name = "u";
      u.mechanism = mechanism;
      u.iterations = 4096;
      u.salt = {1, 2, 3, 4};
      u.salted_password.assign(mechanism == 1 ? 32 : 64, 7);
      users.upsertions.push_back(u);
    }
    call<AlterUserScramCredentialsApi>(users, 0);
  }
  ~Driver() {
    broker_->stop();
    run_pending();
  }

  void step(Program& p) {
    const uint8_t op = p.byte();
    const std::string topic = topics_[p.byte() % topics_.size()];
    const int32_t partition = p.byte() % 2;
    switch (op % 11) {
      case 0: produce(topic, partition, 1 + p.byte() % 4, std::nullopt); break;
      case 1: produce_idempotent(topic, partition, p.byte()); break;
      case 2: fetch(topic, partition, p.byte()); break;
      case 3: create(topic); break;
      case 4: delete_topic(topic); break;
      case 5: delete_records(topic, partition, p.byte()); break;
      case 6: broker_->enforce_retention(); break;
      case 7: commit(topic, partition, p.byte()); break;
      case 8: join_and_leave(p.byte()); break;
      case 9: sasl(p); break;
      default: raw(p); break;
    }
  }

 private:
  template <typename Api>
  std::optional<typename Api::Response> call(const typename Api::Request& request, int16_t version) {
    wire::Bytes frame = encode_request_frame<Api>(request, version, ++correlation_, "fuzz");
    frame.erase(frame.begin(), frame.begin() + 4);
    auto outcome = send(frame);
    if (!outcome || !outcome->response) return std::nullopt;
    typename Api::Response response;
    ResponseHeader header;
    std::string error;
    const wire::Bytes whole = outcome->response->flatten();
    const std::span<const uint8_t> body(whole.data() + 4, whole.size() - 4);
    if (!decode_response_frame<Api>(body, version, header, response, error)) violated("an answer does not decode");
    return response;
  }

  std::optional<broker::api::DispatchOutcome> send(const wire::Bytes& frame) {
    // A parked request (a join waiting for others) completes later, at
    // shutdown: its answer goes where the frame lives on.
    auto outcome = std::make_shared<std::optional<broker::api::DispatchOutcome>>();
    auto kept = std::make_shared<wire::Bytes>(frame);
    asio::co_spawn(io_, broker::api::dispatch(broker_->services(), *kept, {"PLAINTEXT", "127.0.0.1:1", "User:ANONYMOUS", "127.0.0.1"}),
                   [outcome, kept](std::exception_ptr e, broker::api::DispatchOutcome o) {
                     if (e) violated("an exception escaped dispatch");
                     *outcome = std::move(o);
                   });
    for (int i = 0; i < 1000 && !*outcome; ++i) {
      io_.restart();
      io_.poll();
    }
    return *outcome;
  }

  void run_pending() {
    for (int i = 0; i < 1000; ++i) {
      io_.restart();
      if (io_.poll() == 0) break;
    }
  }

  wire::Bytes batch(int count, int64_t producer_id, int32_t sequence, std::vector<std::string>* values) {
    records::BatchBuilder b;
    b.producer_id = producer_id;
    b.producer_epoch = producer_id >= 0 ? 0 : -1;
    b.base_sequence = producer_id >= 0 ? sequence : -1;
    for (int i = 0; i < count; ++i) {
      std::string v = "v" + std::to_string(++counter_);
      b.add(start_ms_ + counter_, std::nullopt, wire::Bytes(v.begin(), v.end()));
      values->push_back(std::move(v));
    }
    return b.build();
  }

  ProduceResponse::TopicProduceResponse::PartitionProduceResponse send_batch(const std::string& topic,
                                                                             int32_t partition, wire::Bytes data) {
    ProduceRequest r;
    r.acks = -1;
    r.timeout_ms = 1000;
    auto& t = r.topic_data.emplace_back();
    t.name = TopicName(topic);
    t.partition_data.push_back({partition, {std::move(data), {}}, {}});
    auto response = call<ProduceApi>(r, 9);
    if (!response) violated("a produce was not answered");
    return response->responses.at(0).partition_responses.at(0);
  }

  void acknowledged(const std::string& topic, int32_t partition, int64_t base, std::vector<std::string>& values) {
    PartitionModel& m = model_[key(topic, partition)];
    if (base != m.end()) violated("an acknowledged append did not get the next offset");
    for (auto& v : values) m.values.push_back(std::move(v));
  }

  void produce(const std::string& topic, int32_t partition, int count, std::optional<int64_t>) {
    std::vector<std::string> values;
    auto out = send_batch(topic, partition, batch(count, -1, -1, &values));
    if (out.error_code == ErrorCode::None) acknowledged(topic, partition, out.base_offset, values);
    else if (exists(topic)) violated("a valid produce to an existing topic was refused");
  }

  void produce_idempotent(const std::string& topic, int32_t partition, uint8_t how) {
    ProducerModel& producer = producers_[key(topic, partition)];
    if (producer.id < 0) {
      InitProducerIdRequest init;
      init.transactional_id = std::nullopt;
      init.transaction_timeout_ms = 60000;
      auto r = call<InitProducerIdApi>(init, 4);
      if (!r || r->error_code != ErrorCode::None) violated("InitProducerId failed");
      producer.id = r->producer_id.value();
    }
    const int count = 1 + how % 3;
    if (how & 0x80 && !producer.acknowledged.empty()) {
      // A retry of the newest acknowledged batch: its original offsets.
      const auto [key, base] = *producer.acknowledged.rbegin();
      std::vector<std::string> ignored;
      auto out = send_batch(topic, partition, batch(key.second, producer.id, key.first, &ignored));
      if (out.error_code == ErrorCode::None && out.base_offset != base) violated("a retry did not get its original offsets");
      return;
    }
    const int32_t sequence = producer.next_sequence + ((how & 0x40) ? 2 : 0);  // sometimes a gap
    std::vector<std::string> values;
    auto out = send_batch(topic, partition, batch(count, producer.id, sequence, &values));
    if (out.error_code == ErrorCode::None) {
      acknowledged(topic, partition, out.base_offset, values);
      producer.acknowledged[{sequence, count}] = out.base_offset;
      producer.next_sequence = sequence + count;
    }
  }

  void fetch(const std::string& topic, int32_t partition, uint8_t offset_byte) {
    PartitionModel& m = model_[key(topic, partition)];
    const int64_t offset = m.log_start + (m.end() > m.log_start ? offset_byte % (m.end() - m.log_start + 1) : 0);
    FetchRequest r;
    r.max_wait_ms = 0;
    r.min_bytes = 1;
    r.max_bytes = 1 << 20;
    r.session_epoch = -1;
    auto& t = r.topics.emplace_back();
    t.topic = TopicName(topic);
    auto& fp = t.partitions.emplace_back();
    fp.partition = partition;
    fp.fetch_offset = offset;
    fp.partition_max_bytes = 1 << 20;
    auto response = call<FetchApi>(r, 12);
    if (!response) violated("a fetch was not answered");
    const auto& out = response->responses.at(0).partitions.at(0);
    if (!exists(topic)) return;
    if (out.error_code != ErrorCode::None) violated("a fetch within the log failed");
    if (out.high_watermark != m.end()) violated("the high watermark is not the end of what was acknowledged");
    if (out.log_start_offset != m.log_start) violated("the log start moved by itself");
    records::RecordsError error;
    for (const auto& view : records::split_batches(*out.records.data, error)) {
      auto decoded = records::decode_records(view, error);
      if (!decoded) violated("a stored batch does not decode");
      for (const auto& record : *decoded) {
        const int64_t o = view.header.base_offset + record.offset_delta;
        if (o < offset) continue;
        const std::string value(record.value->begin(), record.value->end());
        if (o >= m.end() || m.values[static_cast<size_t>(o)] != value) violated("a fetched record is not the one acknowledged");
      }
    }
  }

  bool exists(const std::string& topic) { return broker_->services().topics().find(topic) != nullptr; }
  std::pair<wire::Uuid, int32_t> key(const std::string& topic, int32_t partition) {
    const cluster::Topic* t = broker_->services().topics().find(topic);
    return {t ? t->id : wire::Uuid{}, partition};
  }

  void create(const std::string& topic) {
    CreateTopicsRequest r;
    r.topics.push_back({TopicName(topic), 2, 1, {}, {}, {}});
    auto response = call<CreateTopicsApi>(r, 7);
    (void)response;
  }

  void delete_topic(const std::string& topic) {
    DeleteTopicsRequest r;
    r.topic_names = {TopicName(topic)};
    call<DeleteTopicsApi>(r, 5);
  }

  void delete_records(const std::string& topic, int32_t partition, uint8_t how) {
    PartitionModel& m = model_[key(topic, partition)];
    const int64_t target = m.log_start + how % (m.end() - m.log_start + 1);
    DeleteRecordsRequest r;
    r.topics.push_back({TopicName(topic), {{partition, target, {}}}, {}});
    r.timeout_ms = 1000;
    auto response = call<DeleteRecordsApi>(r, 2);
    if (response && response->topics.at(0).partitions.at(0).error_code == ErrorCode::None && exists(topic)) {
      m.log_start = std::max(m.log_start, target);
    }
  }

  void commit(const std::string& topic, int32_t partition, uint8_t offset) {
    OffsetCommitRequest r;
    r.group_id = GroupId("g" + std::to_string(offset % 3));
    r.generation_id_or_member_epoch = -1;
    auto& t = r.topics.emplace_back();
    t.name = TopicName(topic);
    t.partitions.push_back({partition, offset, -1, std::string("m"), {}});
    call<OffsetCommitApi>(r, 8);
  }

  void join_and_leave(uint8_t how) {
    JoinGroupRequest join;
    join.group_id = GroupId("j" + std::to_string(how % 2));
    join.session_timeout_ms = 10000;
    join.rebalance_timeout_ms = 10000;
    join.protocol_type = "consumer";
    join.protocols.push_back({"range", {0, 1}, {}});
    auto first = call<JoinGroupApi>(join, 9);
    if (!first || first->member_id.empty()) return;
    join.member_id = first->member_id;
    call<JoinGroupApi>(join, 9);
    if (how & 1) {
      LeaveGroupRequest leave;
      leave.group_id = join.group_id;
      leave.members.push_back({join.member_id, std::nullopt, std::nullopt, {}});
      call<LeaveGroupApi>(leave, 5);
    }
  }

  // Any body for any API and version the broker serves, but those that
  // change the log or the topics behind the model's back.
  // A login on the SASL listener: a handshake for a chosen mechanism, then
  // up to three tokens of the program's (in SaslAuthenticate requests after
  // a v1 handshake, bare after v0), then a request as the logged-in user,
  // until the session closes the connection. Nothing may throw.
  void sasl(Program& p) {
    broker::api::ConnectionSession session(broker_->services(), "SASL_PLAINTEXT", "127.0.0.1:2");
    static const char* kMechanisms[] = {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER", "GSSAPI"};
    SaslHandshakeRequest handshake;
    handshake.mechanism = kMechanisms[p.byte() % 5];
    const int16_t version = p.byte() % 2;
    if (!in_session(session, unframed(encode_request_frame<SaslHandshakeApi>(handshake, version, 1, "fuzz")))) return;
    for (int i = 0; i < 3 && !p.done(); ++i) {
      auto token = p.take(p.byte());
      wire::Bytes frame(token.begin(), token.end());
      if (version == 1) {
        SaslAuthenticateRequest request;
        request.auth_bytes = frame;
        frame = unframed(encode_request_frame<SaslAuthenticateApi>(request, p.byte() % 3, 2 + i, "fuzz"));
      }
      if (!in_session(session, frame)) return;
    }
    MetadataRequest metadata;
    in_session(session, unframed(encode_request_frame<MetadataApi>(metadata, 12, 9, "fuzz")));
  }

  static wire::Bytes unframed(wire::Bytes frame) {
    frame.erase(frame.begin(), frame.begin() + 4);
    return frame;
  }

  // Whether the session kept the connection open.
  bool in_session(broker::api::ConnectionSession& session, const wire::Bytes& frame) {
    auto outcome = std::make_shared<std::optional<broker::api::DispatchOutcome>>();
    auto kept = std::make_shared<wire::Bytes>(frame);
    asio::co_spawn(io_, session.handle(*kept),
                   [outcome, kept](std::exception_ptr e, broker::api::DispatchOutcome o) {
                     if (e) violated("an exception escaped a SASL session");
                     *outcome = std::move(o);
                   });
    for (int i = 0; i < 1000 && !*outcome; ++i) {
      io_.restart();
      io_.poll();
    }
    if (!*outcome) violated("a SASL step was left hanging");
    return !(*outcome)->close;
  }

  void raw(Program& p) {
    const int16_t api_key = static_cast<int16_t>(p.byte() % 70);
    static const std::set<int16_t> changes_the_log = {0, 3, 19, 20, 21, 33, 37, 44};
    if (changes_the_log.count(api_key)) return;
    const int16_t version = static_cast<int16_t>(p.byte() % 19);
    auto body = p.take(p.byte());
    visit_api(api_key, [&]<typename Api>() {
      if (version < Api::min_version || version > Api::max_version) return;
      wire::Writer w;
      RequestHeader header;
      header.request_api_key = api_key;
      header.request_api_version = version;
      header.correlation_id = ++correlation_;
      header.client_id = "fuzz";
      header.encode(w, Api::request_header_version(version));
      w.write_raw(body);
      send(w.take());
    });
  }

  asio::io_context io_;
  std::unique_ptr<broker::Broker> broker_;
  std::vector<std::string> topics_{"a", "b", "c"};
  // By topic id: a re-created topic starts a new model.
  std::map<std::pair<wire::Uuid, int32_t>, PartitionModel> model_;
  std::map<std::pair<wire::Uuid, int32_t>, ProducerModel> producers_;
  int32_t correlation_ = 0;
  int64_t counter_ = 0;
  const int64_t start_ms_ = now_ms();  // within retention.ms, so retention deletes nothing
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);  // the broker's log would drown the fuzzer's
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Program program({data, size});
  Driver driver;
  for (int steps = 0; steps < 64 && !program.done(); ++steps) driver.step(program);
  return 0;
}
