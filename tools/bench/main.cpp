// kafkalite-bench: kafkalite standalone (RocksDB, durable as shipped), a
// real Kafka 4.1.1 and librdkafka's in-process mock cluster, measured in one
// run with librdkafka as the client every time. The figures of record are
// the ratios between brokers in the same run (the machine is shared and
// noisy); the raw numbers go to a JSON file.
//
//   1. start to first acknowledged produce (kafkalite in-process vs mock)
//      and each broker's idle RSS
//   2. produce: acks=all and acks=1; 100 B, 1 KiB, 16 KiB; idempotent and
//      not; 1 and 8 partitions; 1 and 4 producers; and in transactions
//   3. end-to-end latency p50/p99/p99.9 at 1k, 10k and 100k records/s, on
//      brokers not yet loaded
//   4. group consume of what was produced (1 partition, 100 B and 1 KiB)
//   5. each broker's CPU seconds per GB moved (2 and 4), bytes written for
//      the disk per byte produced, and peak RSS
//   6. kafkalite's restart after kill -9 with a large log
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <thread>

#include <unistd.h>

#include "broker/embedded_broker.h"
#include "tools/bench/brokers.h"
#include "tools/bench/process_stats.h"
#include "tools/bench/report.h"
#include "tools/bench/restart.h"
#include "tools/bench/workloads.h"

namespace kafkalite::bench {
namespace {

using Clock = std::chrono::steady_clock;

// In-process start to the first acknowledged produce.
double start_to_first_ack(const std::function<std::unique_ptr<Broker>()>& start) {
  const auto begin = Clock::now();
  auto broker = start();
  broker->create_topic("first", 1);
  rd_kafka_t* producer = make_client(RD_KAFKA_PRODUCER, broker->bootstrap(), {{"acks", "all"}, {"linger.ms", "0"}});
  rd_kafka_producev(producer, RD_KAFKA_V_TOPIC("first"), RD_KAFKA_V_VALUE((void*)"x", 1),
                    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
  rd_kafka_flush(producer, 30000);
  const double elapsed = std::chrono::duration<double, std::milli>(Clock::now() - begin).count();
  rd_kafka_destroy(producer);
  return elapsed;
}

class Embedded : public Broker {
 public:
  Embedded() : broker_(EmbeddedBroker::start()) {}
  std::string name() const override { return "kafkalite in-process"; }
  std::string bootstrap() const override { return broker_->bootstrap(); }
  pid_t pid() const override { return 0; }
  void create_topic(const std::string& topic, int partitions) override { broker_->create_topic(topic, partitions); }

 private:
  std::unique_ptr<EmbeddedBroker> broker_;
};

std::vector<ProduceShape> produce_shapes(bool quick, double scale) {
  std::vector<ProduceShape> shapes;
  const std::map<size_t, long> records = quick ? std::map<size_t, long>{{100, 100000}, {1024, 20000}, {16384, 2000}}
                                               : std::map<size_t, long>{{100, 1000000}, {1024, 200000}, {16384, 20000}};
  for (size_t size : {100, 1024, 16384}) {
    for (int partitions : {1, 8}) {
      for (int producers : {1, 4}) {
        for (auto [acks, idempotent] : {std::pair<const char*, bool>{"all", false}, {"1", false}, {"all", true}}) {
          ProduceShape s;
          s.acks = acks;
          s.idempotent = idempotent;
          s.record_size = size;
          s.partitions = partitions;
          s.producers = producers;
          s.records = static_cast<long>(static_cast<double>(records.at(size)) * scale);
          if (!quick || (partitions == 1 && producers == 1)) shapes.push_back(s);
        }
      }
    }
  }
  ProduceShape transactional;
  transactional.per_transaction = 1000;
  transactional.records = static_cast<long>((quick ? 100000 : 1000000) * scale);
  shapes.push_back(transactional);
  return shapes;
}

}  // namespace

int run(int argc, char** argv) {
  CLI::App app{"kafkalite-bench: kafkalite, Kafka 4.1.1 and librdkafka's mock cluster in one run"};
  std::string binary, script = "scripts/reference-kafka.sh", json_path = "kafkalite-bench.json";
  bool no_kafka = false, no_mock = false, quick = false;
  std::vector<std::string> sections = {"startup", "produce", "consume", "latency", "restart"};
  std::string shape_filter;
  double restart_gb = 10, scale = 1;
  int repeat = 3;
  app.add_option("kafkalite", binary, "the kafkalite binary (build/cli/kafkalite)")->required();
  app.add_option("--kafka-script", script, "scripts/reference-kafka.sh, to start Kafka 4.1.1");
  app.add_flag("--no-kafka", no_kafka, "leave Kafka 4.1.1 out");
  app.add_flag("--no-mock", no_mock, "leave librdkafka's mock out");
  app.add_option("--sections", sections, "which to run: startup produce consume latency restart")->delimiter(',');
  app.add_option("--shape", shape_filter, "only the produce shapes whose label holds this text");
  app.add_flag("--quick", quick, "a tenth of the records, fewer shapes, shorter latency runs");
  app.add_option("--restart-gb", restart_gb, "log size for the restart after kill -9 (0: skip)");
  app.add_option("--scale", scale, "multiplies the records of every produce (and so consume) run");
  app.add_option("--repeat", repeat, "runs of each produce shape, the brokers taking turns; the median is printed")
      ->check(CLI::PositiveNumber);
  app.add_option("--json", json_path, "where the raw numbers go");
  CLI11_PARSE(app, argc, argv);
  spdlog::set_level(spdlog::level::warn);

  Report report(json_path);
  std::printf("kafkalite-bench, librdkafka %s as the client%s\n\n", rd_kafka_version_str(), quick ? ", --quick" : "");
  std::fflush(stdout);  // before a broker's process is forked, which would print it again

  auto wanted = [&](const std::string& name) { return std::find(sections.begin(), sections.end(), name) != sections.end(); };
  if (wanted("consume") && !wanted("produce")) sections.push_back("produce");  // it reads what produce wrote
  if (wanted("startup")) {
    std::vector<double> ours, mock;
    for (int i = 0; i < 5; ++i) {
      ours.push_back(start_to_first_ack([] { return std::make_unique<Embedded>(); }));
      mock.push_back(start_to_first_ack(start_mock));
    }
    report.section("Start-up (in-process, median of 5)");
    report.row("start to first acknowledged produce, ms", {median(ours), std::nan(""), median(mock)}, true);
  }

  std::vector<std::unique_ptr<Broker>> brokers;
  brokers.push_back(start_kafkalite(binary));
  brokers.push_back(no_kafka ? nullptr : start_kafka(script, free_port()));
  brokers.push_back(no_mock ? nullptr : start_mock());
  // Before each measurement the machine settles: dirty pages are written
  // out and every broker is idle (its background work from the run before,
  // a JVM's compilers and collectors or RocksDB's compactions, would
  // otherwise land on the next broker's run on this 2-core machine).
  auto settle = [&] {
    sync();
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    auto busy = [&] {
      double total = 0;
      for (auto& b : brokers) total += b && b->pid() ? process_stats(b->pid()).cpu_seconds : 0;
      return total;
    };
    for (double last = busy(); Clock::now() < deadline;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
      const double now = busy();
      if (now - last < 0.025) break;  // under 10 % of a core
      last = now;
    }
  };
  // The other brokers' processes, run at the lowest priority while `b` is measured.
  auto others_of = [&](const Broker& b) {
    std::vector<pid_t> pids;
    for (auto& other : brokers) {
      if (other && other.get() != &b && other->pid()) pids.push_back(other->pid());
    }
    return pids;
  };
  auto each = [&](const std::function<double(Broker&)>& measure) {
    std::vector<double> values;
    for (auto& b : brokers) {
      settle();
      if (!b) {
        values.push_back(std::nan(""));
        continue;
      }
      Deprioritized quiet(others_of(*b));
      values.push_back(measure(*b));
    }
    return values;
  };
  auto rss_mb = [](Broker& b) { return b.pid() ? process_stats(b.pid()).rss_kib / 1024.0 : std::nan(""); };
  report.section("Memory");
  report.row("idle RSS after start, MB", each(rss_mb), true);
  // Latency first, on brokers that have not yet been loaded (and have no
  // compactions or page cache writeback in hand).
  if (wanted("latency")) {
    // A JVM answers its first requests from the interpreter: every broker
    // gets the same warm-up (produce, then records at 10k/s) first.
    for (auto& b : brokers) {
      if (!b) continue;
      ProduceShape warm;
      warm.records = quick ? 50000 : 500000;
      produce(*b, "warm-up", warm);
      end_to_end_latency(*b, "warm-up-latency", 10000, quick ? 1 : 5);
    }
    report.section("End-to-end latency, ms (100 B, acks=all, linger.ms=0)");
  }
  for (int rate : {1000, 10000, 100000}) {
    if (!wanted("latency")) break;
    const double seconds = quick ? 2 : (rate == 1000 ? 10 : 5);
    std::vector<Latency> latencies;
    for (auto& b : brokers) {
      settle();
      if (!b) {
        latencies.push_back(Latency{});
        continue;
      }
      Deprioritized quiet(others_of(*b));
      latencies.push_back(end_to_end_latency(*b, "latency-" + std::to_string(rate), rate, seconds));
    }
    const std::string at = " at " + std::to_string(rate / 1000) + "k/s";
    auto column = [&](double Latency::*field) {
      std::vector<double> v;
      for (size_t i = 0; i < brokers.size(); ++i) v.push_back(brokers[i] ? latencies[i].*field : std::nan(""));
      return v;
    };
    report.row("p50" + at, column(&Latency::p50_ms), true);
    report.row("p99" + at, column(&Latency::p99_ms), true);
    report.row("p99.9" + at, column(&Latency::p999_ms), true);
    report.figures("records per Produce request" + at, column(&Latency::records_per_produce));
    report.figures("records per Fetch request" + at, column(&Latency::records_per_fetch));
    for (size_t i = 0; i < brokers.size(); ++i) {
      if (brokers[i] && latencies[i].lost) {
        std::fprintf(stderr, "%s: %ld records lost at %d/s\n", brokers[i]->name().c_str(), latencies[i].lost, rate);
      }
    }
  }

  std::vector<ProcessStats> before;
  for (auto& b : brokers) before.push_back(b && b->pid() ? process_stats(b->pid()) : ProcessStats{});
  std::vector<double> bytes_moved(brokers.size(), 0);
  std::vector<double> produced_bytes(brokers.size(), 0);

  // Each shape runs `repeat` times, the brokers taking turns (kafkalite,
  // Kafka, mock, kafkalite, ...), each run to a topic of its own: a single
  // run of a short shape moves severalfold with the disk's writeback and
  // the neighbours on a shared machine, and a slow spell then lands on one
  // broker's runs of a shape instead of all of them.
  if (wanted("produce")) {
    report.section("Produce, records/s (linger.ms=5" +
                   (repeat > 1 ? ", median of " + std::to_string(repeat) + " runs taking turns" : std::string()) + ")");
  }
  int topic_index = 0;
  std::map<size_t, std::string> consume_topic;  // record size -> a 1-partition topic to consume
  std::map<size_t, long> consume_records;
  for (const auto& shape : produce_shapes(quick, scale)) {
    if (!wanted("produce") || shape.label().find(shape_filter) == std::string::npos) continue;
    std::vector<std::vector<double>> runs(brokers.size());
    std::string topic;
    for (int run = 0; run < repeat; ++run) {
      topic = "produce-" + std::to_string(++topic_index);
      size_t index = 0;
      const auto values = each([&](Broker& b) {
        const auto result = produce(b, topic, shape);
        const double bytes = static_cast<double>(shape.records) * static_cast<double>(shape.record_size);
        produced_bytes[index] += bytes;
        bytes_moved[index++] += bytes;
        if (result.failed) std::fprintf(stderr, "%s: %ld records failed (%s)\n", b.name().c_str(), result.failed, shape.label().c_str());
        return result.failed ? std::nan("") : result.records_per_s;
      });
      for (size_t i = 0; i < values.size(); ++i) runs[i].push_back(values[i]);
    }
    report.medians(shape.label(), runs);
    if (shape.acks == "all" && !shape.idempotent && shape.per_transaction == 0 && shape.partitions == 1 &&
        shape.producers == 1 && shape.record_size <= 1024) {
      consume_topic[shape.record_size] = topic;
      consume_records[shape.record_size] = shape.records;
    }
  }

  if (wanted("consume")) report.section("Group consume, records/s (the mock keeps too little to read back)");
  for (const auto& entry : consume_topic) {
    if (!wanted("consume")) break;
    // Named, not bound: clang 14 cannot capture structured bindings.
    const size_t size = entry.first;
    const std::string& topic = entry.second;
    const long records = consume_records[size];
    size_t index = 0;
    const auto values = each([&](Broker& b) {
      const bool mock = index == brokers.size() - 1;
      if (!mock) bytes_moved[index] += static_cast<double>(records) * static_cast<double>(size);
      ++index;
      return mock ? std::nan("") : group_consume(b.bootstrap(), topic, records);
    });
    report.row(std::to_string(size) + " B, " + std::to_string(records) + " records", values);
  }

  if (wanted("produce")) {
    report.section("Broker cost over produce and consume");
    size_t index = 0;
    // What the disk is asked to take for each byte produced: a log written
    // once is 1; a write-ahead log, memtable flushes and compactions add up.
    report.row("bytes written for the disk per byte produced", each([&](Broker& b) {
                 const size_t i = index++;
                 if (!b.pid() || produced_bytes[i] == 0) return std::nan("");
                 return (process_stats(b.pid()).disk_write_bytes - before[i].disk_write_bytes) / produced_bytes[i];
               }), true);
    index = 0;
    report.row("CPU seconds per GB moved", each([&](Broker& b) {
                 const size_t i = index++;
                 if (!b.pid() || bytes_moved[i] == 0) return std::nan("");
                 return (process_stats(b.pid()).cpu_seconds - before[i].cpu_seconds) / (bytes_moved[i] / 1e9);
               }), true);
  }

  report.section("Memory");
  report.row("peak RSS over the benchmark, MB",
             each([](Broker& b) { return b.pid() ? process_stats(b.pid()).peak_rss_kib / 1024.0 : std::nan(""); }), true);
  brokers.clear();

  if (restart_gb > 0 && wanted("restart")) {
    const Restart r = restart_after_kill(binary, restart_gb);
    report.section("kafkalite restart after kill -9 (" + std::to_string(r.log_gb).substr(0, 4) + " GB on disk, filled in " +
                   std::to_string(static_cast<int>(r.fill_s)) + " s)");
    report.single("exec to accepting connections, ms", r.accepting_ms);
    report.single("exec to first acknowledged produce, ms", r.first_ack_ms);
    report.single("acknowledged records lost", static_cast<double>(r.lost));
  }
  report.finish();
  return 0;
}

}  // namespace kafkalite::bench

int main(int argc, char** argv) { return kafkalite::bench::run(argc, argv); }
