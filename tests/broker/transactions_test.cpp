// Transactions inside kafkalite: the stored forms, the transaction index in
// the partition log, the timeout and expiry loops (through the embedded
// broker's triggers), and what a failed write leaves. Their answers to
// clients are cross-checked against Kafka 4.1.1 in
// tests/crosscheck/scenarios/transactions.cpp.
#include "broker/log/partition_log.h"
#include "broker/txn/transaction_coordinator.h"
#include "broker/txn/transaction_metadata.h"
#include "common/java_hash.h"
#include "tests/broker/broker_fixture.h"
#include "tests/broker/faulty_store.h"

namespace kafkalite::testing {
namespace {

wire::Bytes txn_batch(int count, int64_t producer_id, int16_t epoch, int32_t sequence) {
  records::BatchBuilder b;
  b.producer_id = producer_id;
  b.producer_epoch = epoch;
  b.base_sequence = sequence;
  b.base_timestamp = 1000;
  b.transactional = true;
  for (int i = 0; i < count; ++i) b.add(1000, std::nullopt, wire::Bytes{'t'});
  return b.build();
}

// Writes `producer_id`'s marker (epoch 0) as the transaction coordinator does.
void write_marker(storage::KvStore& store, log::PartitionLog& log, int64_t producer_id, bool commit) {
  storage::WriteBatch write;
  auto staged = log.stage_marker(producer_id, 0, 0, commit, 2000, write);
  ASSERT_FALSE(store.apply(write));
  log.apply_staged(std::move(staged));
}

TEST(TransactionMetadata, RoundTripsThroughItsStoredForm) {
  txn::TransactionMetadata m;
  m.transactional_id = "tx";
  m.producer_id = 42;
  m.previous_producer_id = 7;
  m.producer_epoch = 3;
  m.last_producer_epoch = 2;
  m.timeout_ms = 60000;
  m.state = txn::TxnState::kOngoing;
  m.partitions = {{"a", 0}, {"b", 3}};
  m.groups = {"g"};
  m.start_timestamp_ms = 5;
  m.last_update_timestamp_ms = 6;
  m.client_transaction_version = 2;
  auto back = txn::TransactionMetadata::parse("tx", m.serialize());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->serialize(), m.serialize());
  EXPECT_EQ(back->partitions, m.partitions);
  EXPECT_EQ(back->state, txn::TxnState::kOngoing);
  EXPECT_FALSE(txn::TransactionMetadata::parse("tx", "\x01\x00garbage")) << "an unknown format is refused";
}

TEST(TransactionMetadata, StateNamesAreKafkas) {
  EXPECT_EQ(txn::state_name(txn::TxnState::kCompleteCommit), "CompleteCommit");
  EXPECT_EQ(txn::state_from_name("PrepareEpochFence"), txn::TxnState::kPrepareEpochFence);
  EXPECT_FALSE(txn::state_from_name("ongoing")) << "names are case-sensitive, as Kafka's";
}

TEST(TransactionMetadata, PartitionsHashAsJavaStrings) {
  // Java's abs(String.hashCode()) % 50 (UTF-16 code units), as Kafka places
  // a group in __consumer_offsets.
  EXPECT_EQ(java::partition_for("hello-group", 50), 36);
  EXPECT_EQ(java::partition_for("my-group", 50), 12);
  EXPECT_EQ(java::partition_for("группа", 50), 8);
  EXPECT_EQ(java::partition_for("a\xF0\x9F\x98\x80" "b", 50), 44);  // a surrogate pair
  EXPECT_EQ(java::partition_for("", 50), 0);
}

TEST(TransactionIndex, MarkersCloseTransactionsAndAbortsAreIndexed) {
  auto owned = storage::open_memory_store();
  storage::KvStore& store = *owned;
  wire::Uuid topic_id;
  topic_id.bytes[0] = 3;
  log::PartitionLog log(store, topic_id, 0);
  const wire::Bytes a = txn_batch(2, 1, 0, 0);
  ASSERT_EQ(log.append(a, header_of(a), -1, 0).error, ErrorCode::None);  // offsets 0-1
  const wire::Bytes b = txn_batch(3, 2, 0, 0);
  ASSERT_EQ(log.append(b, header_of(b), -1, 0).error, ErrorCode::None);  // offsets 2-4
  EXPECT_EQ(log.last_stable_offset(), 0);
  EXPECT_EQ(log.log_end_offset(), 5);

  write_marker(store, log, 1, /*commit=*/false);  // ABORT at offset 5
  EXPECT_EQ(log.last_stable_offset(), 2) << "producer 2's transaction is still open";
  auto aborted = log.aborted_transactions(0, 6);
  ASSERT_EQ(aborted.size(), 1u);
  EXPECT_EQ(aborted[0].producer_id, 1);
  EXPECT_EQ(aborted[0].first_offset, 0);
  EXPECT_EQ(aborted[0].last_offset, 5);
  EXPECT_EQ(aborted[0].last_stable_offset, 2);
  EXPECT_TRUE(log.aborted_transactions(6, 7).empty()) << "ended before the fetch offset";

  write_marker(store, log, 2, /*commit=*/true);  // COMMIT at offset 6
  EXPECT_EQ(log.last_stable_offset(), 7);
  EXPECT_EQ(log.aborted_transactions(0, 7).size(), 1u) << "commits are not indexed";
  EXPECT_EQ(log.producers().at(2).txn_first_offset, -1);

  // The index lives in the store: a partition opened again finds it, and its
  // producers' open transactions.
  log::PartitionLog reopened(store, topic_id, 0);
  EXPECT_EQ(reopened.aborted_transactions(0, 7).size(), 1u);
  EXPECT_EQ(reopened.last_stable_offset(), 7);
  // Deleting records past a marker takes its entry.
  ASSERT_FALSE(reopened.delete_records_before(6));
  EXPECT_TRUE(reopened.aborted_transactions(0, 7).empty());
}

// A read_committed fetch past the newest abort reads no index: an abort
// made after a fetch found none must still be reported to the next.
TEST(TransactionIndex, AnAbortAfterAFetchFoundNoneIsReported) {
  auto owned = storage::open_memory_store();
  wire::Uuid topic_id;
  topic_id.bytes[0] = 5;
  log::PartitionLog log(*owned, topic_id, 0);
  const wire::Bytes first = txn_batch(2, 1, 0, 0), second = txn_batch(1, 1, 0, 2);
  ASSERT_EQ(log.append(first, header_of(first), -1, 0).error, ErrorCode::None);  // offsets 0-1
  EXPECT_TRUE(log.aborted_transactions(0, 2).empty());
  write_marker(*owned, log, 1, /*commit=*/false);  // ABORT at offset 2
  ASSERT_EQ(log.append(second, header_of(second), -1, 0).error, ErrorCode::None);  // offset 3
  write_marker(*owned, log, 1, /*commit=*/false);  // ABORT at offset 4, the newest
  auto aborted = log.aborted_transactions(3, 5);
  ASSERT_EQ(aborted.size(), 1u);
  EXPECT_EQ(aborted[0].last_offset, 4);
  EXPECT_EQ(log.aborted_transactions(0, 5).size(), 2u);
  EXPECT_TRUE(log.aborted_transactions(5, 6).empty());
  log::PartitionLog reopened(*owned, topic_id, 0);
  EXPECT_EQ(reopened.aborted_transactions(4, 5).size(), 1u) << "the newest abort, found in the store";
  EXPECT_TRUE(reopened.aborted_transactions(5, 6).empty());
}

TEST(TransactionIndex, AnOpenTransactionSurvivesReopeningAndHoldsTheStableOffset) {
  auto owned = storage::open_memory_store();
  storage::KvStore& store = *owned;
  wire::Uuid topic_id;
  topic_id.bytes[0] = 4;
  {
    log::PartitionLog log(store, topic_id, 0);
    const wire::Bytes plain = make_batch(2);
    ASSERT_EQ(log.append(plain, header_of(plain), -1, 0).error, ErrorCode::None);
    const wire::Bytes open = txn_batch(2, 9, 0, 0);
    ASSERT_EQ(log.append(open, header_of(open), -1, 0).error, ErrorCode::None);
  }
  log::PartitionLog log(store, topic_id, 0);
  EXPECT_EQ(log.last_stable_offset(), 2);
  // A plain batch from the producer while its transaction is open is refused.
  const wire::Bytes plain = make_batch(1, {}, 9, 0, 2);
  EXPECT_EQ(log.append(plain, header_of(plain), -1, 0).error, ErrorCode::InvalidTxnState);
  // And its state never expires while the transaction is open.
  EXPECT_EQ(log.expire_producers(INT64_MAX / 2, 1), 0u);
}

TEST(TransactionIndex, AFailedMarkerWriteChangesNothing) {
  auto control = std::make_shared<FaultyStore::Control>();
  FaultyStore store(control);
  wire::Uuid topic_id;
  topic_id.bytes[0] = 5;
  log::PartitionLog log(store, topic_id, 0);
  const wire::Bytes open = txn_batch(2, 9, 0, 0);
  ASSERT_EQ(log.append(open, header_of(open), -1, 0).error, ErrorCode::None);
  control->writes_left = 0;
  storage::WriteBatch write;
  auto staged = log.stage_marker(9, 0, 0, true, 2000, write);
  EXPECT_TRUE(store.apply(write));
  // The coordinator applies a staged marker only after its write succeeded.
  EXPECT_EQ(log.last_stable_offset(), 0);
  EXPECT_EQ(log.log_end_offset(), 2);
}

class TransactionLoops : public BrokerTest {
 protected:
  EmbeddedBroker::Options options() override {
    EmbeddedBroker::Options o;
    o.properties = {{"transactional.id.expiration.ms", "1"}};
    return o;
  }
  InitProducerIdResponse init(client::Connection& c, const std::string& id, int32_t timeout_ms) {
    InitProducerIdRequest request;
    request.transactional_id = TransactionalId(id);
    request.transaction_timeout_ms = timeout_ms;
    return c.request<InitProducerIdApi>(request, 5);
  }
  DescribeTransactionsResponse::TransactionState describe(client::Connection& c, const std::string& id) {
    DescribeTransactionsRequest request;
    request.transactional_ids.push_back(TransactionalId(id));
    return c.request<DescribeTransactionsApi>(request, 0).transaction_states.at(0);
  }
};

TEST_F(TransactionLoops, ATimedOutTransactionIsAbortedAndItsProducerFenced) {
  broker_->create_topic("slow");
  auto c = connect();
  auto producer = init(c, "slow-tx", 1);  // a 1 ms timeout
  ASSERT_EQ(producer.error_code, ErrorCode::None);
  ProduceRequest produce_request;
  produce_request.acks = -1;
  produce_request.timeout_ms = 30000;
  produce_request.transactional_id = TransactionalId("slow-tx");
  auto& t = produce_request.topic_data.emplace_back();
  t.name = TopicName("slow");
  auto& p = t.partition_data.emplace_back();
  p.index = 0;
  p.records.data = txn_batch(2, producer.producer_id.value(), producer.producer_epoch, 0);
  // Produce v12: the partition joins the transaction (transaction version 2).
  auto produced = c.request<ProduceApi>(produce_request, 12);
  ASSERT_EQ(produced.responses.at(0).partition_responses.at(0).error_code, ErrorCode::None);
  EXPECT_EQ(describe(c, "slow-tx").transaction_state, "Ongoing");
  // Until its timeout has passed, the loop leaves it alone.
  size_t aborted = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (aborted == 0 && std::chrono::steady_clock::now() < deadline) aborted = broker_->abort_timed_out_transactions();
  ASSERT_EQ(aborted, 1u);
  auto state = describe(c, "slow-tx");
  EXPECT_EQ(state.transaction_state, "CompleteAbort");
  EXPECT_EQ(state.producer_epoch, producer.producer_epoch + 1) << "the abort fences the producer";
  // The fenced producer's next batch is refused.
  p.records.data = txn_batch(1, producer.producer_id.value(), producer.producer_epoch, 2);
  produced = c.request<ProduceApi>(produce_request, 12);
  EXPECT_EQ(produced.responses.at(0).partition_responses.at(0).error_code, ErrorCode::InvalidProducerEpoch);
  EXPECT_EQ(broker_->abort_timed_out_transactions(), 0u);
}

TEST_F(TransactionLoops, IdleTransactionalIdsExpire) {
  auto c = connect();
  ASSERT_EQ(init(c, "idle-tx", 60000).error_code, ErrorCode::None);
  size_t expired = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (expired == 0 && std::chrono::steady_clock::now() < deadline) expired = broker_->expire_transactional_ids();
  EXPECT_EQ(expired, 1u);
  EXPECT_EQ(describe(c, "idle-tx").error_code, ErrorCode::TransactionalIdNotFound);
}

}  // namespace
}  // namespace kafkalite::testing
