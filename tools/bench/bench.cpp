// kafkalite-bench: kafkalite against librdkafka's built-in mock cluster, in
// the same run, with librdkafka as the client on both sides. Reports ratios,
// not absolute targets.
//   1. in-process start to first acknowledged produce
//   2. produce throughput, acks=all, 100 B and 1 KiB records
//   3. consume throughput of what was produced
//   4. transactional produce (a commit every 1000 records) against plain
//      idempotent produce, both acks=all
//   5. idle RSS of `kafkalite serve` (when its path is given)
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <unistd.h>
#include <sys/wait.h>
#include <vector>

#include <spdlog/spdlog.h>

#include "broker/embedded_broker.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

rd_kafka_t* client(rd_kafka_type_t type, const std::string& bootstrap,
                   std::vector<std::pair<std::string, std::string>> settings) {
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
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

// A broker under test: where it is, and how to make a topic on it.
struct Target {
  std::string name;
  std::function<std::string()> start;  // returns bootstrap
  std::function<void(const std::string&)> create_topic;
  std::function<void()> stop;
};

Target kafkalite_target() {
  auto holder = std::make_shared<std::unique_ptr<kafkalite::EmbeddedBroker>>();
  return {"kafkalite",
          [holder] {
            *holder = kafkalite::EmbeddedBroker::start();
            return (*holder)->bootstrap();
          },
          [holder](const std::string& topic) { (*holder)->create_topic(topic, 1); },
          [holder] { holder->reset(); }};
}

Target mock_target() {
  struct Mock {
    rd_kafka_t* rk = nullptr;
    rd_kafka_mock_cluster_t* cluster = nullptr;
  };
  auto mock = std::make_shared<Mock>();
  return {"librdkafka mock",
          [mock] {
            char error[256];
            rd_kafka_conf_t* conf = rd_kafka_conf_new();
            rd_kafka_conf_set(conf, "log_level", "3", error, sizeof error);
            mock->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
            mock->cluster = rd_kafka_mock_cluster_new(mock->rk, 1);
            return std::string(rd_kafka_mock_cluster_bootstraps(mock->cluster));
          },
          [mock](const std::string& topic) {
            rd_kafka_mock_topic_create(mock->cluster, topic.c_str(), 1, 1);
          },
          [mock] {
            rd_kafka_mock_cluster_destroy(mock->cluster);
            rd_kafka_destroy(mock->rk);
          }};
}

double start_to_first_ack(Target target) {
  const auto start = Clock::now();
  const std::string bootstrap = target.start();
  target.create_topic("first");
  rd_kafka_t* producer = client(RD_KAFKA_PRODUCER, bootstrap, {{"acks", "all"}, {"linger.ms", "0"}});
  rd_kafka_producev(producer, RD_KAFKA_V_TOPIC("first"), RD_KAFKA_V_VALUE((void*)"x", 1),
                    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
  rd_kafka_flush(producer, 30000);
  const double elapsed = seconds_since(start);
  rd_kafka_destroy(producer);
  target.stop();
  return elapsed;
}

struct Throughput {
  double produce_records_per_s;
  double consume_records_per_s;
};

Throughput throughput(Target target, size_t record_size, int count) {
  const std::string bootstrap = target.start();
  target.create_topic("bench");
  rd_kafka_t* producer = client(RD_KAFKA_PRODUCER, bootstrap,
                                {{"acks", "all"}, {"linger.ms", "5"}, {"batch.size", "1000000"},
                                 {"queue.buffering.max.messages", "1000000"}});
  std::string payload(record_size, 'p');
  const auto produce_start = Clock::now();
  for (int i = 0; i < count; ++i) {
    while (rd_kafka_producev(producer, RD_KAFKA_V_TOPIC("bench"), RD_KAFKA_V_PARTITION(0),
                             RD_KAFKA_V_VALUE(payload.data(), payload.size()),
                             RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END) ==
           RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      rd_kafka_poll(producer, 1);
    }
    rd_kafka_poll(producer, 0);
  }
  rd_kafka_flush(producer, 120000);
  const double produce_s = seconds_since(produce_start);
  rd_kafka_destroy(producer);

  rd_kafka_t* consumer = client(RD_KAFKA_CONSUMER, bootstrap,
                                {{"group.id", "bench"}, {"enable.auto.commit", "false"},
                                 {"fetch.wait.max.ms", "10"}, {"fetch.max.bytes", "52428800"}});
  rd_kafka_topic_partition_list_t* assignment = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(assignment, "bench", 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
  rd_kafka_assign(consumer, assignment);
  rd_kafka_topic_partition_list_destroy(assignment);
  // The clock starts at the first record, so the consumer's own start-up
  // (connect, metadata, first fetch) is not counted.
  auto consume_start = Clock::now();
  int received = 0;
  while (received < count) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer, 10000);
    if (!m) break;
    if (!m->err && ++received == 1) consume_start = Clock::now();
    rd_kafka_message_destroy(m);
  }
  const double consume_s = seconds_since(consume_start);
  rd_kafka_consumer_close(consumer);
  rd_kafka_destroy(consumer);
  target.stop();
  if (received < count) std::fprintf(stderr, "%s: consumed only %d of %d\n", target.name.c_str(), received, count);
  return {count / produce_s, received / consume_s};
}

// Records per second into one partition, idempotent, acks=all; with
// `per_transaction` > 0 in transactions of that many records, each committed.
double idempotent_produce(Target target, size_t record_size, int count, int per_transaction) {
  const std::string bootstrap = target.start();
  target.create_topic("bench");
  std::vector<std::pair<std::string, std::string>> settings = {
      {"acks", "all"}, {"linger.ms", "5"}, {"enable.idempotence", "true"}, {"queue.buffering.max.messages", "1000000"}};
  if (per_transaction > 0) settings.push_back({"transactional.id", "bench-tx"});
  rd_kafka_t* producer = client(RD_KAFKA_PRODUCER, bootstrap, settings);
  auto check = [](rd_kafka_error_t* error) {
    if (error) {
      std::fprintf(stderr, "transaction: %s\n", rd_kafka_error_string(error));
      std::exit(2);
    }
  };
  if (per_transaction > 0) check(rd_kafka_init_transactions(producer, 30000));
  std::string payload(record_size, 'p');
  const auto start = Clock::now();
  for (int i = 0; i < count; ++i) {
    if (per_transaction > 0 && i % per_transaction == 0) check(rd_kafka_begin_transaction(producer));
    while (rd_kafka_producev(producer, RD_KAFKA_V_TOPIC("bench"), RD_KAFKA_V_PARTITION(0),
                             RD_KAFKA_V_VALUE(payload.data(), payload.size()),
                             RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END) ==
           RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      rd_kafka_poll(producer, 1);
    }
    rd_kafka_poll(producer, 0);
    if (per_transaction > 0 && (i + 1) % per_transaction == 0) check(rd_kafka_commit_transaction(producer, 30000));
  }
  rd_kafka_flush(producer, 120000);
  const double elapsed = seconds_since(start);
  rd_kafka_destroy(producer);
  target.stop();
  return count / elapsed;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

long serve_idle_rss_kib(const std::string& binary) {
  char dir[] = "/tmp/kafkalite-bench-XXXXXX";
  if (!mkdtemp(dir)) return -1;
  const pid_t pid = fork();
  if (pid == 0) {
    std::freopen("/dev/null", "w", stdout);
    execl(binary.c_str(), binary.c_str(), "serve", "--override", "listeners=PLAINTEXT://127.0.0.1:0",
          "--override", (std::string("log.dirs=") + dir).c_str(), nullptr);
    _exit(127);
  }
  // Idle: give it time to settle after start-up, then read its resident set.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  long rss = -1;
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) rss = std::stol(line.substr(6));
  }
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
  std::system((std::string("rm -rf ") + dir).c_str());
  return rss;
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = 5;
  spdlog::set_level(spdlog::level::warn);
  std::printf("kafkalite vs librdkafka mock cluster (same run, librdkafka %s client)\n\n",
              rd_kafka_version_str());
  std::vector<double> ours, mock;
  for (int i = 0; i < rounds; ++i) {
    ours.push_back(start_to_first_ack(kafkalite_target()));
    mock.push_back(start_to_first_ack(mock_target()));
  }
  std::printf("%-44s %12s %12s %8s\n", "", "kafkalite", "mock", "ratio");
  std::printf("%-44s %10.1fms %10.1fms %8.2f\n", "start to first acked produce (median of 5)",
              median(ours) * 1000, median(mock) * 1000, median(ours) / median(mock));
  // The mock cluster keeps only ~5 MB per partition, so each run stays under
  // that (else its consumer would find the start deleted); 3 runs, medians.
  for (auto shape : {std::pair<size_t, int>{100, 40000}, {1024, 4000}}) {
    const size_t size = shape.first;  // named: clang 14 cannot capture structured bindings
    const int count = shape.second;
    auto run = [&](const std::function<Target()>& make) {
      std::vector<double> produce, consume;
      for (int i = 0; i < 3; ++i) {
        auto t = throughput(make(), size, count);
        produce.push_back(t.produce_records_per_s);
        consume.push_back(t.consume_records_per_s);
      }
      return Throughput{median(produce), median(consume)};
    };
    auto a = run(kafkalite_target);
    auto b = run(mock_target);
    std::printf("%-44s %10.0f/s %10.0f/s %8.2f\n",
                ("produce acks=all, " + std::to_string(size) + " B records").c_str(),
                a.produce_records_per_s, b.produce_records_per_s,
                a.produce_records_per_s / b.produce_records_per_s);
    std::printf("%-44s %10.0f/s %10.0f/s %8.2f\n",
                ("consume, " + std::to_string(size) + " B records").c_str(), a.consume_records_per_s,
                b.consume_records_per_s, a.consume_records_per_s / b.consume_records_per_s);
  }
  {
    auto median_of_3 = [](const std::function<double()>& f) { return median({f(), f(), f()}); };
    for (int per_transaction : {0, 1000, 10000}) {
      const double a = median_of_3([&] { return idempotent_produce(kafkalite_target(), 100, 40000, per_transaction); });
      const double b = median_of_3([&] { return idempotent_produce(mock_target(), 100, 40000, per_transaction); });
      std::printf("%-44s %10.0f/s %10.0f/s %8.2f\n",
                  per_transaction ? ("produce 100 B, transactions of " + std::to_string(per_transaction)).c_str()
                                  : "produce 100 B, idempotent",
                  a, b, a / b);
    }
  }
  if (argc > 1) {
    std::printf("%-44s %10ld KiB\n", "idle RSS of kafkalite serve (RocksDB)", serve_idle_rss_kib(argv[1]));
  }
  return 0;
}
