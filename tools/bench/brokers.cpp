#include "tools/bench/brokers.h"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace kafkalite::bench {

namespace {

}  // namespace

std::string make_temp_dir(const char* prefix) {
  const char* parent = std::getenv("TMPDIR");
  std::string pattern = std::string(parent && *parent ? parent : "/tmp") + "/" + prefix + "-XXXXXX";
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

namespace {

// A broker in its own process on a loopback port, with its data in `dir_`.
class ProcessBroker : public Broker {
 public:
  std::string bootstrap() const override { return "127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const override { return pid_; }
  void create_topic(const std::string& topic, int partitions) override {
    create_topic_by_admin(bootstrap(), topic, partitions);
  }

 protected:
  ProcessBroker(std::string dir, int port) : dir_(std::move(dir)), port_(port) {}

  std::string dir_;
  int port_;
  pid_t pid_ = 0;
};

class Kafkalite : public ProcessBroker {
 public:
  explicit Kafkalite(const std::string& binary) : ProcessBroker(make_temp_dir("kafkalite-bench"), free_port()) {
    pid_ = spawn_kafkalite(binary, dir_, port_);
    if (!wait_for_port(port_, 10000)) throw std::runtime_error("kafkalite serve did not start: see " + dir_ + ".log");
  }
  ~Kafkalite() override {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
    if (!std::getenv("KAFKALITE_BENCH_KEEP_LOG")) std::system(("rm -rf " + dir_ + " " + dir_ + ".log").c_str());
  }
  std::string name() const override { return "kafkalite"; }
};

class Kafka : public ProcessBroker {
 public:
  Kafka(const std::string& script, int port) : ProcessBroker(make_temp_dir("kafka-bench"), port), script_(script) {
    const std::string start = script_ + " start " + dir_ + " " + std::to_string(port_) + " >/dev/null";
    if (std::system(start.c_str()) != 0) throw std::runtime_error("Kafka did not start: see " + dir_ + "/kafka.log");
    std::ifstream pid_file(dir_ + "/kafka.pid");
    pid_file >> pid_;
  }
  ~Kafka() override { std::system((script_ + " stop " + dir_ + " >/dev/null; rm -rf " + dir_).c_str()); }
  std::string name() const override { return "Kafka 4.1.1"; }

 private:
  std::string script_;
};

class Mock : public Broker {
 public:
  Mock() {
    char error[256];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "log_level", "3", error, sizeof error);
    rk_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
    cluster_ = rd_kafka_mock_cluster_new(rk_, 1);
  }
  ~Mock() override {
    rd_kafka_mock_cluster_destroy(cluster_);
    rd_kafka_destroy(rk_);
  }
  std::string name() const override { return "librdkafka mock"; }
  std::string bootstrap() const override { return rd_kafka_mock_cluster_bootstraps(cluster_); }
  pid_t pid() const override { return 0; }
  void create_topic(const std::string& topic, int partitions) override {
    rd_kafka_mock_topic_create(cluster_, topic.c_str(), partitions, 1);
  }

 private:
  rd_kafka_t* rk_ = nullptr;
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
};

}  // namespace

std::unique_ptr<Broker> start_kafkalite(const std::string& binary) { return std::make_unique<Kafkalite>(binary); }
std::unique_ptr<Broker> start_kafka(const std::string& script, int port) {
  return std::make_unique<Kafka>(script, port);
}
std::unique_ptr<Broker> start_mock() { return std::make_unique<Mock>(); }

void create_topic_by_admin(const std::string& bootstrap, const std::string& topic, int partitions) {
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.c_str(), error, sizeof error);
  rd_kafka_conf_set(conf, "log_level", "3", error, sizeof error);
  rd_kafka_t* admin = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
  rd_kafka_NewTopic_t* spec = rd_kafka_NewTopic_new(topic.c_str(), partitions, 1, error, sizeof error);
  rd_kafka_queue_t* queue = rd_kafka_queue_new(admin);
  rd_kafka_AdminOptions_t* options = rd_kafka_AdminOptions_new(admin, RD_KAFKA_ADMIN_OP_CREATETOPICS);
  rd_kafka_AdminOptions_set_operation_timeout(options, 30000, error, sizeof error);
  rd_kafka_CreateTopics(admin, &spec, 1, options, queue);
  rd_kafka_event_t* event = rd_kafka_queue_poll(queue, 60000);
  std::string failure;
  if (!event) {
    failure = "no answer";
  } else if (rd_kafka_event_error(event)) {
    failure = rd_kafka_event_error_string(event);
  } else {
    size_t n = 0;
    const rd_kafka_topic_result_t** results = rd_kafka_CreateTopics_result_topics(
        rd_kafka_event_CreateTopics_result(event), &n);
    for (size_t i = 0; i < n; ++i) {
      if (rd_kafka_topic_result_error(results[i])) failure = rd_kafka_topic_result_error_string(results[i]);
    }
  }
  if (event) rd_kafka_event_destroy(event);
  rd_kafka_AdminOptions_destroy(options);
  rd_kafka_queue_destroy(queue);
  rd_kafka_NewTopic_destroy(spec);
  rd_kafka_destroy(admin);
  if (!failure.empty()) throw std::runtime_error("CreateTopics " + topic + " on " + bootstrap + ": " + failure);
}

pid_t spawn_kafkalite(const std::string& binary, const std::string& dir, int port) {
  const pid_t pid = fork();
  if (pid == 0) {
    const std::string log = dir + ".log";
    std::freopen(log.c_str(), "a", stdout);
    std::freopen(log.c_str(), "a", stderr);
    const std::string listeners = "listeners=PLAINTEXT://127.0.0.1:" + std::to_string(port);
    const std::string dirs = "log.dirs=" + dir;
    execl(binary.c_str(), binary.c_str(), "serve", "--override", listeners.c_str(), "--override", dirs.c_str(),
          nullptr);
    _exit(127);
  }
  return pid;
}

int free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

bool wait_for_port(int port, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  while (std::chrono::steady_clock::now() < deadline) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    const bool up = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    close(fd);
    if (up) return true;
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  return false;
}

}  // namespace kafkalite::bench
