// The StandardAuthorizer's decisions (Kafka 4.1.1's StandardAuthorizerData
// rules), the ACL filters of DescribeAcls and DeleteAcls, and the ACLs'
// durability.
#include <gtest/gtest.h>

#include <filesystem>

#include "broker/security/authorizer.h"
#include "broker/storage/kv_store.h"

namespace kafkalite::testing {
namespace {

using namespace security;

config::BrokerConfig authorizer_config(std::map<std::string, std::string> extra = {}) {
  config::BrokerConfig config;
  config.set("authorizer.class.name", kStandardAuthorizer);
  for (const auto& [k, v] : extra) config.set(k, v);
  return config;
}

Acl acl(ResourceType type, const std::string& name, PatternType pattern, const std::string& principal,
        AclOperation operation, AclPermission permission, const std::string& host = "*") {
  return {type, name, pattern, principal, host, operation, permission};
}

const Requester kAlice{"User:alice", "127.0.0.1"};
const Requester kBob{"User:bob", "127.0.0.1"};

TEST(Authorizer, DenyWinsThenAllowThenAnyAclDeniesThenTheDefault) {
  auto store = storage::open_memory_store();
  Authorizer authorizer(authorizer_config({{"allow.everyone.if.no.acl.found", "TRUE"}}), *store);
  ASSERT_TRUE(authorizer.enabled());
  // Nothing applies to "free": the default (allow everyone).
  EXPECT_TRUE(authorizer.authorize(kBob, AclOperation::kRead, ResourceType::kTopic, "free").allowed);
  ASSERT_FALSE(authorizer.create({
      acl(ResourceType::kTopic, "orders", PatternType::kLiteral, "User:alice", AclOperation::kRead,
          AclPermission::kAllow),
      acl(ResourceType::kTopic, "ord", PatternType::kPrefixed, "User:*", AclOperation::kWrite, AclPermission::kDeny),
      acl(ResourceType::kTopic, "*", PatternType::kLiteral, "User:alice", AclOperation::kDescribeConfigs,
          AclPermission::kAllow, "10.0.0.1"),
  }));
  EXPECT_TRUE(authorizer.authorize(kAlice, AclOperation::kRead, ResourceType::kTopic, "orders").allowed);
  // An ALLOW of READ implies DESCRIBE; a DENY implies nothing.
  EXPECT_TRUE(authorizer.authorize(kAlice, AclOperation::kDescribe, ResourceType::kTopic, "orders").allowed);
  const auto denied = authorizer.authorize(kAlice, AclOperation::kWrite, ResourceType::kTopic, "orders");
  EXPECT_FALSE(denied.allowed);
  EXPECT_EQ(denied.rule,
            "MatchingAcl(acl=StandardAcl(resourceType=TOPIC, resourceName=ord, patternType=PREFIXED, "
            "principal=User:*, host=*, operation=WRITE, permissionType=DENY))");
  // Bob has no ACL of his own, but ACLs apply to "orders": denied, although
  // allow.everyone.if.no.acl.found is true.
  const auto bob = authorizer.authorize(kBob, AclOperation::kRead, ResourceType::kTopic, "orders");
  EXPECT_FALSE(bob.allowed);
  EXPECT_EQ(bob.rule, "DefaultDeny");
  // The "*" ACL covers every topic (so "free" is no longer free), from its host only.
  EXPECT_FALSE(authorizer.authorize(kBob, AclOperation::kRead, ResourceType::kTopic, "free").allowed);
  EXPECT_FALSE(authorizer.authorize(kAlice, AclOperation::kDescribeConfigs, ResourceType::kTopic, "free").allowed);
  EXPECT_TRUE(authorizer.authorize({"User:alice", "10.0.0.1"}, AclOperation::kDescribeConfigs, ResourceType::kTopic,
                                   "free")
                  .allowed);
  // Other resource types are untouched.
  EXPECT_TRUE(authorizer.authorize(kBob, AclOperation::kRead, ResourceType::kGroup, "orders").allowed);
}

TEST(Authorizer, SuperUsersDefaultsAndKafkasRefusals) {
  auto store = storage::open_memory_store();
  Authorizer authorizer(authorizer_config({{"super.users", " User:admin ; ;User:ANONYMOUS"}}), *store);
  EXPECT_EQ(authorizer.authorize({"User:admin", "1.2.3.4"}, AclOperation::kAlter, ResourceType::kCluster,
                                 kClusterName)
                .rule,
            "SuperUser");
  EXPECT_FALSE(authorizer.authorize(kAlice, AclOperation::kRead, ResourceType::kTopic, "t").allowed);
  // Without an authorizer everything is allowed.
  Authorizer none(config::BrokerConfig{}, *store);
  EXPECT_FALSE(none.enabled());
  EXPECT_TRUE(none.authorize(kAlice, AclOperation::kAlter, ResourceType::kCluster, kClusterName).allowed);
  auto refused = [&](std::map<std::string, std::string> extra) -> std::string {
    try {
      Authorizer a(authorizer_config(std::move(extra)), *store);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(refused({{"super.users", "admin"}}), "expected a string in format principalType:principalName but got admin");
  EXPECT_NE(refused({{"authorizer.class.name", "kafka.security.authorizer.AclAuthorizer"}}).find("cannot be found"),
            std::string::npos);
}

TEST(Authorizer, AuthorizedOperationsBitsAndByResourceType) {
  auto store = storage::open_memory_store();
  Authorizer authorizer(authorizer_config(), *store);
  ASSERT_FALSE(authorizer.create({
      acl(ResourceType::kTopic, "t", PatternType::kLiteral, "User:alice", AclOperation::kRead, AclPermission::kAllow),
      acl(ResourceType::kTopic, "t", PatternType::kLiteral, "User:alice", AclOperation::kAlterConfigs,
          AclPermission::kAllow),
      acl(ResourceType::kTopic, "p", PatternType::kPrefixed, "User:bob", AclOperation::kWrite, AclPermission::kAllow),
      acl(ResourceType::kTopic, "pa", PatternType::kPrefixed, "User:bob", AclOperation::kWrite, AclPermission::kDeny),
  }));
  // READ 3, DESCRIBE 8 (implied), DESCRIBE_CONFIGS 10 (implied), ALTER_CONFIGS 11.
  EXPECT_EQ(authorizer.authorized_operations(kAlice, ResourceType::kTopic, "t"),
            (1 << 3) | (1 << 8) | (1 << 10) | (1 << 11));
  EXPECT_EQ(authorizer.authorized_operations(kBob, ResourceType::kTopic, "t"), 0);
  // Bob may WRITE some topic (prefix "p" is not dominated by the deny of "pa").
  EXPECT_TRUE(authorizer.authorize_by_resource_type(kBob, AclOperation::kWrite, ResourceType::kTopic));
  EXPECT_FALSE(authorizer.authorize_by_resource_type(kAlice, AclOperation::kWrite, ResourceType::kTopic));
  ASSERT_FALSE(authorizer.create({acl(ResourceType::kTopic, "p", PatternType::kPrefixed, "User:bob",
                                      AclOperation::kWrite, AclPermission::kDeny)}));
  EXPECT_FALSE(authorizer.authorize_by_resource_type(kBob, AclOperation::kWrite, ResourceType::kTopic));
}

TEST(Authorizer, FiltersAsDescribeAndDeleteAclsAndDurability) {
  const auto dir = std::filesystem::temp_directory_path() / ("kafkalite-acls-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const Acl literal = acl(ResourceType::kTopic, "foo", PatternType::kLiteral, "User:alice", AclOperation::kRead,
                          AclPermission::kAllow);
  const Acl wildcard = acl(ResourceType::kTopic, "*", PatternType::kLiteral, "User:*", AclOperation::kAll,
                           AclPermission::kAllow);
  const Acl prefixed = acl(ResourceType::kTopic, "fo", PatternType::kPrefixed, "User:bob", AclOperation::kWrite,
                           AclPermission::kDeny);
  const Acl group = acl(ResourceType::kGroup, "foo", PatternType::kLiteral, "User:alice", AclOperation::kRead,
                        AclPermission::kAllow);
  {
    auto store = storage::open_rocksdb_store(dir.string());
    Authorizer authorizer(authorizer_config(), *store);
    ASSERT_FALSE(authorizer.create({literal, wildcard, prefixed, group, literal}));  // a duplicate: stored once
    EXPECT_EQ(authorizer.describe(AclFilter{}).size(), 4u);
  }
  auto store = storage::open_rocksdb_store(dir.string());
  Authorizer authorizer(authorizer_config(), *store);
  EXPECT_EQ(authorizer.describe(AclFilter{}).size(), 4u);  // back after a restart
  AclFilter any_foo{.resource_type = ResourceType::kTopic, .resource_name = "foo", .pattern_type = PatternType::kAny};
  EXPECT_EQ(authorizer.describe(any_foo), std::vector<Acl>{literal});  // ANY: the exact name only
  AclFilter match_foo{.resource_type = ResourceType::kTopic, .resource_name = "foo", .pattern_type = PatternType::kMatch};
  EXPECT_EQ(authorizer.describe(match_foo).size(), 3u);  // MATCH: what applies to "foo"
  AclFilter all_ops{.operation = AclOperation::kAll};
  EXPECT_EQ(authorizer.describe(all_ops), std::vector<Acl>{wildcard});  // ALL matches only ALL
  std::vector<std::vector<Acl>> matched;
  ASSERT_FALSE(authorizer.remove({match_foo, AclFilter{.resource_type = ResourceType::kTopic, .resource_name = "fo", .pattern_type = PatternType::kPrefixed}}, matched));
  EXPECT_EQ(matched[0].size(), 3u);
  EXPECT_EQ(matched[1], std::vector<Acl>{prefixed});  // both filters name it; removed once
  EXPECT_EQ(authorizer.describe(AclFilter{}), std::vector<Acl>{group});
  store.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kafkalite::testing
