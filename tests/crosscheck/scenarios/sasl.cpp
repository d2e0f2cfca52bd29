// SASL on a SASL_PLAINTEXT listener (secure.properties), every step done by
// hand on raw connections: the handshake, PLAIN and SCRAM logins and their
// failures, what a connection may send before it has logged in, the SCRAM
// credential APIs, and KIP-368's session lifetime and re-authentication.
#include <algorithm>
#include <set>
#include <thread>

#include "client/sasl_login.h"
#include "common/security/crypto.h"
#include "common/protocol/frame.h"
#include "tests/crosscheck/scenario.h"

namespace kafkalite::crosscheck {
namespace {

namespace crypto = security::crypto;
using std::chrono::seconds;

// What the broker did next on a connection: answered, closed it, or
// nothing within 10 s.
json next_on(client::Connection& c) {
  try {
    if (!c.readable_within(seconds(10))) return "nothing within 10 s";
    c.receive_frame();
    return "answered";
  } catch (const std::exception&) {
    return "closed";
  }
}

// Sends a request and records its response, or that the connection closed.
template <typename Api>
std::optional<typename Api::Response> ask(Session& s, client::Connection& c, const std::string& label,
                                          const typename Api::Request& request, int16_t version) {
  try {
    auto response = c.request<Api>(request, version);
    s.note(label, to_json(response));
    return response;
  } catch (const std::exception&) {
    s.note(label, "connection closed");
    return std::nullopt;
  }
}

// An ApiVersions request, recorded by its error and whether the SASL APIs
// are listed (the lists of all APIs differ: kafkalite has fewer).
void api_versions(Session& s, client::Connection& c, const std::string& label, bool named = true) {
  ApiVersionsRequest request;
  if (named) {
    request.client_software_name = "crosscheck";
    request.client_software_version = "1.0";
  }
  try {
    auto response = c.request<ApiVersionsApi>(request, 3);
    int sasl_apis = 0;
    for (const auto& api : response.api_keys) {
      if (api.api_key == static_cast<int16_t>(ApiKey::SaslHandshake) ||
          api.api_key == static_cast<int16_t>(ApiKey::SaslAuthenticate)) {
        ++sasl_apis;
      }
    }
    s.note(label, {{"ErrorCode", static_cast<int>(response.error_code)}, {"SASL APIs listed", sasl_apis}});
  } catch (const std::exception&) {
    s.note(label, "connection closed");
  }
}

MetadataRequest no_topics() {
  MetadataRequest request;
  request.topics.emplace();
  return request;
}

// Whether a connection still serves requests (a Metadata request answered).
void check_serves(Session& s, client::Connection& c, const std::string& label) {
  try {
    auto response = c.request<MetadataApi>(no_topics(), 12);
    s.note(label, response.brokers.size() == 1 ? "served" : "served, odd answer");
  } catch (const std::exception&) {
    s.note(label, "connection closed");
  }
}

std::optional<SaslHandshakeResponse> handshake(Session& s, client::Connection& c, const std::string& label,
                                               const std::string& mechanism, int16_t version = 1) {
  SaslHandshakeRequest request;
  request.mechanism = mechanism;
  auto response = ask<SaslHandshakeApi>(s, c, label, request, version);
  return response;
}

std::optional<SaslAuthenticateResponse> authenticate(Session& s, client::Connection& c, const std::string& label,
                                                     const std::string& token, int16_t version = 2) {
  SaslAuthenticateRequest request;
  request.auth_bytes.assign(token.begin(), token.end());
  return ask<SaslAuthenticateApi>(s, c, label, request, version);
}

std::string plain_token(const std::string& authzid, const std::string& user, const std::string& password) {
  return authzid + std::string(1, '\0') + user + std::string(1, '\0') + password;
}

// A PLAIN login on a new connection, recorded step by step.
std::unique_ptr<client::Connection> plain_login(Session& s, const std::string& label, const std::string& token) {
  auto c = s.sasl_connection();
  handshake(s, *c, label + ": handshake", "PLAIN");
  auto response = authenticate(s, *c, label + ": authenticate", token);
  if (response && response->error_code != ErrorCode::None) s.note(label + ": then", next_on(*c));
  return c;
}

std::string string_of(const wire::Bytes& b) { return std::string(b.begin(), b.end()); }

// What a SCRAM server-first message says, as a transcript can compare it
// (never its random bytes): its nonce extends the client's, the salt's
// length, the iterations.
json server_first_seen(const std::string& client_first, const std::string& server_first) {
  std::map<char, std::string> fields;
  size_t start = 0;
  while (start < server_first.size()) {
    const size_t comma = std::min(server_first.find(',', start), server_first.size());
    if (comma > start + 1) fields[server_first[start]] = server_first.substr(start + 2, comma - start - 2);
    start = comma + 1;
  }
  const std::string client_nonce = client_first.substr(client_first.find(",r=") + 3);
  const std::string& nonce = fields['r'];
  return {{"nonce extends the client's", nonce.rfind(client_nonce, 0) == 0 && nonce.size() > client_nonce.size()},
          {"salt bytes", crypto::base64_decode(fields['s']).value_or("").size()},
          {"iterations", std::atoi(fields['i'].c_str())}};
}

// A SCRAM login on `c`, recorded: what each answer says, never its random bytes.
bool scram_login(Session& s, client::Connection& c, const std::string& label, const std::string& mechanism,
                 const std::string& user, const std::string& password) {
  auto client = client::SaslLogin::create(mechanism, user, password);
  if (!handshake(s, c, label + ": handshake", mechanism)) return false;
  SaslAuthenticateRequest first;
  const std::string first_message = client->first();
  first.auth_bytes.assign(first_message.begin(), first_message.end());
  SaslAuthenticateResponse server_first;
  try {
    server_first = c.request<SaslAuthenticateApi>(first, 2);
  } catch (const std::exception&) {
    s.note(label + ": client-first", "connection closed");
    return false;
  }
  if (server_first.error_code != ErrorCode::None) {
    s.note(label + ": client-first", to_json(server_first));
    s.note(label + ": then", next_on(c));
    return false;
  }
  const json seen = server_first_seen(first_message, string_of(server_first.auth_bytes));
  const std::string final_message = client->next(string_of(server_first.auth_bytes)).token.value_or("");
  s.note(label + ": server-first",
         {{"ErrorCode", static_cast<int>(server_first.error_code)}, {"SessionLifetimeMs", server_first.session_lifetime_ms},
          {"message", seen}});
  SaslAuthenticateRequest final_request;
  final_request.auth_bytes.assign(final_message.begin(), final_message.end());
  SaslAuthenticateResponse server_final;
  try {
    server_final = c.request<SaslAuthenticateApi>(final_request, 2);
  } catch (const std::exception&) {
    s.note(label + ": client-final", "connection closed");
    return false;
  }
  s.note(label + ": server-final",
         {{"ErrorCode", static_cast<int>(server_final.error_code)},
          {"ErrorMessage", server_final.error_message ? json(*server_final.error_message) : json(nullptr)},
          {"SessionLifetimeMs", server_final.session_lifetime_ms},
          {"server signature verifies",
           server_final.error_code == ErrorCode::None &&
               client->next(string_of(server_final.auth_bytes)).error.empty()}});
  if (server_final.error_code != ErrorCode::None) s.note(label + ": then", next_on(c));
  return server_final.error_code == ErrorCode::None;
}

// An upsertion of `password` for `user`, salted by the client as Kafka's admin client does.
AlterUserScramCredentialsRequest::ScramCredentialUpsertion upsertion(const std::string& user, int8_t mechanism,
                                                                     const std::string& password,
                                                                     int32_t iterations = 4096) {
  AlterUserScramCredentialsRequest::ScramCredentialUpsertion u;
  u.name = user;
  u.mechanism = mechanism;
  u.iterations = iterations;
  const std::string salt = crypto::random_bytes(24);
  u.salt.assign(salt.begin(), salt.end());
  const std::string salted =
      crypto::pbkdf2(mechanism == 2 ? crypto::Hash::kSha512 : crypto::Hash::kSha256, password, salt, iterations);
  u.salted_password.assign(salted.begin(), salted.end());
  return u;
}

// DescribeUserScramCredentials, recorded with each user's credentials in
// mechanism order: Kafka lists them from a HashMap keyed by an enum, whose
// hash is the constant's identity hash, so its order changes from one run
// of the broker to the next.
void describe_credentials(Session& s, const std::string& label, const DescribeUserScramCredentialsRequest& request) {
  auto response = s.quiet<DescribeUserScramCredentialsApi>(request);
  for (auto& result : response.results) {
    std::sort(result.credential_infos.begin(), result.credential_infos.end(),
              [](const auto& a, const auto& b) { return a.mechanism < b.mechanism; });
  }
  s.note(label, to_json(response));
}

}  // namespace

CROSSCHECK_SECURE_SCENARIO(sasl_plain) {
  // Logins: right, wrong password, unknown user, and each malformed token.
  auto admin = plain_login(s, "admin", plain_token("", "admin", "admin-secret"));
  check_serves(s, *admin, "admin's connection");
  plain_login(s, "alice with her authzid", plain_token("alice", "alice", "alice-secret"));
  plain_login(s, "wrong password", plain_token("", "alice", "not-her-secret"));
  plain_login(s, "unknown user", plain_token("", "mallory", "alice-secret"));
  plain_login(s, "no NUL", "alice");
  plain_login(s, "three NULs", plain_token("", "alice", "a") + std::string(1, '\0') + "b");
  plain_login(s, "empty user", plain_token("", "", "x"));
  plain_login(s, "empty password", plain_token("", "alice", ""));
  plain_login(s, "another authzid", plain_token("admin", "alice", "alice-secret"));
  // After logging in, the SASL APIs are refused and the connection stays.
  handshake(s, *admin, "handshake again after login", "PLAIN");
  authenticate(s, *admin, "authenticate again after login", plain_token("", "admin", "admin-secret"));
  check_serves(s, *admin, "admin's connection after both");
  // An unknown mechanism: refused with the enabled ones listed, then closed.
  {
    auto c = s.sasl_connection();
    auto response = handshake(s, *c, "GSSAPI handshake", "GSSAPI");
    if (response) {
      std::set<std::string> offered(response->mechanisms.begin(), response->mechanisms.end());
      s.note("mechanisms offered", json(offered));
    }
    s.note("after the GSSAPI handshake", next_on(*c));
  }
  // Handshake v0: the PLAIN token goes as a bare frame, answered by an empty one.
  {
    auto c = s.sasl_connection();
    handshake(s, *c, "v0 handshake", "PLAIN", 0);
    const std::string token = plain_token("", "alice", "alice-secret");
    wire::Writer w;
    const size_t start = protocol::begin_frame(w);
    w.write_raw(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(token.data()), token.size()));
    protocol::finish_frame(w, start);
    c->send_frame(w.take());
    try {
      s.note("bare PLAIN token answered with bytes", c->receive_frame().size());
    } catch (const std::exception&) {
      s.note("bare PLAIN token answered with bytes", "connection closed");
    }
    check_serves(s, *c, "after the bare token");
  }
}

CROSSCHECK_SECURE_SCENARIO(sasl_before_login) {
  // Only ApiVersions (once) and SaslHandshake come before the login.
  {
    auto c = s.sasl_connection();
    ask<MetadataApi>(s, *c, "Metadata first", no_topics(), 12);
  }
  {
    auto c = s.sasl_connection();
    api_versions(s, *c, "ApiVersions without the client's name", false);
    api_versions(s, *c, "ApiVersions first");
    api_versions(s, *c, "ApiVersions again");
  }
  {
    auto c = s.sasl_connection();
    api_versions(s, *c, "ApiVersions");
    ask<MetadataApi>(s, *c, "Metadata after ApiVersions", no_topics(), 12);
  }
  {
    auto c = s.sasl_connection();
    handshake(s, *c, "handshake", "PLAIN");
    ask<MetadataApi>(s, *c, "Metadata in the middle of the exchange", no_topics(), 12);
  }
  {
    auto c = s.sasl_connection();
    handshake(s, *c, "handshake v2", "PLAIN", 2);
  }
  {
    // A SaslAuthenticate cut short: its body ends inside the token.
    auto c = s.sasl_connection();
    handshake(s, *c, "handshake before a truncated token", "PLAIN");
    SaslAuthenticateRequest login;
    const std::string token = plain_token("", "alice", "alice-secret");
    login.auth_bytes.assign(token.begin(), token.end());
    wire::Bytes frame = encode_request_frame<SaslAuthenticateApi>(login, 2, 5, "crosscheck");
    frame.resize(frame.size() - 12);
    const auto body = static_cast<uint32_t>(frame.size() - 4);
    for (int i = 0; i < 4; ++i) frame[static_cast<size_t>(i)] = static_cast<uint8_t>(body >> (24 - 8 * i));
    c->send_frame(frame);
    s.note("a truncated SaslAuthenticate", next_on(*c));
  }
  {
    // Bytes that are no Kafka request (a TLS client hello's first bytes).
    auto c = s.sasl_connection();
    c->send_frame(wire::Bytes{0x00, 0x00, 0x00, 0x05, 0x16, 0x03, 0x01, 0x02, 0x00});
    s.note("not a Kafka request", next_on(*c));
  }
  {
    // A frame larger than sasl.server.max.receive.size before the login.
    auto c = s.sasl_connection();
    c->send_frame(wire::Bytes{0x00, 0x10, 0x00, 0x00, 0x00, 0x11});
    s.note("a 1 MiB frame before the login", next_on(*c));
  }
  // The PLAINTEXT listener answers the SASL APIs with ILLEGAL_SASL_STATE.
  SaslHandshakeRequest plain_handshake;
  plain_handshake.mechanism = "PLAIN";
  s.call<SaslHandshakeApi>("handshake on PLAINTEXT", plain_handshake);
  SaslAuthenticateRequest plain_authenticate;
  s.call<SaslAuthenticateApi>("authenticate on PLAINTEXT", plain_authenticate);
}

CROSSCHECK_SECURE_SCENARIO(sasl_scram) {
  const std::string bob = s.name("bob");
  const std::string carol = s.name("carol");
  AlterUserScramCredentialsRequest create;
  create.upsertions = {upsertion(bob, 1, "bob-secret"), upsertion(carol, 2, "carol-secret", 8192)};
  s.call<AlterUserScramCredentialsApi>("create bob and carol", create);
  DescribeUserScramCredentialsRequest describe;
  describe.users.emplace();
  describe.users->push_back({bob, {}});
  describe.users->push_back({carol, {}});
  describe.users->push_back({s.name("nobody"), {}});
  describe_credentials(s, "describe", describe);
  describe.users->push_back({bob, {}});
  describe_credentials(s, "describe bob twice", describe);

  {
    auto c = s.sasl_connection();
    if (scram_login(s, *c, "bob SCRAM-SHA-256", "SCRAM-SHA-256", bob, "bob-secret")) {
      check_serves(s, *c, "bob's connection");
    }
  }
  {
    auto c = s.sasl_connection();
    if (scram_login(s, *c, "carol SCRAM-SHA-512", "SCRAM-SHA-512", carol, "carol-secret")) {
      check_serves(s, *c, "carol's connection");
    }
  }
  auto c1 = s.sasl_connection();
  scram_login(s, *c1, "bob, wrong password", "SCRAM-SHA-256", bob, "not-bobs");
  auto c2 = s.sasl_connection();
  scram_login(s, *c2, "bob with the other mechanism", "SCRAM-SHA-512", bob, "bob-secret");
  auto c3 = s.sasl_connection();
  scram_login(s, *c3, "unknown user", "SCRAM-SHA-256", s.name("nobody"), "x");

  // The credential API's checks.
  AlterUserScramCredentialsRequest checks;
  checks.upsertions = {upsertion(s.name("dup"), 1, "a"), upsertion(s.name("dup"), 2, "b"), upsertion("", 1, "c"),
                       upsertion(s.name("few"), 1, "d", 4095), upsertion(s.name("many"), 1, "e", 16385),
                       upsertion(s.name("mech"), 3, "f")};
  checks.deletions = {{s.name("gone"), 1, {}}};
  s.call<AlterUserScramCredentialsApi>("refused changes", checks);
  AlterUserScramCredentialsRequest change;
  change.deletions = {{carol, 2, {}}};
  change.upsertions = {upsertion(bob, 2, "bob-512")};
  s.call<AlterUserScramCredentialsApi>("delete carol, give bob SCRAM-SHA-512", change);
  describe_credentials(s, "describe after", describe);
  auto c4 = s.sasl_connection();
  scram_login(s, *c4, "bob's new SCRAM-SHA-512", "SCRAM-SHA-512", bob, "bob-512");
  auto c5 = s.sasl_connection();
  scram_login(s, *c5, "carol after deletion", "SCRAM-SHA-512", carol, "carol-secret");
  AlterUserScramCredentialsRequest cleanup;
  cleanup.deletions = {{bob, 1, {}}};
  s.call<AlterUserScramCredentialsApi>("delete bob's SCRAM-SHA-256", cleanup);
}

CROSSCHECK_SECURE_SCENARIO(sasl_reauthentication) {
  const std::string dave = s.name("dave");
  const std::string erin = s.name("erin");
  AlterUserScramCredentialsRequest create;
  create.upsertions = {upsertion(dave, 2, "dave-secret"), upsertion(erin, 2, "erin-secret")};
  s.call<AlterUserScramCredentialsApi>("create dave and erin", create);
  // SCRAM-SHA-512 sessions last an hour (secure.properties); PLAIN's do not end.
  auto c = s.sasl_connection();
  if (!scram_login(s, *c, "dave", "SCRAM-SHA-512", dave, "dave-secret")) return;
  // KIP-368: a handshake on a session that expires begins a re-authentication.
  scram_login(s, *c, "dave again", "SCRAM-SHA-512", dave, "dave-secret");
  check_serves(s, *c, "after re-authentication");
  // At most one a second: a handshake sooner is answered as any other.
  const auto reauthenticated = std::chrono::steady_clock::now();
  handshake(s, *c, "handshake at once", "SCRAM-SHA-512");
  check_serves(s, *c, "dave's connection");
  // The protocol's own interval, not a wait for the broker: a second after
  // the last re-authentication began, another may begin.
  std::this_thread::sleep_until(reauthenticated + std::chrono::milliseconds(1100));
  scram_login(s, *c, "as erin", "SCRAM-SHA-512", erin, "erin-secret");
  // A re-authentication with another mechanism fails at its first token.
  auto d = s.sasl_connection();
  scram_login(s, *d, "dave on a second connection", "SCRAM-SHA-512", dave, "dave-secret");
  handshake(s, *d, "re-authentication with PLAIN", "PLAIN");
  authenticate(s, *d, "PLAIN token", plain_token("", "alice", "alice-secret"));
  // PLAIN sessions do not expire here: no re-authentication.
  auto p = plain_login(s, "alice", plain_token("", "alice", "alice-secret"));
  handshake(s, *p, "alice's handshake later", "PLAIN");
  check_serves(s, *p, "alice's connection");
}

}  // namespace kafkalite::crosscheck
