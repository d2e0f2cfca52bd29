// SASL's parts one by one (the primitives, the JAAS parser, PLAIN and
// SCRAM servers, the listener configuration and its refusals, stored
// credentials) and a SASL_PLAINTEXT listener's bad input. The exchanges
// themselves are cross-checked against Kafka in tests/crosscheck.
#include <gtest/gtest.h>

#include <filesystem>

#include "common/security/crypto.h"
#include "common/security/jaas.h"
#include "broker/security/listener_security.h"
#include "broker/security/oauthbearer.h"
#include "broker/security/plain.h"
#include "broker/security/scram.h"
#include "broker/security/scram_credentials.h"
#include "broker/storage/kv_store.h"
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

using namespace security;

std::string failure_of(const std::variant<SaslStep, SaslFailure>& result) {
  return std::holds_alternative<SaslFailure>(result) ? std::get<SaslFailure>(result).message : "";
}

TEST(Crypto, Base64IsJavasStrictDecoder) {
  EXPECT_EQ(crypto::base64_encode("pencil"), "cGVuY2ls");
  EXPECT_EQ(crypto::base64_decode("cGVuY2ls"), "pencil");
  EXPECT_EQ(crypto::base64_decode("cGVuY2k="), "penci");
  EXPECT_EQ(crypto::base64_decode("cGVuYw=="), "penc");
  EXPECT_EQ(crypto::base64_decode(""), "");
  for (const char* bad : {"cGVuY2l", "cGVu Y2ls", "cG=uY2ls", "cGVuY2l*", "===="}) {
    EXPECT_EQ(crypto::base64_decode(bad), std::nullopt) << bad;
  }
}

// RFC 7677's example exchange: its client proof and server signature come
// out of the same derivation the broker's SCRAM server uses.
TEST(Crypto, Rfc7677ScramSha256Example) {
  const auto hash = crypto::Hash::kSha256;
  const std::string salt = *crypto::base64_decode("W22ZaJ0SNY7soEsUEjb6gQ==");
  const std::string salted = crypto::pbkdf2(hash, "pencil", salt, 4096);
  const ScramCredential credential = scram_credential(ScramMechanism::kSha256, salt, salted, 4096);
  const std::string auth_message =
      "n=user,r=rOprNGfwEbeRWgbNEkqO,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
      "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
  const std::string client_key = crypto::hmac(hash, salted, "Client Key");
  const std::string signature = crypto::hmac(hash, credential.stored_key, auth_message);
  std::string proof(client_key.size(), '\0');
  for (size_t i = 0; i < proof.size(); ++i) proof[i] = static_cast<char>(client_key[i] ^ signature[i]);
  EXPECT_EQ(crypto::base64_encode(proof), "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
  EXPECT_EQ(crypto::base64_encode(crypto::hmac(hash, credential.server_key, auth_message)),
            "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
}

std::string jaas_error(const std::string& text) {
  try {
    parse_jaas(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(Jaas, ParsesKafkasSyntax) {
  const auto modules = parse_jaas(
      "org.apache.kafka.common.security.plain.PlainLoginModule Required /* users */ username=\"admin\"\n"
      "  user_admin='admin\\\"secret' // the admin\n user_bob-2=\"p\\101w\";");
  ASSERT_EQ(modules.size(), 1u);
  EXPECT_EQ(modules[0].class_name, kPlainLoginModule);
  EXPECT_EQ(modules[0].flag, "REQUIRED");
  EXPECT_EQ(modules[0].options.at("username"), "admin");
  EXPECT_EQ(modules[0].options.at("user_admin"), "admin\"secret");
  EXPECT_EQ(modules[0].options.at("user_bob-2"), "pAw");
  EXPECT_EQ(parse_jaas("a.B optional; c.D sufficient x=y;").size(), 2u);
}

TEST(Jaas, RefusesWithKafkasMessages) {
  EXPECT_EQ(jaas_error(""), "Login module not specified in JAAS config");
  EXPECT_EQ(jaas_error("a.B"), "Login module control flag not specified in JAAS config");
  EXPECT_EQ(jaas_error("a.B maybe;"), "Invalid login module control flag 'maybe' in JAAS config");
  EXPECT_EQ(jaas_error("a.B required \"x\";").substr(0, 4), "Valu");
  EXPECT_EQ(jaas_error("a.B required password=123;"), "Value not specified for key 'password' in JAAS config");
  EXPECT_EQ(jaas_error("a.B required user_a=\"b\""), "JAAS config entry not terminated by semi-colon");
  EXPECT_EQ(jaas_error("a.B required user_a \"b\";"), "Value not specified for key 'user_a' in JAAS config");
}

TEST(Plain, ChecksAsKafkasPlainSaslServer) {
  const PlainUsers users = plain_users({{"username", "admin"}, {"password", "x"}, {"user_alice", "s3cret"}});
  ASSERT_EQ(users.size(), 1u);  // username/password are the broker's own login, not a user
  auto login = [&](const std::string& token) { return make_plain_server(users)->evaluate(token); };
  auto server = make_plain_server(users);
  auto ok = server->evaluate(std::string("\0alice\0s3cret", 13));
  ASSERT_TRUE(std::holds_alternative<SaslStep>(ok));
  EXPECT_TRUE(std::get<SaslStep>(ok).complete);
  EXPECT_EQ(server->authorization_id(), "alice");
  EXPECT_EQ(failure_of(login(std::string("alice\0alice\0s3cret", 18))), "");
  EXPECT_EQ(failure_of(login(std::string("\0alice\0wrong", 12))), "Authentication failed: Invalid username or password");
  EXPECT_EQ(failure_of(login(std::string("\0admin\0x", 8))), "Authentication failed: Invalid username or password");
  EXPECT_EQ(failure_of(login("alice")), "Invalid SASL/PLAIN response: expected 3 tokens, got 1");
  EXPECT_EQ(failure_of(login(std::string("\0a\0b\0c\0d", 8))), "Invalid SASL/PLAIN response: expected 3 tokens, got 4");
  EXPECT_EQ(failure_of(login(std::string("\0\0x", 3))), "Authentication failed: username not specified");
  EXPECT_EQ(failure_of(login(std::string("\0alice\0", 7))), "Authentication failed: password not specified");
  EXPECT_EQ(failure_of(login(std::string("bob\0alice\0s3cret", 16))),
            "Authentication failed: Client requested an authorization id that is different from username");
}

class ScramServerTest : public ::testing::Test {
 protected:
  ScramServerTest() {
    salt_ = crypto::random_bytes(16);
    stored_ = scram_credential(ScramMechanism::kSha512, salt_, crypto::pbkdf2(crypto::Hash::kSha512, "pw", salt_, 4096),
                               4096);
  }
  std::unique_ptr<SaslServer> server() {
    return make_scram_server(ScramMechanism::kSha512, [this](const std::string& user, ScramMechanism m) {
      return user == "carol" && m == ScramMechanism::kSha512 ? std::optional(stored_) : std::nullopt;
    });
  }
  // The client-final message for `server_first`, with `password`.
  std::string final_message(const std::string& bare, const std::string& server_first, const std::string& password,
                            std::string* expected_server_final = nullptr) {
    const auto hash = crypto::Hash::kSha512;
    const std::string nonce = server_first.substr(2, server_first.find(',') - 2);
    const std::string salted = crypto::pbkdf2(hash, password, salt_, 4096);
    const std::string client_key = crypto::hmac(hash, salted, "Client Key");
    const std::string auth = bare + "," + server_first + ",c=biws,r=" + nonce;
    const std::string signature = crypto::hmac(hash, crypto::digest(hash, client_key), auth);
    std::string proof(client_key.size(), '\0');
    for (size_t i = 0; i < proof.size(); ++i) proof[i] = static_cast<char>(client_key[i] ^ signature[i]);
    if (expected_server_final) {
      *expected_server_final =
          "v=" + crypto::base64_encode(crypto::hmac(hash, crypto::hmac(hash, salted, "Server Key"), auth));
    }
    return "c=biws,r=" + nonce + ",p=" + crypto::base64_encode(proof);
  }
  std::string salt_;
  ScramCredential stored_;
};

TEST_F(ScramServerTest, CompletesWithTheRightPasswordAndProvesItself) {
  auto s = server();
  auto first = s->evaluate("n,,n=carol,r=abc123");
  ASSERT_TRUE(std::holds_alternative<SaslStep>(first)) << failure_of(first);
  const std::string server_first = std::get<SaslStep>(first).token;
  EXPECT_EQ(server_first.rfind("r=abc123", 0), 0u);
  EXPECT_NE(server_first.find(",s=" + crypto::base64_encode(salt_) + ",i=4096"), std::string::npos);
  std::string expected;
  auto last = s->evaluate(final_message("n=carol,r=abc123", server_first, "pw", &expected));
  ASSERT_TRUE(std::holds_alternative<SaslStep>(last)) << failure_of(last);
  EXPECT_TRUE(std::get<SaslStep>(last).complete);
  EXPECT_EQ(std::get<SaslStep>(last).token, expected);
  EXPECT_EQ(s->authorization_id(), "carol");
}

TEST_F(ScramServerTest, HidesWhyItFailed) {
  auto s = server();
  const std::string server_first = std::get<SaslStep>(s->evaluate("n,,n=carol,r=abc")).token;
  auto wrong = s->evaluate(final_message("n=carol,r=abc", server_first, "not-pw"));
  ASSERT_TRUE(std::holds_alternative<SaslFailure>(wrong));
  EXPECT_EQ(std::get<SaslFailure>(wrong).kind, SaslFailure::Kind::kHidden);
  EXPECT_EQ(std::get<SaslFailure>(wrong).message, "Invalid client credentials");
  EXPECT_EQ(failure_of(server()->evaluate("n,,n=dave,r=abc")), "Authentication failed: Invalid user credentials");
  EXPECT_EQ(failure_of(server()->evaluate("y,,n=carol,r=abc")), "Invalid SCRAM client first message format");
  EXPECT_EQ(failure_of(server()->evaluate("n,,n=ca=rol,r=abc")), "Invalid SCRAM client first message format");
  auto other = server();
  const std::string first2 = std::get<SaslStep>(other->evaluate("n,,n=carol,r=abc")).token;
  EXPECT_EQ(failure_of(other->evaluate("c=biws,r=abcdef,p=AAAA")), "Invalid client nonce in the final client message.");
  auto authz = server()->evaluate("n,a=root,n=carol,r=abc");
  ASSERT_TRUE(std::holds_alternative<SaslFailure>(authz));
  EXPECT_EQ(std::get<SaslFailure>(authz).kind, SaslFailure::Kind::kAuthentication);
  (void)first2;
}

// OAUTHBEARER's token checks with a fixed clock (the cross-check covers the
// exchange against Kafka).
class OAuthBearerTest : public ::testing::Test {
 protected:
  static constexpr int64_t kNow = 1'800'000'000'000;
  static std::string part(const std::string& text) {
    std::string out = crypto::base64_encode(text);
    while (!out.empty() && out.back() == '=') out.pop_back();
    return out;
  }
  std::variant<SaslStep, SaslFailure> login(const std::string& claims, const std::string& header = R"({"alg":"none"})") {
    server_ = make_oauthbearer_server(options_, [] { return kNow; });
    return server_->evaluate("n,,\x01" "auth=Bearer " + part(header) + "." + part(claims) + ".\x01\x01");
  }
  static std::string challenge(const std::variant<SaslStep, SaslFailure>& r) {
    return std::holds_alternative<SaslStep>(r) && !std::get<SaslStep>(r).complete ? std::get<SaslStep>(r).token : "";
  }
  std::map<std::string, std::string> options_{{"unsecuredValidatorRequiredScope", "kafka"},
                                              {"unsecuredValidatorAllowableClockSkewMs", "1000"}};
  std::unique_ptr<SaslServer> server_;
};

TEST_F(OAuthBearerTest, AcceptsAGoodTokenAndEndsTheSessionWithIt) {
  auto ok = login(R"({"sub":"alice","iat":1800000000,"exp":1800000600.5,"scope":["kafka","x"]})");
  ASSERT_TRUE(std::holds_alternative<SaslStep>(ok)) << failure_of(ok);
  EXPECT_TRUE(std::get<SaslStep>(ok).complete);
  EXPECT_EQ(server_->authorization_id(), "alice");
  EXPECT_EQ(server_->credential_expiry_ms(), 1'800'000'600'500);
  // Within the clock skew, an iat a little ahead or an exp just past is taken.
  EXPECT_TRUE(std::holds_alternative<SaslStep>(login(R"({"sub":"a","exp":1799999999.5,"scope":"kafka"})")));
  EXPECT_TRUE(std::holds_alternative<SaslStep>(login(R"({"sub":"a","iat":1800000000.9,"exp":1800000600,"scope":"kafka"})")));
}

TEST_F(OAuthBearerTest, RefusesAsKafkasUnsecuredValidator) {
  const std::string invalid = R"({"status":"invalid_token"})";
  EXPECT_EQ(challenge(login(R"({"sub":"a","exp":1799999998,"scope":"kafka"})")), invalid);  // expired beyond the skew
  EXPECT_EQ(challenge(login(R"({"sub":"a","iat":1800000002,"exp":1800000600,"scope":"kafka"})")), invalid);
  EXPECT_EQ(challenge(login(R"({"sub":" ","exp":1800000600,"scope":"kafka"})")), invalid);
  EXPECT_EQ(challenge(login(R"({"sub":"a","exp":"soon","scope":"kafka"})")), invalid);
  EXPECT_EQ(challenge(login(R"({"sub":"a","exp":1800000600,"scope":3})")), invalid);
  EXPECT_EQ(challenge(login(R"({"sub":"a","exp":1800000600,"scope":"kafka"})", R"({"alg":"RS256"})")), invalid);
  EXPECT_EQ(challenge(login(R"({"sub":"a","exp":1800000600,"scope":"kafka x"})")),
            R"({"status":"insufficient_scope", "scope":"[kafka]"})");
  auto no_alg = login(R"({"sub":"a","exp":1800000600})", "{}");
  ASSERT_TRUE(std::holds_alternative<SaslFailure>(no_alg));
  EXPECT_EQ(std::get<SaslFailure>(no_alg).kind, SaslFailure::Kind::kUnexpected);
  // The client's \x01 after the challenge ends it with the same text.
  login(R"({"sub":"a","exp":1})");
  auto ended = server_->evaluate("\x01");
  ASSERT_TRUE(std::holds_alternative<SaslFailure>(ended));
  EXPECT_EQ(std::get<SaslFailure>(ended).message, invalid);
  options_["unsecuredValidatorAllowableClockSkewMs"] = "-1";
  auto bad_option = login(R"({"sub":"a","exp":1800000600,"scope":"kafka"})");
  ASSERT_TRUE(std::holds_alternative<SaslFailure>(bad_option));
  EXPECT_EQ(std::get<SaslFailure>(bad_option).kind, SaslFailure::Kind::kUnexpected);
}

std::string config_error(std::map<std::string, std::string> properties) {
  config::BrokerConfig config;
  config.set("listeners", "SASL_PLAINTEXT://127.0.0.1:0");
  config.set("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT");
  for (const auto& [k, v] : properties) config.set(k, v);
  try {
    listener_security(config);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(ListenerSecuritySasl, RefusesWhatKafkaRefusesAndWhatKafkaliteLacks) {
  const std::string plain_jaas = std::string(kPlainLoginModule) + " required user_a=\"b\";";
  EXPECT_EQ(config_error({{"sasl.enabled.mechanisms", "PLAIN"},
                          {"listener.name.sasl_plaintext.plain.sasl.jaas.config", plain_jaas}}),
            "");
  EXPECT_NE(config_error({{"sasl.enabled.mechanisms", "PLAIN"}}).find("Could not find a 'KafkaServer'"),
            std::string::npos);
  EXPECT_NE(config_error({{"sasl.enabled.mechanisms", "PLAIN"},
                          {"listener.name.sasl_plaintext.plain.sasl.jaas.config", plain_jaas + plain_jaas}})
                .find("JAAS config property contains 2 login modules, should be 1 module"),
            std::string::npos);
  EXPECT_NE(config_error({{"sasl.enabled.mechanisms", "GSSAPI"}}).find("SASL mechanism GSSAPI is enabled"),
            std::string::npos);
  EXPECT_NE(config_error({{"sasl.enabled.mechanisms", "PLAIN"},
                          {"listener.name.sasl_plaintext.plain.sasl.jaas.config", plain_jaas},
                          {"inter.broker.listener.name", "SASL_PLAINTEXT"}})
                .find("sasl.mechanism.inter.broker.protocol must be included in sasl.enabled.mechanisms"),
            std::string::npos);
  EXPECT_NE(config_error({{"sasl.enabled.mechanisms", "PLAIN"},
                          {"listener.name.sasl_plaintext.plain.sasl.jaas.config", plain_jaas},
                          {"connections.max.reauth.ms", "soon"}})
                .find("Invalid value soon for configuration connections.max.reauth.ms"),
            std::string::npos);
}

TEST(ListenerSecuritySasl, MechanismsInKafkasHashSetOrderAndReauthPerMechanism) {
  config::BrokerConfig config;
  config.set("listeners", "SASL_PLAINTEXT://127.0.0.1:0");
  config.set("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT");
  config.set("sasl.enabled.mechanisms", "SCRAM-SHA-256,PLAIN,SCRAM-SHA-512,PLAIN");
  for (const char* m : {"plain", "scram-sha-256", "scram-sha-512"}) {
    config.set(std::string("listener.name.sasl_plaintext.") + m + ".sasl.jaas.config",
               std::string(kScramLoginModule) + " required;");
  }
  config.set("connections.max.reauth.ms", "1000");
  config.set("listener.name.sasl_plaintext.plain.connections.max.reauth.ms", "0");
  const auto security = listener_security(config).at("SASL_PLAINTEXT");
  EXPECT_EQ(security.mechanisms, (std::vector<std::string>{"PLAIN", "SCRAM-SHA-512", "SCRAM-SHA-256"}));
  EXPECT_EQ(security.max_reauth_ms.at("PLAIN"), 0);
  EXPECT_EQ(security.max_reauth_ms.at("SCRAM-SHA-256"), 1000);
  EXPECT_TRUE(security.plain_users.empty());  // a ScramLoginModule entry has no PLAIN users
}

TEST(ScramCredentialsStore, SurviveARestart) {
  const auto dir = std::filesystem::temp_directory_path() / ("kafkalite-scram-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  {
    auto store = storage::open_rocksdb_store(dir.string());
    ScramCredentials credentials(*store);
    ASSERT_FALSE(credentials.apply({{"alice", ScramMechanism::kSha256, ScramCredential{"s", "k1", "k2", 4096}},
                                    {"bob", ScramMechanism::kSha512, ScramCredential{"t", "k3", "k4", 8192}}}));
    ASSERT_FALSE(credentials.apply({{"bob", ScramMechanism::kSha512, std::nullopt}}));
  }
  auto store = storage::open_rocksdb_store(dir.string());
  ScramCredentials credentials(*store);
  auto alice = credentials.find("alice", ScramMechanism::kSha256);
  ASSERT_TRUE(alice);
  EXPECT_EQ(alice->stored_key, "k1");
  EXPECT_EQ(alice->iterations, 4096);
  EXPECT_FALSE(credentials.find("alice", ScramMechanism::kSha512));
  EXPECT_FALSE(credentials.has_user("bob"));
  store.reset();
  std::filesystem::remove_all(dir);
}

// A broker with a SASL_PLAINTEXT listener (PLAIN, user alice).
class SaslListener : public BrokerTest {
 protected:
  EmbeddedBroker::Options options() override {
    return {"",
            {{"listeners", "PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0"},
             {"sasl.enabled.mechanisms", "PLAIN"},
             {"listener.name.sasl_plaintext.plain.sasl.jaas.config",
              std::string(kPlainLoginModule) + " required user_alice=\"alice-secret\";"},
             {"connections.max.idle.ms", "500"}}};
  }
  client::Connection sasl() { return client::Connection(broker_->bootstrap("SASL_PLAINTEXT")); }
  static SaslHandshakeRequest handshake(const std::string& mechanism) {
    SaslHandshakeRequest r;
    r.mechanism = mechanism;
    return r;
  }
};

TEST_F(SaslListener, BadInputIsRefusedAndEveryoneElseIsServed) {
  auto bystander = sasl();
  ASSERT_EQ(bystander.request<SaslHandshakeApi>(handshake("PLAIN"), 1).error_code, ErrorCode::None);
  SaslAuthenticateRequest login;
  const std::string token("\0alice\0alice-secret", 19);
  login.auth_bytes.assign(token.begin(), token.end());
  ASSERT_EQ(bystander.request<SaslAuthenticateApi>(login, 2).error_code, ErrorCode::None);

  // A truncated SaslAuthenticate: its body ends inside the token's length.
  auto truncated = sasl();
  ASSERT_EQ(truncated.request<SaslHandshakeApi>(handshake("PLAIN"), 1).error_code, ErrorCode::None);
  wire::Bytes frame = encode_request_frame<SaslAuthenticateApi>(login, 2, 5, "t");
  frame.resize(frame.size() - 12);
  const auto body = static_cast<uint32_t>(frame.size() - 4);
  frame[0] = static_cast<uint8_t>(body >> 24), frame[1] = static_cast<uint8_t>(body >> 16);
  frame[2] = static_cast<uint8_t>(body >> 8), frame[3] = static_cast<uint8_t>(body);
  truncated.send_frame(frame);
  EXPECT_TRUE(truncated.closed_by_peer(std::chrono::seconds(10)));

  // A wrong password is answered, then the connection closes.
  auto wrong = sasl();
  ASSERT_EQ(wrong.request<SaslHandshakeApi>(handshake("PLAIN"), 1).error_code, ErrorCode::None);
  SaslAuthenticateRequest bad;
  const std::string bad_token("\0alice\0guess", 12);
  bad.auth_bytes.assign(bad_token.begin(), bad_token.end());
  const auto refused = wrong.request<SaslAuthenticateApi>(bad, 2);
  EXPECT_EQ(refused.error_code, ErrorCode::SaslAuthenticationFailed);
  EXPECT_EQ(refused.error_message, "Authentication failed: Invalid username or password");
  EXPECT_TRUE(wrong.closed_by_peer(std::chrono::seconds(10)));

  // Everyone else is served meanwhile.
  EXPECT_EQ(metadata(bystander, {}).brokers.size(), 1u);

  // A client that never finishes the handshake is closed when idle.
  auto silent = sasl();
  ASSERT_EQ(silent.request<SaslHandshakeApi>(handshake("PLAIN"), 1).error_code, ErrorCode::None);
  EXPECT_TRUE(silent.closed_by_peer(std::chrono::seconds(20)));

  // A TLS client hello on the SASL_PLAINTEXT port.
  auto tls = sasl();
  tls.send_frame(wire::Bytes{0x16, 0x03, 0x01, 0x00, 0xc8, 0x01, 0x00, 0x00, 0xc4, 0x03, 0x03});
  EXPECT_TRUE(tls.closed_by_peer(std::chrono::seconds(10)));
  auto after = sasl();
  EXPECT_EQ(after.request<SaslHandshakeApi>(handshake("PLAIN"), 1).error_code, ErrorCode::None);
}

}  // namespace
}  // namespace kafkalite::testing
