#include "client/async_connection.h"

#include <openssl/ssl.h>

#include "client/sasl_login.h"
#include "common/protocol/generated/messages/sasl_authenticate.h"
#include "common/protocol/generated/messages/sasl_handshake.h"

namespace kafkalite::client {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;

AsyncConnection::~AsyncConnection() = default;

asio::awaitable<Error> AsyncConnection::connect() {
  const auto colon = address_.rfind(':');
  if (colon == std::string::npos) co_return Error(ErrorCode::InvalidRequest, "'" + address_ + "' has no port (host:port)");
  std::string host = address_.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  asio::ip::tcp::resolver resolver(socket_.get_executor());
  auto endpoints = co_await resolver.async_resolve(host, address_.substr(colon + 1),
                                                   asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return Error(ErrorCode::NetworkException, address_ + " (" + ec.message() + ")");
  co_await asio::async_connect(socket_, endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return Error(ErrorCode::NetworkException, address_ + " (" + ec.message() + ")");
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  if (security_.tls()) {
    if (Error e = co_await start_tls(host)) co_return e;
  }
  if (security_.sasl()) {
    if (Error e = co_await sasl_login()) co_return e;
  }
  co_return Error();
}

// Runs `io(stream, ec)` on the TLS stream once there is one, else on the socket.
template <typename Io>
asio::awaitable<boost::system::error_code> AsyncConnection::on_stream(Io io) {
  boost::system::error_code ec;
  if (tls_) {
    co_await io(*tls_, ec);
  } else {
    co_await io(socket_, ec);
  }
  co_return ec;
}

asio::awaitable<boost::system::error_code> AsyncConnection::write_all(asio::const_buffer bytes) {
  co_return co_await on_stream([bytes](auto& stream, boost::system::error_code& ec) {
    return asio::async_write(stream, bytes, asio::redirect_error(asio::use_awaitable, ec));
  });
}

asio::awaitable<boost::system::error_code> AsyncConnection::read_exact(asio::mutable_buffer bytes) {
  co_return co_await on_stream([bytes](auto& stream, boost::system::error_code& ec) {
    return asio::async_read(stream, bytes, asio::redirect_error(asio::use_awaitable, ec));
  });
}

// As Kafka's Java client: TLS 1.2 and 1.3, the broker's certificate checked
// against the trusted CAs and (with endpoint identification) its name.
asio::awaitable<Error> AsyncConnection::start_tls(const std::string& host) {
  auto refused = [&](const std::string& what) {
    return Error(ErrorCode::NetworkException, address_ + " (SSL handshake failed: " + what + ")");
  };
  try {
    tls_context_ = std::make_unique<ssl::context>(ssl::context::tls_client);
    tls_context_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                              ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    tls_context_->set_verify_mode(ssl::verify_peer);
    if (security_.trusted_certificates) {
      tls_context_->add_certificate_authority(asio::buffer(*security_.trusted_certificates));
    } else {
      tls_context_->set_default_verify_paths();
    }
    if (security_.private_key && security_.certificate_chain) {
      if (security_.key_password) {
        const std::string password = *security_.key_password;
        tls_context_->set_password_callback(
            [password](std::size_t, ssl::context::password_purpose) { return password; });
      }
      tls_context_->use_certificate_chain(asio::buffer(*security_.certificate_chain));
      tls_context_->use_private_key(asio::buffer(*security_.private_key), ssl::context::pem);
    }
  } catch (const boost::system::system_error& e) {
    co_return Error(ErrorCode::NetworkException, std::string("SSL settings refused: ") + e.what());
  }
  tls_ = std::make_unique<ssl::stream<asio::ip::tcp::socket&>>(socket_, *tls_context_);
  boost::system::error_code not_an_address;
  (void)asio::ip::make_address(host, not_an_address);
  if (not_an_address) SSL_set_tlsext_host_name(tls_->native_handle(), host.c_str());  // SNI, for names only
  if (security_.verify_hostname) tls_->set_verify_callback(ssl::host_name_verification(host));
  boost::system::error_code ec;
  co_await tls_->async_handshake(ssl::stream_base::client, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    tls_.reset();
    co_return refused(ec.message());
  }
  co_return Error();
}

// SaslHandshake v1, then the mechanism's tokens in SaslAuthenticate v2.
asio::awaitable<Error> AsyncConnection::sasl_login() {
  protocol::SaslHandshakeRequest handshake;
  handshake.mechanism = security_.mechanism;
  auto offered = co_await request<protocol::SaslHandshakeApi>(handshake, 1);
  if (!offered) co_return offered.error();
  if (offered->error_code != ErrorCode::None) {
    std::string enabled;
    for (const auto& m : offered->mechanisms) enabled += (enabled.empty() ? "" : ", ") + m;
    co_return Error(offered->error_code, "Client SASL mechanism '" + security_.mechanism +
                                             "' not enabled in the server, enabled mechanisms are [" + enabled + "]");
  }
  auto login = SaslLogin::create(security_.mechanism, security_.username, security_.password);
  if (!login) co_return Error(ErrorCode::UnsupportedSaslMechanism, "SASL mechanism " + security_.mechanism);
  std::string token = login->first();
  for (;;) {
    protocol::SaslAuthenticateRequest authenticate;
    authenticate.auth_bytes.assign(token.begin(), token.end());
    auto answer = co_await request<protocol::SaslAuthenticateApi>(authenticate, 2);
    if (!answer) co_return answer.error();
    if (answer->error_code != ErrorCode::None) {
      co_return Error(answer->error_code, answer->error_message.value_or(""));
    }
    auto step = login->next(std::string(answer->auth_bytes.begin(), answer->auth_bytes.end()));
    if (!step.error.empty()) co_return Error(ErrorCode::SaslAuthenticationFailed, step.error);
    if (!step.token) co_return Error();
    token = std::move(*step.token);
  }
}

}  // namespace kafkalite::client
