// The client's connection to one broker, on Asio coroutines: the async core
// under the blocking facade (Cluster::call runs it to completion), which a
// program already running an io_context (the console) can co_await directly.
// One request at a time per connection, as the blocking clients use it.
// Secured as its SecurityConfig says (client/security.h): TLS on OpenSSL
// (Boost.Asio's streams), then the SASL login over SaslHandshake and
// SaslAuthenticate, before the first request. A broker that ends the
// session (connections.max.reauth.ms) closes the connection; the cluster
// then makes a new one (no re-authentication in place).
#pragma once

#include "common/net/asio.h"
#include <boost/asio/ssl.hpp>
#include <array>
#include <memory>
#include <string>

#include "client/error.h"
#include "client/security.h"
#include "common/protocol/frame.h"

namespace kafkalite::client {

class AsyncConnection {
 public:
  AsyncConnection(boost::asio::io_context& io, std::string address, std::string client_id,
                  SecurityConfig security = {})
      : socket_(io), address_(std::move(address)), client_id_(std::move(client_id)), security_(std::move(security)) {}
  ~AsyncConnection();

  const std::string& address() const { return address_; }

  // Resolves host:port, connects, and secures the connection (TLS, the
  // SASL login) as configured; the error names the address and what failed.
  boost::asio::awaitable<Error> connect();

  template <typename Api>
  boost::asio::awaitable<Result<typename Api::Response>> request(const typename Api::Request& request,
                                                                 int16_t version) {
    namespace asio = boost::asio;
    const int32_t correlation_id = next_correlation_id_++;
    const wire::Bytes out = protocol::encode_request_frame<Api>(request, version, correlation_id, client_id_);
    boost::system::error_code ec = co_await write_all(asio::buffer(out));
    if (ec) co_return failed(Api::name, "sending", ec);
    std::array<uint8_t, 4> prefix;
    ec = co_await read_exact(asio::buffer(prefix));
    if (ec) co_return failed(Api::name, "reading the response", ec);
    const int32_t size = protocol::read_frame_size(prefix);
    if (size < 0) co_return Error(ErrorCode::CorruptMessage, std::string(Api::name) + " response with a negative size");
    wire::Bytes frame(static_cast<size_t>(size));
    ec = co_await read_exact(asio::buffer(frame));
    if (ec) co_return failed(Api::name, "reading the response", ec);
    typename Api::Response response;
    protocol::ResponseHeader header;
    std::string error;
    if (!protocol::decode_response_frame<Api>(frame, version, header, response, error)) {
      co_return Error(ErrorCode::CorruptMessage, std::string(Api::name) + " response does not decode: " + error);
    }
    if (header.correlation_id != correlation_id) {
      co_return Error(ErrorCode::CorruptMessage, "response correlation id " + std::to_string(header.correlation_id) +
                                                     " does not match " + std::to_string(correlation_id));
    }
    co_return response;
  }

  // A request that gets no response (Produce with acks=0).
  template <typename Api>
  boost::asio::awaitable<Error> send_only(const typename Api::Request& request, int16_t version) {
    namespace asio = boost::asio;
    const wire::Bytes out = protocol::encode_request_frame<Api>(request, version, next_correlation_id_++, client_id_);
    if (auto ec = co_await write_all(asio::buffer(out))) co_return failed(Api::name, "sending", ec);
    co_return Error();
  }

  // Aborts what is in flight (a timeout); the connection is then unusable.
  void cancel() {
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

 private:
  Error failed(std::string_view api, const char* doing, const boost::system::error_code& ec) const {
    return Error(ErrorCode::NetworkException,
                 std::string(api) + " to " + address_ + ": connection closed while " + doing + " (" + ec.message() + ")");
  }
  // On the TLS stream once there is one, else on the socket.
  template <typename Io>
  boost::asio::awaitable<boost::system::error_code> on_stream(Io io);
  boost::asio::awaitable<boost::system::error_code> write_all(boost::asio::const_buffer bytes);
  boost::asio::awaitable<boost::system::error_code> read_exact(boost::asio::mutable_buffer bytes);
  boost::asio::awaitable<Error> start_tls(const std::string& host);
  boost::asio::awaitable<Error> sasl_login();

  boost::asio::ip::tcp::socket socket_;
  std::string address_;
  std::string client_id_;
  SecurityConfig security_;
  std::unique_ptr<boost::asio::ssl::context> tls_context_;
  std::unique_ptr<boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>> tls_;
  int32_t next_correlation_id_ = 1;
};

}  // namespace kafkalite::client
