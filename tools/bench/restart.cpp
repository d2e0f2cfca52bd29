#include "tools/bench/restart.h"

#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

#include "tools/bench/brokers.h"
#include "tools/bench/workloads.h"

namespace kafkalite::bench {

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kPartitions = 8;
constexpr size_t kRecordSize = 16 * 1024;

void count_acks(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
  if (!message->err) static_cast<std::atomic<long>*>(opaque)->fetch_add(1);
}

double directory_gb(const std::string& dir) {
  uintmax_t bytes = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) bytes += entry.file_size();
  }
  return static_cast<double>(bytes) / 1e9;
}

}  // namespace

Restart restart_after_kill(const std::string& binary, double gigabytes) {
  Restart result;
  const std::string dir = make_temp_dir("kafkalite-restart");
  const int port = free_port();
  const std::string bootstrap = "127.0.0.1:" + std::to_string(port);
  pid_t pid = spawn_kafkalite(binary, dir, port);
  if (!wait_for_port(port, 10000)) {
    std::fprintf(stderr, "restart: kafkalite did not start\n");
    return result;
  }
  create_topic_by_admin(bootstrap, "restart", kPartitions);

  std::atomic<long> acked{0};
  rd_kafka_t* producer = make_client(RD_KAFKA_PRODUCER, bootstrap,
                                     {{"acks", "all"}, {"linger.ms", "5"}, {"queue.buffering.max.kbytes", "262144"}},
                                     count_acks, &acked);
  const long records = static_cast<long>(gigabytes * 1e9 / kRecordSize);
  const std::string payload = random_payload(kRecordSize);
  const auto fill_start = Clock::now();
  for (long i = 0; i < records; ++i) {
    while (rd_kafka_producev(producer, RD_KAFKA_V_TOPIC("restart"), RD_KAFKA_V_PARTITION(static_cast<int>(i % kPartitions)),
                             RD_KAFKA_V_VALUE(const_cast<char*>(payload.data()), payload.size()),
                             RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      rd_kafka_poll(producer, 1);
    }
    rd_kafka_poll(producer, 0);
  }
  rd_kafka_flush(producer, 600000);
  result.fill_s = std::chrono::duration<double>(Clock::now() - fill_start).count();
  rd_kafka_destroy(producer);
  // Killed right after the last acknowledgement, with nothing closed.
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  result.log_gb = directory_gb(dir);

  const auto exec = Clock::now();
  pid = spawn_kafkalite(binary, dir, port);
  if (wait_for_port(port, 120000)) {
    result.accepting_ms = std::chrono::duration<double, std::milli>(Clock::now() - exec).count();
    rd_kafka_t* probe = make_client(RD_KAFKA_PRODUCER, bootstrap, {{"acks", "all"}, {"linger.ms", "0"}});
    rd_kafka_producev(probe, RD_KAFKA_V_TOPIC("restart"), RD_KAFKA_V_PARTITION(0), RD_KAFKA_V_VALUE((void*)"x", 1),
                      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    rd_kafka_flush(probe, 60000);
    result.first_ack_ms = std::chrono::duration<double, std::milli>(Clock::now() - exec).count();
    long stored = 0;
    for (int p = 0; p < kPartitions; ++p) {
      int64_t low = 0, high = 0;
      if (rd_kafka_query_watermark_offsets(probe, "restart", p, &low, &high, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        stored += high - low;
      }
    }
    result.lost = std::max(0L, acked.load() - (stored - 1));  // the probe's record is one of them
    rd_kafka_destroy(probe);
  }
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
  if (!std::getenv("KAFKALITE_BENCH_KEEP_LOG")) std::system(("rm -rf " + dir + " " + dir + ".log").c_str());
  return result;
}

}  // namespace kafkalite::bench
