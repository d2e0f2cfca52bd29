#include "console/console.h"

#include <spdlog/spdlog.h>

#include <thread>

#include "console/api/api.h"

namespace kafkalite::console {

struct Console::Parts {
  explicit Parts(const ConsoleOptions& o)
      : kafka(o.client, o.local), workers(o.workers), server(io, workers, router, o.limits) {
    api::add_all_routes(router, kafka);
  }
  Kafka kafka;
  Router router;
  asio::io_context io;
  asio::thread_pool workers;
  Server server;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::thread thread;
};

bool parse_console_listener(const std::string& text, std::string& host, uint16_t& port, std::string& error) {
  std::string rest = text;
  if (auto scheme = rest.find("://"); scheme != std::string::npos) {
    if (rest.substr(0, scheme) != "http") {
      error = "the console speaks http only: " + text;
      return false;
    }
    rest = rest.substr(scheme + 3);
  }
  const auto colon = rest.rfind(':');
  if (colon == std::string::npos) {
    error = "expected HOST:PORT, got " + text;
    return false;
  }
  host = rest.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "0.0.0.0";  // ":8080", as Kafka reads listeners: every interface
  const std::string p = rest.substr(colon + 1);
  auto value = parse_int(p);
  if (!value || p.front() == '-' || *value > 65535) {
    error = "not a port number: " + p;
    return false;
  }
  port = static_cast<uint16_t>(*value);
  return true;
}

Console::Console(ConsoleOptions options) : options_(std::move(options)) {
  options_.client.client_id = "kafkalite-console";
  options_.client.request_timeout = std::chrono::milliseconds(10000);
  parts_ = std::make_unique<Parts>(options_);
}

Console::~Console() { stop(); }

void Console::start() {
  parts_->server.listen(options_.host, options_.port);
  parts_->work.emplace(parts_->io.get_executor());
  parts_->thread = std::thread([this] {
    try {
      parts_->io.run();
    } catch (const std::exception& e) {
      spdlog::error("Console stopped: {}", e.what());
    }
  });
  spdlog::info("Console on {} for {}", url(), options_.client.bootstrap_servers);
}

void Console::stop() {
  if (!parts_ || !parts_->thread.joinable()) return;
  asio::post(parts_->io, [this] { parts_->server.stop(); });
  parts_->work.reset();
  parts_->io.stop();
  parts_->thread.join();
  parts_->workers.stop();
  parts_->workers.join();
}

uint16_t Console::port() const { return parts_->server.port(); }

std::string Console::url() const {
  const std::string host = options_.host == "0.0.0.0" || options_.host.empty() ? "localhost" : options_.host;
  return "http://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port());
}

}  // namespace kafkalite::console
