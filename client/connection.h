// kafkalite's own protocol client: one blocking connection that sends a
// typed request and returns the typed response. Used by the tests and tools;
// speaks exactly the generated codec, so it can send what real clients never
// would (bad versions, broken batches) to check the broker's answers.
#pragma once

#include "common/net/asio.h"
#include <optional>
#include <stdexcept>
#include <string>

#include "common/protocol/frame.h"

namespace kafkalite::client {

// No response within the connection's timeout.
struct Timeout : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Connection {
 public:
  // Connects to "host:port"; throws std::system_error on failure.
  explicit Connection(const std::string& bootstrap, std::string client_id = "kafkalite-client");

  // Sends a request and waits for its response. Throws std::runtime_error
  // when the connection closes or the response does not decode.
  template <typename Api>
  typename Api::Response request(const typename Api::Request& request, int16_t version) {
    send_frame(protocol::encode_request_frame<Api>(request, version, next_correlation_id_, client_id_));
    const int32_t correlation_id = next_correlation_id_++;
    if (timeout_ && !readable_within(*timeout_)) {
      throw Timeout(std::string(Api::name) + " got no response within " + std::to_string(timeout_->count()) + " ms");
    }
    const wire::Bytes frame = receive_frame();
    typename Api::Response response;
    protocol::ResponseHeader header;
    std::string error;
    if (!protocol::decode_response_frame<Api>(frame, version, header, response, error)) {
      throw std::runtime_error(std::string(Api::name) + " response does not decode: " + error);
    }
    if (header.correlation_id != correlation_id) {
      throw std::runtime_error("response correlation id " + std::to_string(header.correlation_id) +
                               " does not match " + std::to_string(correlation_id));
    }
    return response;
  }

  // Sends a request that expects no response (Produce with acks=0).
  template <typename Api>
  void send_only(const typename Api::Request& request, int16_t version) {
    send_frame(protocol::encode_request_frame<Api>(request, version, next_correlation_id_++, client_id_));
  }

  // Responses that do not arrive within `timeout` throw Timeout (the
  // connection is then unusable: its next response would be the late one).
  void set_timeout(std::optional<std::chrono::milliseconds> timeout) { timeout_ = timeout; }

  void send_frame(const wire::Bytes& frame);
  // The next response frame (without its size); throws when the connection closes.
  wire::Bytes receive_frame();
  // True when a response (or the close) arrives within `timeout`.
  bool readable_within(std::chrono::milliseconds timeout);
  // True when the broker has closed the connection (waits up to `timeout`).
  bool closed_by_peer(std::chrono::milliseconds timeout);

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  std::string client_id_;
  int32_t next_correlation_id_ = 1;
  std::optional<std::chrono::milliseconds> timeout_;
};

}  // namespace kafkalite::client
