// Transactions (KIP-98, KIP-447, KIP-890): the transaction coordinator's
// answers, markers in the log, read_committed fetches and offsets, fencing,
// timeouts and the error paths — as the client sees them with transaction
// version 1 (the old request versions librdkafka uses) and 2 (the new ones
// the Java client uses against a 4.1.1).
#include "common/java_hash.h"
#include "tests/crosscheck/offsets_records.h"
#include "tests/crosscheck/requests.h"
#include "tests/crosscheck/scenario.h"

namespace kafkalite::crosscheck {
namespace {

bool coordinator_ready(ErrorCode e) {
  // A just-created __transaction_state is loading on Kafka for a moment.
  return e != ErrorCode::CoordinatorNotAvailable && e != ErrorCode::CoordinatorLoadInProgress &&
         e != ErrorCode::NotCoordinator;
}

// A just-started Kafka creates __transaction_state on the first
// FindCoordinator for a transactional id, then loads its 50 partitions:
// wait (unrecorded) until it answers, then until the id's partition serves.
void await_transaction_coordinator(Session& s, const std::string& id) {
  FindCoordinatorRequest find;
  find.key_type = 1;
  find.coordinator_keys = {id};
  Session::poll([&] {
    auto r = s.quiet<FindCoordinatorApi>(find);
    return !r.coordinators.empty() && coordinator_ready(r.coordinators[0].error_code);
  });
  DescribeTransactionsRequest describe;
  describe.transactional_ids.push_back(TransactionalId(id));
  Session::poll([&] {
    auto r = s.quiet<DescribeTransactionsApi>(describe);
    return !r.transaction_states.empty() && coordinator_ready(r.transaction_states[0].error_code);
  });
}

InitProducerIdResponse init_transactional(Session& s, const std::string& label, const std::string& id,
                                          int32_t timeout_ms = 60000, int16_t version = 5) {
  await_transaction_coordinator(s, id);
  InitProducerIdRequest init;
  init.transactional_id = TransactionalId(id);
  init.transaction_timeout_ms = timeout_ms;
  return s.call_when<InitProducerIdApi>(
      label, init, [](const auto& r) { return coordinator_ready(r.error_code); }, version);
}

// A transactional batch of `count` records "<prefix>N" from `sequence`.
wire::Bytes txn_batch(Session& s, int64_t producer_id, int16_t epoch, int32_t sequence, int count,
                      const std::string& prefix, bool transactional = true) {
  records::BatchBuilder b;
  b.producer_id = producer_id;
  b.producer_epoch = epoch;
  b.base_sequence = sequence;
  b.base_timestamp = s.base_time_ms();
  b.transactional = transactional;
  for (int i = 0; i < count; ++i) {
    const std::string v = prefix + std::to_string(sequence + i);
    b.add(s.base_time_ms() + i, std::nullopt, wire::Bytes(v.begin(), v.end()));
  }
  return b.build();
}

ProduceRequest txn_produce(Session& s, const std::string& id, const std::string& topic, int32_t partition,
                           wire::Bytes batch) {
  ProduceRequest request = produce_request(s, topic, partition, std::move(batch));
  request.transactional_id = TransactionalId(id);
  return request;
}

AddPartitionsToTxnRequest add_partitions(const std::string& id, int64_t producer_id, int16_t epoch,
                                         const std::string& topic, std::vector<int32_t> partitions) {
  AddPartitionsToTxnRequest request;
  request.v3_and_below_transactional_id = TransactionalId(id);
  request.v3_and_below_producer_id = ProducerId(producer_id);
  request.v3_and_below_producer_epoch = epoch;
  auto& t = request.v3_and_below_topics.emplace_back();
  t.name = TopicName(topic);
  t.partitions = std::move(partitions);
  return request;
}

EndTxnRequest end_txn(const std::string& id, int64_t producer_id, int16_t epoch, bool commit) {
  EndTxnRequest request;
  request.transactional_id = TransactionalId(id);
  request.producer_id = ProducerId(producer_id);
  request.producer_epoch = epoch;
  request.committed = commit;
  return request;
}

DescribeTransactionsRequest describe(const std::string& id) {
  DescribeTransactionsRequest request;
  request.transactional_ids.push_back(TransactionalId(id));
  return request;
}

// Kafka writes markers after answering EndTxn: wait (unrecorded) until the
// transaction is in `state`, then record it.
void await_txn_state(Session& s, const std::string& label, const std::string& id, const std::string& state) {
  s.call_when<DescribeTransactionsApi>(label, describe(id), [&](const DescribeTransactionsResponse& r) {
    return !r.transaction_states.empty() && r.transaction_states[0].transaction_state == state;
  });
}

FetchRequest fetch_isolated(Session& s, const std::string& topic, int32_t partition, int64_t offset,
                            int8_t isolation) {
  FetchRequest request = fetch_request(s, topic, partition, offset);
  request.isolation_level = isolation;
  return request;
}

ListOffsetsRequest latest(const std::string& topic, int32_t partition, int8_t isolation) {
  ListOffsetsRequest request = list_offsets_request(topic, partition, -1);
  request.isolation_level = isolation;
  return request;
}

DescribeProducersRequest describe_producers(const std::string& topic, int32_t partition) {
  DescribeProducersRequest request;
  auto& t = request.topics.emplace_back();
  t.name = TopicName(topic);
  t.partition_indexes = {partition};
  return request;
}

TxnOffsetCommitRequest txn_offsets(const std::string& id, const std::string& group, int64_t producer_id,
                                   int16_t epoch, const std::string& topic, int64_t offset) {
  TxnOffsetCommitRequest request;
  request.transactional_id = TransactionalId(id);
  request.group_id = GroupId(group);
  request.producer_id = ProducerId(producer_id);
  request.producer_epoch = epoch;
  auto& t = request.topics.emplace_back();
  t.name = TopicName(topic);
  auto& p = t.partitions.emplace_back();
  p.partition_index = 0;
  p.committed_offset = offset;
  return request;
}

OffsetFetchRequest offset_fetch(const std::string& group, const std::string& topic, bool require_stable) {
  OffsetFetchRequest request;
  auto& g = request.groups.emplace_back();
  g.group_id = GroupId(group);
  g.topics.emplace();
  auto& t = g.topics->emplace_back();
  t.name = TopicName(topic);
  t.partition_indexes = {0};
  request.require_stable = require_stable;
  return request;
}

}  // namespace

// Transaction version 1, as librdkafka speaks it: AddPartitionsToTxn, Produce
// v9, AddOffsetsToTxn, TxnOffsetCommit v3 and EndTxn v3; a commit, then an
// abort, seen by read_uncommitted and read_committed readers.
CROSSCHECK_SCENARIO(transactions_commit_and_abort_v1, "") {
  const std::string topic = s.name("txn");
  const std::string id = s.name("tx");
  const std::string group = s.name("group");
  s.create_topic(topic, 1);
  await_group_coordinator(s, {group});
  // Where the group's records will start in its partition of __consumer_offsets.
  const int32_t offsets_partition = java::partition_for(group, 50);
  const int64_t offsets_from =
      s.quiet<ListOffsetsApi>(list_offsets_request("__consumer_offsets", offsets_partition, -1))
          .topics.at(0).partitions.at(0).offset;
  FindCoordinatorRequest find;
  find.key_type = 1;
  find.coordinator_keys = {id};
  s.call_when<FindCoordinatorApi>("the transaction coordinator", find, [](const FindCoordinatorResponse& r) {
    return !r.coordinators.empty() && coordinator_ready(r.coordinators[0].error_code);
  });
  auto init = init_transactional(s, "init", id, 60000, 3);
  const int64_t pid = init.producer_id.value();
  const int16_t epoch = init.producer_epoch;
  s.call<DescribeTransactionsApi>("before any transaction", describe(id));
  s.call<AddPartitionsToTxnApi>("add the partition", add_partitions(id, pid, epoch, topic, {0}), 3);
  s.call<DescribeTransactionsApi>("ongoing", describe(id));
  s.call<ProduceApi>("3 records in the transaction", txn_produce(s, id, topic, 0, txn_batch(s, pid, epoch, 0, 3, "c")),
                     9);
  s.call<ListOffsetsApi>("latest, read_uncommitted", latest(topic, 0, 0));
  s.call<ListOffsetsApi>("latest, read_committed: the last stable offset", latest(topic, 0, 1));
  s.call<FetchApi>("read_uncommitted sees the open transaction", fetch_isolated(s, topic, 0, 0, 0));
  s.call<FetchApi>("read_committed sees nothing yet", fetch_isolated(s, topic, 0, 0, 1));
  s.call<DescribeProducersApi>("the open transaction's start offset", describe_producers(topic, 0));
  AddOffsetsToTxnRequest add_offsets;
  add_offsets.transactional_id = TransactionalId(id);
  add_offsets.producer_id = ProducerId(pid);
  add_offsets.producer_epoch = epoch;
  add_offsets.group_id = GroupId(group);
  s.call<AddOffsetsToTxnApi>("the group's offsets join", add_offsets, 3);
  s.call<TxnOffsetCommitApi>("offsets in the transaction", txn_offsets(id, group, pid, epoch, topic, 3), 3);
  s.call<OffsetFetchApi>("not visible before the commit", offset_fetch(group, topic, false));
  s.call<OffsetFetchApi>("require_stable: unstable", offset_fetch(group, topic, true));
  s.call<EndTxnApi>("commit", end_txn(id, pid, epoch, true), 3);
  await_txn_state(s, "committed", id, "CompleteCommit");
  s.call<EndTxnApi>("commit again: a retry", end_txn(id, pid, epoch, true), 3);
  s.call<FetchApi>("read_committed after the commit", fetch_isolated(s, topic, 0, 0, 1));
  s.call<OffsetFetchApi>("the offsets after the commit", offset_fetch(group, topic, true));
  s.call<ListOffsetsApi>("latest, read_committed after the commit", latest(topic, 0, 1));

  s.call<AddPartitionsToTxnApi>("a second transaction", add_partitions(id, pid, epoch, topic, {0}), 3);
  s.call<ProduceApi>("2 records, to be aborted", txn_produce(s, id, topic, 0, txn_batch(s, pid, epoch, 3, 2, "a")), 9);
  s.call<EndTxnApi>("abort", end_txn(id, pid, epoch, false), 3);
  await_txn_state(s, "aborted", id, "CompleteAbort");
  s.call<EndTxnApi>("abort again: a retry", end_txn(id, pid, epoch, false), 3);
  s.call<EndTxnApi>("commit after the abort", end_txn(id, pid, epoch, true), 3);
  s.call<FetchApi>("read_committed: the aborted transaction listed", fetch_isolated(s, topic, 0, 0, 1));
  s.call<FetchApi>("read_committed from the aborted data", fetch_isolated(s, topic, 0, 4, 1));
  s.call<FetchApi>("read_uncommitted: everything with markers", fetch_isolated(s, topic, 0, 0, 0));
  s.call<DescribeProducersApi>("after the markers", describe_producers(topic, 0));
  s.call<ListOffsetsApi>("latest, read_committed after the abort", latest(topic, 0, 1));
  // The transactional offset commit in __consumer_offsets: the transaction's
  // batch, then the markers of both transactions (the group joined the first).
  s.note("the group's records in __consumer_offsets",
         offsets_batches(s.quiet<FetchApi>(fetch_request(s, "__consumer_offsets", offsets_partition, offsets_from)),
                         group, pid));
}

// Transaction version 2, as the Java client speaks it against 4.1.1: no
// AddPartitionsToTxn (Produce v12 adds the partition), no AddOffsetsToTxn
// (TxnOffsetCommit v5 adds the group), and EndTxn v5 bumps the epoch.
CROSSCHECK_SCENARIO(transactions_version_2, "") {
  const std::string topic = s.name("txn2");
  const std::string id = s.name("tx2");
  const std::string group = s.name("group2");
  s.create_topic(topic, 2);
  await_group_coordinator(s, {group});
  auto init = init_transactional(s, "init", id);
  const int64_t pid = init.producer_id.value();
  int16_t epoch = init.producer_epoch;
  s.call<ProduceApi>("Produce v12 adds the partition",
                     txn_produce(s, id, topic, 0, txn_batch(s, pid, epoch, 0, 2, "x")), 12);
  s.call<ProduceApi>("and the second", txn_produce(s, id, topic, 1, txn_batch(s, pid, epoch, 0, 1, "y")), 12);
  s.call<DescribeTransactionsApi>("both partitions in it", describe(id));
  s.call<TxnOffsetCommitApi>("TxnOffsetCommit v5 adds the group", txn_offsets(id, group, pid, epoch, topic, 2), 5);
  s.call<DescribeTransactionsApi>("the group's offsets partition in it", describe(id));
  s.call<OffsetFetchApi>("require_stable: unstable", offset_fetch(group, topic, true));
  auto committed = s.call<EndTxnApi>("commit: the epoch bumped", end_txn(id, pid, epoch, true), 5);
  await_txn_state(s, "committed", id, "CompleteCommit");
  s.call<EndTxnApi>("the same commit retried", end_txn(id, pid, epoch, true), 5);
  epoch = committed.producer_epoch;
  s.call<EndTxnApi>("commit with nothing open", end_txn(id, pid, epoch, true), 5);
  s.call<OffsetFetchApi>("the offsets after the commit", offset_fetch(group, topic, true));
  s.call<DescribeProducersApi>("after the bumped marker", describe_producers(topic, 0));
  s.call<ProduceApi>("the old epoch is fenced", txn_produce(s, id, topic, 0, txn_batch(s, pid, epoch - 1, 2, 1, "z")),
                     12);
  s.call<ProduceApi>("the new epoch starts at sequence 0",
                     txn_produce(s, id, topic, 0, txn_batch(s, pid, epoch, 0, 2, "n")), 12);
  auto aborted = s.call<EndTxnApi>("abort", end_txn(id, pid, epoch, false), 5);
  await_txn_state(s, "aborted", id, "CompleteAbort");
  s.call<FetchApi>("read_committed", fetch_isolated(s, topic, 0, 0, 1));
  s.call<EndTxnApi>("abort with nothing open bumps again", end_txn(id, pid, aborted.producer_epoch, false), 5);
  await_txn_state(s, "after the empty abort", id, "CompleteAbort");
}

// AddPartitionsToTxn v4+, the form a partition leader sends its
// coordinator for the transactional batches it receives: several
// transactions at once, each verified only or added.
CROSSCHECK_SCENARIO(transactions_broker_form, "") {
  const std::string topic = s.name("lead");
  const std::string id = s.name("txb");
  s.create_topic(topic, 2);
  auto init = init_transactional(s, "init", id);
  const int64_t pid = init.producer_id.value();
  const int16_t epoch = init.producer_epoch;
  s.call<ProduceApi>("Produce v12 adds partition 0", txn_produce(s, id, topic, 0, txn_batch(s, pid, epoch, 0, 1, "b")),
                     12);
  auto transaction = [&](const std::string& tid, int64_t producer, int16_t e, bool verify_only,
                         std::vector<int32_t> partitions, const std::string& topic_name) {
    AddPartitionsToTxnRequest::AddPartitionsToTxnTransaction t;
    t.transactional_id = TransactionalId(tid);
    t.producer_id = ProducerId(producer);
    t.producer_epoch = e;
    t.verify_only = verify_only;
    auto& tt = t.topics.emplace_back();
    tt.name = TopicName(topic_name);
    tt.partitions = std::move(partitions);
    return t;
  };
  AddPartitionsToTxnRequest verify;
  verify.transactions.push_back(transaction(id, pid, epoch, true, {0, 1}, topic));
  verify.transactions.push_back(transaction(s.name("nobody"), pid, epoch, true, {0}, topic));
  s.call<AddPartitionsToTxnApi>("verify: one in, one not; an unknown id", verify, 5);
  AddPartitionsToTxnRequest stale;
  stale.transactions.push_back(transaction(id, pid, static_cast<int16_t>(epoch + 1), true, {0}, topic));
  s.call<AddPartitionsToTxnApi>("verify with a wrong epoch", stale, 5);
  AddPartitionsToTxnRequest add;
  add.transactions.push_back(transaction(id, pid, epoch, false, {1}, topic));
  s.call<AddPartitionsToTxnApi>("add partition 1 (v4)", add, 4);
  s.call<DescribeTransactionsApi>("both partitions in it", describe(id));
  AddPartitionsToTxnRequest unknown;
  unknown.transactions.push_back(transaction(id, pid, epoch, false, {0, 9}, topic));
  s.call<AddPartitionsToTxnApi>("an unknown partition", unknown, 5);
  s.call<EndTxnApi>("abort", end_txn(id, pid, epoch, false), 5);
  await_txn_state(s, "aborted", id, "CompleteAbort");
}

// A second producer with the same transactional id fences the first: its
// open transaction is aborted (CONCURRENT_TRANSACTIONS until it is), and
// the first producer's requests are refused.
CROSSCHECK_SCENARIO(transactions_fencing, "") {
  const std::string topic = s.name("fence");
  const std::string id = s.name("txf");
  s.create_topic(topic, 1);
  auto first = init_transactional(s, "the first producer", id, 60000, 3);
  const int64_t pid = first.producer_id.value();
  const int16_t epoch = first.producer_epoch;
  s.call<AddPartitionsToTxnApi>("add", add_partitions(id, pid, epoch, topic, {0}), 3);
  s.call<ProduceApi>("2 records", txn_produce(s, id, topic, 0, txn_batch(s, pid, epoch, 0, 2, "f")), 9);
  InitProducerIdRequest again;
  again.transactional_id = TransactionalId(id);
  again.transaction_timeout_ms = 60000;
  s.call<InitProducerIdApi>("a second producer: the open transaction is aborted first", again, 3);
  s.call_when<InitProducerIdApi>(
      "the second producer, once it is", again,
      [](const InitProducerIdResponse& r) { return r.error_code != ErrorCode::ConcurrentTransactions; }, 3);
  await_txn_state(s, "fenced and aborted", id, "Empty");
  s.call<ProduceApi>("the first producer's next batch", txn_produce(s, id, topic, 0, txn_batch(s, pid, epoch, 2, 1, "f")),
                     9);
  s.call<AddPartitionsToTxnApi>("the first producer adds a partition", add_partitions(id, pid, epoch, topic, {0}), 3);
  s.call<AddPartitionsToTxnApi>("the same at v1", add_partitions(id, pid, epoch, topic, {0}), 1);
  s.call<EndTxnApi>("the first producer commits", end_txn(id, pid, epoch, true), 3);
  s.call<EndTxnApi>("the same at v1", end_txn(id, pid, epoch, true), 1);
  s.call<FetchApi>("read_committed: nothing of the first", fetch_isolated(s, topic, 0, 0, 1));
  s.call<DescribeProducersApi>("the fenced epoch in the log", describe_producers(topic, 0));
}

// The coordinator aborts a transaction open longer than its timeout
// (transaction.abort.timed.out.transaction.cleanup.interval.ms is 1 s on
// both brokers here), fencing its producer.
CROSSCHECK_SCENARIO(transactions_timeout, "") {
  const std::string topic = s.name("slow");
  const std::string id = s.name("txt");
  s.create_topic(topic, 1);
  auto init = init_transactional(s, "init with a 1 s timeout", id, 1000, 3);
  const int64_t pid = init.producer_id.value();
  const int16_t epoch = init.producer_epoch;
  s.call<AddPartitionsToTxnApi>("add", add_partitions(id, pid, epoch, topic, {0}), 3);
  s.call<ProduceApi>("a record", txn_produce(s, id, topic, 0, txn_batch(s, pid, epoch, 0, 1, "t")), 9);
  await_txn_state(s, "aborted by its timeout", id, "CompleteAbort");
  s.call<ProduceApi>("the producer's next batch", txn_produce(s, id, topic, 0, txn_batch(s, pid, epoch, 1, 1, "t")), 9);
  s.call<EndTxnApi>("the producer commits", end_txn(id, pid, epoch, true), 3);
  s.call<FetchApi>("read_committed", fetch_isolated(s, topic, 0, 0, 1));
  s.call<ListOffsetsApi>("latest, read_committed", latest(topic, 0, 1));
  InitProducerIdRequest again;
  again.transactional_id = TransactionalId(id);
  again.transaction_timeout_ms = 1000;
  again.producer_id = ProducerId(pid);
  again.producer_epoch = epoch;
  s.call<InitProducerIdApi>("KIP-360: the producer recovers with its old epoch", again, 4);
}

// Kafka's answers to requests that break the rules.
CROSSCHECK_SCENARIO(transactions_error_paths, "") {
  const std::string topic = s.name("bad");
  const std::string id = s.name("txe");
  const std::string group = s.name("gbad");
  s.create_topic(topic, 1);
  await_group_coordinator(s, {group});
  InitProducerIdRequest too_long;
  too_long.transactional_id = TransactionalId(id);
  too_long.transaction_timeout_ms = 900001;
  s.call_when<InitProducerIdApi>(
      "a timeout above transaction.max.timeout.ms", too_long,
      [](const InitProducerIdResponse& r) { return coordinator_ready(r.error_code); }, 5);
  InitProducerIdRequest half = too_long;
  half.transaction_timeout_ms = 60000;
  half.producer_id = ProducerId(5);
  s.call<InitProducerIdApi>("a producer id without an epoch", half, 5);
  InitProducerIdRequest empty_id = half;
  empty_id.producer_id = ProducerId(-1);
  empty_id.transactional_id = TransactionalId("");
  s.call<InitProducerIdApi>("an empty transactional id", empty_id, 5);
  s.call<EndTxnApi>("EndTxn for an unknown id", end_txn(s.name("nobody"), 1, 0, true), 3);
  s.call<DescribeTransactionsApi>("an unknown id", describe(s.name("nobody")));
  auto first = init_transactional(s, "init", id, 60000, 3);
  const int64_t pid = first.producer_id.value();
  InitProducerIdRequest idempotent;
  idempotent.transactional_id = std::nullopt;
  idempotent.transaction_timeout_ms = 60000;
  s.call<InitProducerIdApi>("an idempotent producer between: an id of its own", idempotent, 5);
  InitProducerIdRequest again;
  again.transactional_id = TransactionalId(id);
  again.transaction_timeout_ms = 60000;
  auto second = s.call<InitProducerIdApi>("the transactional id again: its id, the next epoch", again, 3);
  const int16_t epoch = second.producer_epoch;
  s.call<EndTxnApi>("the first epoch is fenced", end_txn(id, pid, first.producer_epoch, true), 3);
  s.call<EndTxnApi>("commit with nothing ongoing (v3)", end_txn(id, pid, epoch, true), 3);
  s.call<EndTxnApi>("abort with nothing ongoing (v3)", end_txn(id, pid, epoch, false), 3);
  s.call<EndTxnApi>("a wrong producer id", end_txn(id, pid + 1000, epoch, true), 3);
  s.call<AddPartitionsToTxnApi>("a stale epoch", add_partitions(id, pid, static_cast<int16_t>(epoch - 1), topic, {0}),
                                3);
  AddPartitionsToTxnRequest unknown = add_partitions(id, pid, epoch, topic, {0, 7});
  auto& missing = unknown.v3_and_below_topics.emplace_back();
  missing.name = TopicName(s.name("missing"));
  missing.partitions = {0};
  s.call<AddPartitionsToTxnApi>("an unknown topic and partition", unknown, 3);
  s.call<DescribeTransactionsApi>("still empty", describe(id));
  s.call<ProduceApi>("a transactional batch outside the transaction (v9)",
                     txn_produce(s, id, topic, 0, txn_batch(s, pid, epoch, 0, 1, "o")), 9);
  s.call<ProduceApi>("the same at v11", txn_produce(s, id, topic, 0, txn_batch(s, pid, epoch, 0, 1, "o")), 11);
  ProduceRequest no_id = produce_request(s, topic, 0, txn_batch(s, pid, epoch, 0, 1, "o"));
  s.call<ProduceApi>("transactional records without a transactional id", no_id, 9);
  s.call<ProduceApi>("a wrong producer id", txn_produce(s, id, topic, 0, txn_batch(s, pid + 1000, 0, 0, 1, "o")), 9);
  s.call<TxnOffsetCommitApi>("offsets before AddOffsetsToTxn", txn_offsets(id, group, pid, epoch, topic, 1), 3);
  s.call<TxnOffsetCommitApi>("the same at v4", txn_offsets(id, group, pid, epoch, topic, 1), 4);
  s.call<AddPartitionsToTxnApi>("add", add_partitions(id, pid, epoch, topic, {0}), 3);
  s.call<ProduceApi>("a record", txn_produce(s, id, topic, 0, txn_batch(s, pid, epoch, 0, 1, "o")), 9);
  s.call<ProduceApi>("a plain batch from the same producer",
                     produce_request(s, topic, 0, txn_batch(s, pid, epoch, 1, 1, "p", false)), 9);
  TxnOffsetCommitRequest unknown_offsets = txn_offsets(id, group, pid, epoch, s.name("missing"), 1);
  s.call<TxnOffsetCommitApi>("offsets of an unknown topic", unknown_offsets, 3);
  TxnOffsetCommitRequest generation = txn_offsets(id, group, pid, epoch, topic, 1);
  generation.generation_id = 3;
  generation.member_id = "m";
  s.call<TxnOffsetCommitApi>("a generation for a group that does not exist", generation, 5);
  ListTransactionsRequest list;
  list.state_filters = {"Ongoing", "Sleeping"};
  list.transactional_id_pattern = s.name("txe");
  s.call<ListTransactionsApi>("ongoing, and an unknown state", list, 2);
  ListTransactionsRequest bad_pattern;
  bad_pattern.transactional_id_pattern = "(";
  s.call<ListTransactionsApi>("an invalid pattern", bad_pattern, 2);
  ListTransactionsRequest by_producer;
  by_producer.producer_id_filters = {ProducerId(pid)};
  s.call<ListTransactionsApi>("by producer id", by_producer, 1);
  s.call<EndTxnApi>("abort", end_txn(id, pid, epoch, false), 3);
  await_txn_state(s, "aborted", id, "CompleteAbort");
}

}  // namespace kafkalite::crosscheck

namespace kafkalite::crosscheck {

// What survives a restart: a committed and an aborted transaction (markers,
// the aborted-transaction index), and one left open with records and pending
// offsets — still Ongoing afterwards, holding back read_committed readers and
// require_stable until its producer commits it.
CROSSCHECK_RESTART_SCENARIO(transactions_after_a_restart) {
  const std::string topic = s.name("t");
  const std::string id = s.name("tx");
  const std::string group = s.name("g");
  s.create_topic(topic, 1);
  await_group_coordinator(s, {group});
  auto init = init_transactional(s, "init", id, 60000, 3);
  const int64_t pid = init.producer_id.value();
  const int16_t epoch = init.producer_epoch;
  int32_t sequence = 0;
  for (bool commit : {true, false}) {
    s.call<AddPartitionsToTxnApi>("add", add_partitions(id, pid, epoch, topic, {0}), 3);
    s.call<ProduceApi>("2 records", txn_produce(s, id, topic, 0, txn_batch(s, pid, epoch, sequence, 2, "r")), 9);
    sequence += 2;
    s.call<EndTxnApi>(commit ? "commit" : "abort", end_txn(id, pid, epoch, commit), 3);
    await_txn_state(s, "ended", id, commit ? "CompleteCommit" : "CompleteAbort");
  }
  s.call<AddPartitionsToTxnApi>("add", add_partitions(id, pid, epoch, topic, {0}), 3);
  s.call<ProduceApi>("2 records, left open", txn_produce(s, id, topic, 0, txn_batch(s, pid, epoch, sequence, 2, "o")),
                     9);
  AddOffsetsToTxnRequest add_offsets;
  add_offsets.transactional_id = TransactionalId(id);
  add_offsets.producer_id = ProducerId(pid);
  add_offsets.producer_epoch = epoch;
  add_offsets.group_id = GroupId(group);
  s.call<AddOffsetsToTxnApi>("the group's offsets join", add_offsets, 3);
  s.call<TxnOffsetCommitApi>("offsets in the open transaction", txn_offsets(id, group, pid, epoch, topic, 7), 3);

  s.restart_broker();
  s.await_topic(topic);
  await_group_coordinator(s, {group});
  s.call_when<DescribeTransactionsApi>("still ongoing after the restart", describe(id),
                                       [](const DescribeTransactionsResponse& r) {
                                         return !r.transaction_states.empty() &&
                                                coordinator_ready(r.transaction_states[0].error_code);
                                       });
  s.call<FetchApi>("read_committed: below the open transaction, the aborted one listed",
                   fetch_isolated(s, topic, 0, 0, 1));
  s.call<DescribeProducersApi>("the open transaction's start offset", describe_producers(topic, 0));
  s.call<OffsetFetchApi>("require_stable: unstable", offset_fetch(group, topic, true));
  s.call<EndTxnApi>("the producer commits", end_txn(id, pid, epoch, true), 3);
  await_txn_state(s, "committed", id, "CompleteCommit");
  s.call<OffsetFetchApi>("the offsets committed with it", offset_fetch(group, topic, true));
  // The restart moved the leader epochs two on: the new marker carries the
  // transaction log's (its coordinator epoch) and the partition's.
  s.call<FetchApi>("read_committed after the commit, the new marker included", fetch_isolated(s, topic, 0, 0, 1));
  s.call<DescribeProducersApi>("the producer after the commit", describe_producers(topic, 0));
  s.call<ListOffsetsApi>("the latest offset and its epoch", list_offsets_request(topic, 0, -1));
}

}  // namespace kafkalite::crosscheck
