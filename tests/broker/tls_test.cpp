// TLS's parts (certificate subjects as Java names them, Kafka's PEM stores
// and their refusals) and an SSL listener's bad input. The handshakes with
// real clients are cross-checked against Kafka in
// tests/crosscheck/clients/test_tls_clients.py.
#include <gtest/gtest.h>
#include <openssl/x509.h>

#include <boost/asio/ssl.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "broker/security/keystore.h"
#include "broker/security/listener_security.h"
#include "broker/security/principal_mapping.h"
#include "broker/security/x500_name.h"
#include "tests/broker/broker_fixture.h"

namespace kafkalite::testing {
namespace {

using namespace security;
namespace ssl = boost::asio::ssl;
using boost::asio::ip::tcp;

// make_test_certs.sh's certificates, made once per test process and
// removed at its end.
const std::string& certs() {
  struct Folder {
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("kafkalite-tls-test-" + std::to_string(::getpid()));
    std::string name = path.string();
    Folder() {
      const std::string command = std::string(KAFKALITE_TEST_CERTS_SCRIPT) + " " + name;
      if (std::system(command.c_str()) != 0) throw std::runtime_error("make_test_certs.sh failed");
    }
    ~Folder() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  };
  static const Folder folder;
  return folder.name;
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct NameFree {
  void operator()(X509_NAME* n) const { X509_NAME_free(n); }
};
using Name = std::unique_ptr<X509_NAME, NameFree>;

// Entries (field, value, new RDN?) added as UTF8 (or the field's own type).
Name name_of(std::initializer_list<std::tuple<const char*, std::string, bool>> entries) {
  Name name(X509_NAME_new());
  for (const auto& [field, value, new_rdn] : entries) {
    X509_NAME_add_entry_by_txt(name.get(), field, MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(value.data()),
                               static_cast<int>(value.size()), -1, new_rdn ? 0 : -1);
  }
  return name;
}

TEST(X500Name, AsJavasX500PrincipalGetName) {
  // Last RDN first, keywords, no spaces.
  EXPECT_EQ(x500_name(name_of({{"O", "kafkalite", true}, {"OU", "test", true}, {"CN", "alice", true}}).get()),
            "CN=alice,OU=test,O=kafkalite");
  EXPECT_EQ(x500_name(name_of({{"DC", "org", true}, {"DC", "example", true}, {"UID", "u1", true},
                               {"street", "Main St", true}, {"ST", "Bavaria", true}, {"L", "Munich", true}})
                          .get()),
            "L=Munich,ST=Bavaria,STREET=Main St,UID=u1,DC=example,DC=org");
  // Java escapes these wherever they are; leading and trailing spaces too.
  EXPECT_EQ(x500_name(name_of({{"CN", "a,b+c=d<e>f;g\"h\\i#j", true}}).get()),
            "CN=a\\,b\\+c\\=d\\<e\\>f\\;g\\\"h\\\\i\\#j");
  EXPECT_EQ(x500_name(name_of({{"CN", " #x y ", true}}).get()), "CN=\\ \\#x y\\ ");
  // Non-ASCII as it is (OpenSSL's RFC 2253 would write \XX escapes).
  EXPECT_EQ(x500_name(name_of({{"CN", "Ёлка", true}}).get()), "CN=Ёлка");
  // A multi-valued RDN, in its encoded order.
  EXPECT_EQ(x500_name(name_of({{"O", "org", true}, {"CN", "a", true}, {"UID", "b", false}}).get()),
            "CN=a+UID=b,O=org");
  // Attributes without an RFC 2253 keyword: the OID and the DER in hex.
  EXPECT_EQ(x500_name(name_of({{"CN", "a", true}, {"emailAddress", "a@b.c", true}}).get()),
            "1.2.840.113549.1.9.1=#16056140622e63,CN=a");
  EXPECT_EQ(x500_name(name_of({{"serialNumber", "123", true}}).get()), "2.5.4.5=#1303313233");
  EXPECT_EQ(x500_name(name_of({}).get()), "");
}

TEST(X500Name, OfATestCertificate) {
  const std::string pem = read(certs() + "/alice.pem");
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  ASSERT_NE(cert, nullptr);
  EXPECT_EQ(x500_name(X509_get_subject_name(cert)), "CN=alice,OU=test,O=kafkalite");
  X509_free(cert);
}

std::string failure(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(PemStore, KafkasPatternAndMessages) {
  const std::string cert = read(certs() + "/ca.pem");
  // Text outside the blocks, header lines, CRLF and a missing last newline.
  std::string messy = "Bag Attributes\n    friendlyName: kafka\nsubject=/CN=x\n" + cert;
  messy.insert(messy.find('\n', messy.find("BEGIN")) + 1, "Proc-Type: 4,ENCRYPTED\r\n");
  messy.pop_back();
  EXPECT_EQ(pem_entries(messy, "CERTIFICATE").size(), 1u);
  EXPECT_EQ(pem_entries(cert + "\n" + cert, "CERTIFICATE").size(), 2u);
  // Any label containing the name.
  const std::string key = read(certs() + "/alice.key");
  std::string encrypted_label = key;
  encrypted_label.replace(encrypted_label.find("BEGIN PRIVATE"), 13, "BEGIN ENCRYPTED PRIVATE");
  encrypted_label.replace(encrypted_label.find("END PRIVATE"), 11, "END ENCRYPTED PRIVATE");
  EXPECT_EQ(pem_entries(encrypted_label, "PRIVATE KEY").size(), 1u);
  EXPECT_EQ(failure([&] { pem_entries("nothing here", "CERTIFICATE"); }),
            "No matching CERTIFICATE entries in PEM file");
}

TEST(PemStore, KafkasDecisionOrder) {
  const std::string key = read(certs() + "/broker.key");
  const std::string chain = read(certs() + "/broker.pem");
  StoreSettings s;
  s.keystore_key = key;
  EXPECT_EQ(failure([&] { load_keystore(s); }),
            "SSL private key can be specified only for PEM, but key store type is JKS.");
  s.keystore_type = "PEM";
  EXPECT_EQ(failure([&] { load_keystore(s); }), "SSL private key is specified, but certificate chain is not specified.");
  s.keystore_certificate_chain = chain;
  s.keystore_password = "x";
  EXPECT_EQ(failure([&] { load_keystore(s); }),
            "SSL key store password cannot be specified with PEM format, only key password may be specified.");
  s.keystore_password.reset();
  auto store = load_keystore(s);
  ASSERT_TRUE(store);
  EXPECT_EQ(store->chain.size(), 1u);
  s.keystore_key = key + key;
  EXPECT_EQ(failure([&] { load_keystore(s); }), "Invalid PEM keystore configs: Expected one private key, but found 2");
  s.key_password = "secret";  // an unencrypted key with a password: Kafka fails to decrypt it
  s.keystore_key = key;
  EXPECT_NE(failure([&] { load_keystore(s); }).find("Invalid PEM keystore configs"), std::string::npos);

  StoreSettings file;
  file.keystore_type = "PEM";
  file.keystore_location = certs() + "/nope.pem";
  EXPECT_EQ(failure([&] { load_keystore(file); }).rfind("Failed to load PEM SSL keystore " + certs() + "/nope.pem", 0),
            0u);
  file.keystore_location = certs() + "/broker-keystore.pem";
  EXPECT_TRUE(load_keystore(file));
  StoreSettings jks;
  jks.keystore_location = certs() + "/broker-keystore.pem";
  EXPECT_EQ(failure([&] { load_keystore(jks); }),
            "SSL key store is specified, but key store password is not specified.");
  jks.keystore_password = "pw";
  EXPECT_EQ(failure([&] { load_keystore(jks); })
                .rfind("Failed to load SSL keystore " + certs() + "/broker-keystore.pem of type JKS", 0),
            0u);
  EXPECT_FALSE(load_keystore(StoreSettings{}));  // nothing configured: no key store, as Kafka allows

  StoreSettings trust;
  trust.truststore_certificates = chain;
  EXPECT_EQ(failure([&] { load_truststore(trust); }),
            "SSL trust store certs can be specified only for PEM, but trust store type is JKS.");
  trust.truststore_type = "PEM";
  EXPECT_EQ(load_truststore(trust)->size(), 1u);
  trust.truststore_certificates = "garbage";
  EXPECT_EQ(failure([&] { load_truststore(trust); }), "No matching CERTIFICATE entries in PEM file");
  EXPECT_FALSE(load_truststore(StoreSettings{}));  // the system's CAs
}

std::string listener_error(std::map<std::string, std::string> extra) {
  config::BrokerConfig config;
  config.set("listeners", "SSL://127.0.0.1:0");
  config.set("listener.security.protocol.map", "SSL:SSL");
  config.set("ssl.keystore.type", "PEM");
  config.set("ssl.keystore.location", certs() + "/broker-keystore.pem");
  for (const auto& [k, v] : extra) config.set(k, v);
  return failure([&] { listener_security(config); });
}

TEST(ListenerSecurityTls, RefusesWhatKafkaRefusesAndWhatKafkaliteLacks) {
  EXPECT_EQ(listener_error({}), "");
  EXPECT_EQ(listener_error({{"ssl.client.auth", "yes"}}),
            "Invalid value yes for configuration ssl.client.auth: String must be one of: required, requested, none "
            "(listener SSL)");
  EXPECT_NE(listener_error({{"ssl.keystore.location", certs() + "/missing.pem"}}).find("Failed to load PEM SSL keystore"),
            std::string::npos);
  EXPECT_EQ(listener_error({{"ssl.principal.mapping.rules", "RULE:^CN=(.*?),.*$/$1/,DEFAULT"}}), "");
  EXPECT_EQ(listener_error({{"ssl.principal.mapping.rules", "DEFAULT/L"}}),
            "Invalid rule: `DEFAULT/L`, unmatched substring: `/L` (listener SSL)");
  EXPECT_NE(listener_error({{"ssl.cipher.suites", "TLS_NO_SUCH_SUITE"}}).find("Unsupported CipherSuite"),
            std::string::npos);
  EXPECT_EQ(listener_error({{"ssl.cipher.suites", "TLS_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"}}), "");
}

// Kafka's documented example (docs/security.html, SslPrincipalMapperTest).
TEST(PrincipalMapping, KafkasRulesAndJavasReplaceAll) {
  PrincipalMapper mapper(
      "RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/ , RULE:^CN=(.*?),OU=(.*?),O=(.*?),L=(.*?),ST=(.*?),C=(.*?)$/$1@$2/L,"
      "RULE:^.*[Cc][Nn]=([a-zA-Z0-9.]*).*$/$1/L,DEFAULT");
  EXPECT_EQ(mapper.name("CN=serviceuser,OU=ServiceUsers,O=Unknown,L=Unknown,ST=Unknown,C=Unknown"), "serviceuser");
  EXPECT_EQ(mapper.name("CN=adminUser,OU=Admin,O=Unknown,L=Unknown,ST=Unknown,C=Unknown"), "adminuser@admin");
  EXPECT_EQ(mapper.name("CN=kafka1.example.com,OU=Ops"), "kafka1.example.com");
  EXPECT_EQ(mapper.name("OU=nothing"), "OU=nothing");  // DEFAULT
  // No rule applies: no principal.
  PrincipalMapper strict("RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/");
  EXPECT_EQ(strict.name("CN=alice,OU=test,O=kafkalite"), std::nullopt);
  EXPECT_EQ(strict.describe(), "[RULE:^CN=(.*?),OU=ServiceUsers.*$/$1]");
  // $n beyond the groups is literal; a backslash escapes (here a slash); U upper-cases; empty rules are skipped.
  EXPECT_EQ(PrincipalMapper("RULE:^CN=(.*)$/$1-$2\\/x/U,,").name("CN=ab"), "AB-$2/X");
  for (const char* bad : {"RULE:CN=(.*?),OU=ServiceUsers.*/$1", "DEFAULT/L", "RULE:a/b/L/U"}) {
    try {
      PrincipalMapper refused(bad);
      ADD_FAILURE() << bad << " was taken";
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).rfind("Invalid rule: `", 0), 0u) << e.what();
    }
  }
}

// A broker with an SSL listener asking for client certificates.
class TlsListener : public BrokerTest {
 protected:
  EmbeddedBroker::Options options() override {
    return {"",
            {{"listeners", "PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0"},
             {"listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SSL:SSL"},
             {"ssl.keystore.type", "PEM"},
             {"ssl.keystore.location", certs() + "/broker-keystore.pem"},
             {"ssl.truststore.type", "PEM"},
             {"ssl.truststore.location", certs() + "/ca.pem"},
             {"ssl.client.auth", "requested"},
             {"connections.max.idle.ms", "500"}}};
  }
  tcp::endpoint endpoint(const std::string& listener) {
    const std::string address = broker_->bootstrap(listener);
    const auto colon = address.rfind(':');
    return {boost::asio::ip::make_address(address.substr(0, colon)),
            static_cast<uint16_t>(std::stoi(address.substr(colon + 1)))};
  }
  // A TLS client trusting the test CA, with `client`'s certificate if named.
  std::unique_ptr<ssl::stream<tcp::socket>> tls_client(const std::string& listener, const std::string& client = "") {
    context_ = std::make_unique<ssl::context>(ssl::context::tls_client);
    context_->load_verify_file(certs() + "/ca.pem");
    context_->set_verify_mode(ssl::verify_peer);
    if (!client.empty()) {
      context_->use_certificate_chain_file(certs() + "/" + client + ".pem");
      context_->use_private_key_file(certs() + "/" + client + ".key", ssl::context::pem);
    }
    auto stream = std::make_unique<ssl::stream<tcp::socket>>(io_, *context_);
    stream->next_layer().connect(endpoint(listener));
    return stream;
  }
  // ApiVersions v0 as a frame.
  static std::vector<uint8_t> api_versions() {
    return {0, 0, 0, 10, 0, 18, 0, 0, 0, 0, 0, 7, 0, 0};
  }
  // Reads until the peer closes (or fails); what arrived.
  template <typename Stream>
  static std::vector<uint8_t> read_all(Stream& s, boost::system::error_code& ec) {
    std::vector<uint8_t> out;
    std::array<uint8_t, 4096> chunk;
    for (;;) {
      const size_t n = s.read_some(boost::asio::buffer(chunk), ec);
      out.insert(out.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(n));
      if (ec) return out;
    }
  }
  boost::asio::io_context io_;
  std::unique_ptr<ssl::context> context_;
};

TEST_F(TlsListener, ServesTlsClientsAndRefusesBadInputWhileServingEveryoneElse) {
  auto bystander = tls_client("SSL", "alice");
  bystander->handshake(ssl::stream_base::client);
  boost::asio::write(*bystander, boost::asio::buffer(api_versions()));
  std::array<uint8_t, 4> size{};
  boost::asio::read(*bystander, boost::asio::buffer(size));
  EXPECT_GT((size[0] << 24) | (size[1] << 16) | (size[2] << 8) | size[3], 8);

  // A certificate of another CA: the broker refuses it (certificate_unknown,
  // as Java) once TLS 1.3 has finished the client's side.
  auto mallory = tls_client("SSL", "mallory");
  boost::system::error_code ec;
  mallory->handshake(ssl::stream_base::client, ec);
  if (!ec) boost::asio::write(*mallory, boost::asio::buffer(api_versions()), ec);
  read_all(*mallory, ec);
  EXPECT_NE(ec.message().find("certificate unknown"), std::string::npos) << ec.message();

  // A plaintext request on the SSL port: Java's internal_error alert, closed.
  tcp::socket plain(io_);
  plain.connect(endpoint("SSL"));
  boost::asio::write(plain, boost::asio::buffer(api_versions()));
  EXPECT_EQ(read_all(plain, ec), (std::vector<uint8_t>{0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x50}));

  // A TLS client on the PLAINTEXT port: closed unanswered.
  auto wrong_port = tls_client("PLAINTEXT");
  wrong_port->handshake(ssl::stream_base::client, ec);
  EXPECT_TRUE(ec);

  // A client that never finishes the handshake is closed when idle.
  tcp::socket stalled(io_);
  stalled.connect(endpoint("SSL"));
  boost::asio::write(stalled, boost::asio::buffer(std::vector<uint8_t>{0x16, 0x03, 0x01, 0x00}));
  EXPECT_TRUE(read_all(stalled, ec).empty());
  EXPECT_EQ(ec, boost::asio::error::eof);

  // Everyone else is served meanwhile, with and without a certificate.
  auto anonymous = tls_client("SSL");
  anonymous->handshake(ssl::stream_base::client);
  boost::asio::write(*anonymous, boost::asio::buffer(api_versions()));
  boost::asio::read(*anonymous, boost::asio::buffer(size));
  EXPECT_GT((size[0] << 24) | (size[1] << 16) | (size[2] << 8) | size[3], 8);
}

// On disk (RocksDB, value files): a batch a plaintext fetch sends from its
// file (sendfile) is read in for a TLS client, which gets the same bytes.
class TlsListenerOnDisk : public TlsListener {
 protected:
  TlsListenerOnDisk() : dir_(std::filesystem::temp_directory_path() / ("kafkalite-tls-disk-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(dir_);
  }
  ~TlsListenerOnDisk() override {
    broker_.reset();
    std::filesystem::remove_all(dir_);
  }
  EmbeddedBroker::Options options() override {
    auto o = TlsListener::options();
    o.data_dir = dir_.string();
    return o;
  }
  std::filesystem::path dir_;
};

TEST_F(TlsListenerOnDisk, ALargeBatchReachesATlsClientAsAPlaintextOne) {
  broker_->create_topic("t", 1);
  client::Connection plain(broker_->bootstrap("PLAINTEXT"));
  ASSERT_EQ(produce(plain, "t", 0, make_batch(1)).base_offset, 0);
  ASSERT_EQ(produce(plain, "t", 0, make_batch(5000)).base_offset, 1);
  const auto expected = fetch(plain, "t", 0, 0).records.data;
  ASSERT_TRUE(expected);
  ASSERT_EQ(records_of(wire::Records{expected, {}}).size(), 5001u);

  auto tls = tls_client("SSL");
  tls->handshake(ssl::stream_base::client);
  boost::asio::write(*tls, boost::asio::buffer(encode_request_frame<FetchApi>(fetch_request("t", 0, 0), 12, 5, "t")));
  std::array<uint8_t, 4> size{};
  boost::asio::read(*tls, boost::asio::buffer(size));
  std::vector<uint8_t> frame(static_cast<size_t>((size[0] << 24) | (size[1] << 16) | (size[2] << 8) | size[3]));
  boost::asio::read(*tls, boost::asio::buffer(frame));
  ResponseHeader header;
  FetchResponse response;
  std::string error;
  ASSERT_TRUE(decode_response_frame<FetchApi>(frame, 12, header, response, error)) << error;
  EXPECT_EQ(header.correlation_id, 5);
  EXPECT_EQ(response.responses.at(0).partitions.at(0).records.data, expected);
}

// Mapping rules that name no principal for alice: Kafka closes her
// connection at her first request; a client without a certificate is served.

// A client resumes its TLS session on its next connection (Java's clients
// do), with its certificate asked for: served, as Kafka serves it.
TEST_F(TlsListener, AResumedSessionIsServed) {
  auto first = tls_client("SSL", "alice");
  first->handshake(ssl::stream_base::client);
  boost::asio::write(*first, boost::asio::buffer(api_versions()));
  std::array<uint8_t, 4> size{};
  boost::asio::read(*first, boost::asio::buffer(size));  // TLS 1.3's ticket comes before the answer
  SSL_SESSION* session = SSL_get1_session(first->native_handle());
  ASSERT_NE(session, nullptr);
  ssl::stream<tcp::socket> second(io_, *context_);
  second.next_layer().connect(endpoint("SSL"));
  SSL_set_session(second.native_handle(), session);
  SSL_SESSION_free(session);
  boost::system::error_code ec;
  second.handshake(ssl::stream_base::client, ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(SSL_session_reused(second.native_handle()), 1);
  boost::asio::write(second, boost::asio::buffer(api_versions()));
  boost::asio::read(second, boost::asio::buffer(size));
  EXPECT_GT((size[0] << 24) | (size[1] << 16) | (size[2] << 8) | size[3], 8);
}

class TlsListenerWithRules : public TlsListener {
 protected:
  EmbeddedBroker::Options options() override {
    auto o = TlsListener::options();
    o.properties["ssl.principal.mapping.rules"] = "RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/";
    return o;
  }
};

TEST_F(TlsListenerWithRules, ACertificateNoRuleNamesIsClosedAtItsFirstRequest) {
  auto alice = tls_client("SSL", "alice");
  alice->handshake(ssl::stream_base::client);
  boost::asio::write(*alice, boost::asio::buffer(api_versions()));
  boost::system::error_code ec;
  EXPECT_TRUE(read_all(*alice, ec).empty());
  auto anonymous = tls_client("SSL");
  anonymous->handshake(ssl::stream_base::client);
  boost::asio::write(*anonymous, boost::asio::buffer(api_versions()));
  std::array<uint8_t, 4> size{};
  boost::asio::read(*anonymous, boost::asio::buffer(size));
  EXPECT_GT((size[0] << 24) | (size[1] << 16) | (size[2] << 8) | size[3], 8);
}

}  // namespace
}  // namespace kafkalite::testing
