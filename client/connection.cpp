#include "client/connection.h"

#include <poll.h>

namespace kafkalite::client {

namespace asio = boost::asio;

Connection::Connection(const std::string& bootstrap, std::string client_id)
    : socket_(io_), client_id_(std::move(client_id)) {
  const auto colon = bootstrap.rfind(':');
  asio::ip::tcp::resolver resolver(io_);
  asio::connect(socket_, resolver.resolve(bootstrap.substr(0, colon), bootstrap.substr(colon + 1)));
  socket_.set_option(asio::ip::tcp::no_delay(true));
}

void Connection::send_frame(const wire::Bytes& frame) { asio::write(socket_, asio::buffer(frame)); }

wire::Bytes Connection::receive_frame() {
  std::array<uint8_t, 4> prefix;
  boost::system::error_code ec;
  asio::read(socket_, asio::buffer(prefix), ec);
  if (ec) throw std::runtime_error("connection closed: " + ec.message());
  const int32_t size = protocol::read_frame_size(prefix);
  if (size < 0) throw std::runtime_error("negative response size");
  wire::Bytes frame(static_cast<size_t>(size));
  asio::read(socket_, asio::buffer(frame), ec);
  if (ec) throw std::runtime_error("connection closed mid-response: " + ec.message());
  return frame;
}

bool Connection::readable_within(std::chrono::milliseconds timeout) {
  pollfd pfd{socket_.native_handle(), POLLIN, 0};
  return ::poll(&pfd, 1, static_cast<int>(timeout.count())) > 0;
}

bool Connection::closed_by_peer(std::chrono::milliseconds timeout) {
  // Waits for EOF with a deadline: the broker closes, or the time runs out.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::array<uint8_t, 256> scratch;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd pfd{socket_.native_handle(), POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) continue;
    boost::system::error_code ec;
    socket_.read_some(asio::buffer(scratch), ec);
    if (ec) return true;  // EOF or reset: closed
  }
}

}  // namespace kafkalite::client
