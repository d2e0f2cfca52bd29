#include "tools/bench/workloads.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <thread>

#include <sys/prctl.h>

namespace kafkalite::bench {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
  if (message->err) static_cast<std::atomic<long>*>(opaque)->fetch_add(1);
}

void check(rd_kafka_error_t* error, const char* what) {
  if (error) {
    std::fprintf(stderr, "%s: %s\n", what, rd_kafka_error_string(error));
    std::exit(2);
  }
}

// Produces `count` records of `payload`, to partitions first, first+1, ...
void produce_records(rd_kafka_t* producer, const std::string& topic, const std::string& payload, long count,
                     int partitions, int first_partition, int per_transaction) {
  for (long i = 0; i < count; ++i) {
    if (per_transaction > 0 && i % per_transaction == 0) check(rd_kafka_begin_transaction(producer), "begin");
    const int partition = static_cast<int>((first_partition + i) % partitions);
    while (rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
                             RD_KAFKA_V_VALUE(const_cast<char*>(payload.data()), payload.size()),
                             RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      rd_kafka_poll(producer, 1);
    }
    rd_kafka_poll(producer, 0);
    if (per_transaction > 0 && ((i + 1) % per_transaction == 0 || i + 1 == count)) {
      check(rd_kafka_commit_transaction(producer, 60000), "commit");
    }
  }
  rd_kafka_flush(producer, 300000);
}

rd_kafka_resp_err_t count_request(rd_kafka_t*, int, const char*, int32_t, int16_t api_key, int16_t, int32_t, size_t,
                                  void* opaque) {
  auto* count = static_cast<RequestCount*>(opaque);
  if (api_key == 0) count->produce.fetch_add(1, std::memory_order_relaxed);
  if (api_key == 1) count->fetch.fetch_add(1, std::memory_order_relaxed);
  return RD_KAFKA_RESP_ERR_NO_ERROR;
}

rd_kafka_resp_err_t add_request_counter(rd_kafka_t* rk, const rd_kafka_conf_t*, void* opaque, char*, size_t) {
  return rd_kafka_interceptor_add_on_request_sent(rk, "kafkalite-bench-requests", count_request, opaque);
}

}  // namespace

rd_kafka_t* make_client(rd_kafka_type_t type, const std::string& bootstrap, Settings settings,
                        void (*on_delivery)(rd_kafka_t*, const rd_kafka_message_t*, void*), void* opaque,
                        RequestCount* requests) {
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  if (on_delivery) rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  if (on_delivery) rd_kafka_conf_set_opaque(conf, opaque);
  if (requests) rd_kafka_conf_interceptor_add_on_new(conf, "kafkalite-bench-requests", add_request_counter, requests);
  settings.insert(settings.begin(), {"bootstrap.servers", bootstrap});
  settings.push_back({"log_level", "3"});
  for (const auto& [k, v] : settings) {
    if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), error, sizeof error) != RD_KAFKA_CONF_OK) {
      std::fprintf(stderr, "config %s: %s\n", k.c_str(), error);
      std::exit(2);
    }
  }
  rd_kafka_t* rk = rd_kafka_new(type, conf, error, sizeof error);
  if (!rk) {
    std::fprintf(stderr, "rd_kafka_new: %s\n", error);
    std::exit(2);
  }
  return rk;
}

std::string random_payload(size_t size) {
  std::mt19937_64 random(size);
  std::string payload(size, '\0');
  for (auto& c : payload) c = static_cast<char>(random());
  return payload;
}

std::string ProduceShape::label() const {
  std::string s = std::to_string(record_size) + " B, acks=" + acks;
  if (per_transaction > 0) {
    s += ", transactions of " + std::to_string(per_transaction);
  } else if (idempotent) {
    s += ", idempotent";
  }
  s += ", " + std::to_string(partitions) + (partitions == 1 ? " partition, " : " partitions, ");
  s += std::to_string(producers) + (producers == 1 ? " producer" : " producers");
  return s;
}

namespace {

// The topic's partitions are known before the clock starts. librdkafka
// 2.0.2 asks for a new topic's metadata when it first sees the topic,
// unless its connection came up just before and asked for brokers only:
// then the records wait for its once-a-second scan of unknown topics.
// Against a broker that accepts a connection as fast as kafkalite does,
// that race was lost in 5 of 6 runs (debug log: "Request metadata for
// brokers only", then "Topic ... metadata information unknown" 1.0 s
// later), which added a second to a produce run, and to a latency run a
// second's records sent at once. The handle is held until the producer goes.
rd_kafka_topic_t* learn_partitions(rd_kafka_t* producer, const std::string& topic) {
  rd_kafka_topic_t* known = rd_kafka_topic_new(producer, topic.c_str(), nullptr);
  const rd_kafka_metadata_t* metadata = nullptr;
  if (rd_kafka_metadata(producer, 0, known, &metadata, 30000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    rd_kafka_metadata_destroy(metadata);
  }
  return known;
}

}  // namespace

ProduceResult produce(Broker& broker, const std::string& topic, const ProduceShape& shape) {
  broker.create_topic(topic, shape.partitions);
  std::atomic<long> failed{0};
  std::vector<rd_kafka_t*> producers;
  std::vector<rd_kafka_topic_t*> known;  // held until the producers go
  for (int p = 0; p < shape.producers; ++p) {
    Settings settings = {{"acks", shape.acks},
                         {"linger.ms", "5"},
                         {"enable.idempotence", shape.idempotent || shape.per_transaction > 0 ? "true" : "false"},
                         {"queue.buffering.max.messages", "1000000"}};
    if (shape.per_transaction > 0) settings.push_back({"transactional.id", topic + "-" + std::to_string(p)});
    producers.push_back(make_client(RD_KAFKA_PRODUCER, broker.bootstrap(), settings, on_delivery, &failed));
    if (shape.per_transaction > 0) check(rd_kafka_init_transactions(producers.back(), 60000), "init");
    known.push_back(learn_partitions(producers.back(), topic));
  }
  const std::string payload = random_payload(shape.record_size);
  const long each = shape.records / shape.producers;
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int p = 0; p < shape.producers; ++p) {
    threads.emplace_back([&, p] {
      produce_records(producers[p], topic, payload, each, shape.partitions, p, shape.per_transaction);
    });
  }
  for (auto& t : threads) t.join();
  const double elapsed = seconds_since(start);
  for (auto* handle : known) rd_kafka_topic_destroy(handle);
  for (auto* producer : producers) rd_kafka_destroy(producer);
  return {static_cast<double>(each * shape.producers) / elapsed, failed.load()};
}

double group_consume(const std::string& bootstrap, const std::string& topic, long records) {
  rd_kafka_t* consumer = make_client(RD_KAFKA_CONSUMER, bootstrap,
                                     {{"group.id", topic + "-group"},
                                      {"auto.offset.reset", "earliest"},
                                      {"enable.auto.commit", "true"},
                                      {"fetch.max.bytes", "52428800"}});
  rd_kafka_poll_set_consumer(consumer);
  rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, topic.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_subscribe(consumer, topics);
  rd_kafka_topic_partition_list_destroy(topics);
  // The clock starts at the first record: joining the group is not counted.
  auto start = Clock::now();
  long received = 0;
  while (received < records) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer, 30000);
    if (!m) break;
    if (!m->err && ++received == 1) start = Clock::now();
    rd_kafka_message_destroy(m);
  }
  const double elapsed = seconds_since(start);
  rd_kafka_consumer_close(consumer);
  rd_kafka_destroy(consumer);
  if (received < records) {
    std::fprintf(stderr, "%s: consumed only %ld of %ld\n", topic.c_str(), received, records);
    return 0;
  }
  return static_cast<double>(received) / elapsed;
}

Latency end_to_end_latency(Broker& broker, const std::string& topic, int rate, double seconds) {
  broker.create_topic(topic, 1);
  RequestCount consumer_requests, producer_requests;
  rd_kafka_t* consumer = make_client(RD_KAFKA_CONSUMER, broker.bootstrap(),
                                     {{"group.id", topic + "-group"}, {"enable.auto.commit", "false"},
                                      {"fetch.wait.max.ms", "100"}},
                                     nullptr, nullptr, &consumer_requests);
  rd_kafka_poll_set_consumer(consumer);
  rd_kafka_topic_partition_list_t* assignment = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(assignment, topic.c_str(), 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
  rd_kafka_assign(consumer, assignment);
  rd_kafka_topic_partition_list_destroy(assignment);

  const long warm_up = rate;  // one second
  const long measured = static_cast<long>(rate * seconds);
  const long total = warm_up + measured;
  std::vector<double> latencies_ms;
  latencies_ms.reserve(static_cast<size_t>(measured));
  std::atomic<bool> done{false};
  std::atomic<long> arrived{0};
  std::thread reader([&] {
    long seen = 0;
    while (seen < total && !done.load()) {
      rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer, 100);
      if (!m) continue;
      const auto received = Clock::now();
      if (!m->err && m->len >= sizeof(int64_t) * 2) {
        int64_t index, due_ns;
        std::memcpy(&index, m->payload, sizeof index);
        std::memcpy(&due_ns, static_cast<const char*>(m->payload) + sizeof index, sizeof due_ns);
        ++seen;
        if (index >= warm_up) {
          latencies_ms.push_back(
              std::chrono::duration<double, std::milli>(received.time_since_epoch()).count() - due_ns / 1e6);
          arrived.fetch_add(1);
        }
      }
      rd_kafka_message_destroy(m);
    }
  });

  rd_kafka_t* producer = make_client(RD_KAFKA_PRODUCER, broker.bootstrap(),
                                     {{"acks", "all"}, {"linger.ms", "0"}, {"queue.buffering.max.messages", "1000000"}},
                                     nullptr, nullptr, &producer_requests);
  rd_kafka_topic_t* known = learn_partitions(producer, topic);
  std::string payload = random_payload(100);
  // The producing thread sleeps until the next record is due and then sends
  // every record due by then; it does not spin: a spinning pacer takes one of
  // this machine's two cores from the clients' and the broker's threads, whose
  // waits for a core then show in the latencies. A record's latency counts
  // from when it was due, so a late wake-up is counted, not hidden. Timer
  // slack of 1 µs (the default is 50) keeps wake-ups near their due time;
  // it sleeps 50 µs at least, so at 100k/s it wakes for every few records,
  // not for each (each wake-up costs the clients' two cores a switch). The
  // slack is put back after the loop: threads inherit it from the thread that
  // starts them, and the clients of later runs are started from this one.
  const auto slack = static_cast<unsigned long>(prctl(PR_GET_TIMERSLACK, 0UL, 0UL, 0UL, 0UL));
  prctl(PR_SET_TIMERSLACK, 1000UL, 0UL, 0UL, 0UL);
  constexpr auto kLeastSleep = std::chrono::microseconds(50);
  const auto start = Clock::now();
  const auto interval = std::chrono::duration<double>(1.0 / rate);
  for (long i = 0; i < total; ++i) {
    const auto due = start + std::chrono::duration_cast<Clock::duration>(interval * static_cast<double>(i));
    if (const auto now = Clock::now(); now < due) {
      rd_kafka_poll(producer, 0);  // delivery reports
      std::this_thread::sleep_until(std::max<Clock::time_point>(due, now + kLeastSleep));
    }
    const int64_t due_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(due.time_since_epoch()).count();
    std::memcpy(payload.data(), &i, sizeof i);
    std::memcpy(payload.data() + sizeof i, &due_ns, sizeof due_ns);
    while (rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(0),
                             RD_KAFKA_V_VALUE(payload.data(), payload.size()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                             RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      rd_kafka_poll(producer, 1);
    }
  }
  prctl(PR_SET_TIMERSLACK, slack, 0UL, 0UL, 0UL);
  rd_kafka_flush(producer, 60000);
  const int64_t produce_requests = producer_requests.produce.load();
  // What has not arrived a few seconds after the last send is lost.
  const auto give_up = Clock::now() + std::chrono::seconds(10);
  while (arrived.load() < measured && Clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  done = true;
  reader.join();
  const int64_t fetch_requests = consumer_requests.fetch.load();
  rd_kafka_topic_destroy(known);
  rd_kafka_destroy(producer);
  rd_kafka_consumer_close(consumer);
  rd_kafka_destroy(consumer);

  Latency result;
  result.samples = static_cast<long>(latencies_ms.size());
  result.lost = measured - result.samples;
  if (produce_requests > 0) result.records_per_produce = static_cast<double>(total) / static_cast<double>(produce_requests);
  if (fetch_requests > 0) result.records_per_fetch = static_cast<double>(total) / static_cast<double>(fetch_requests);
  if (latencies_ms.empty()) return result;
  std::sort(latencies_ms.begin(), latencies_ms.end());
  auto at = [&](double q) {
    return latencies_ms[std::min(latencies_ms.size() - 1, static_cast<size_t>(q * static_cast<double>(latencies_ms.size())))];
  };
  result.p50_ms = at(0.50);
  result.p99_ms = at(0.99);
  result.p999_ms = at(0.999);
  return result;
}

}  // namespace kafkalite::bench
