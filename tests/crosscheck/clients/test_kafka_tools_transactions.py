"""Transactions through Kafka's shell tools: the console consumer's
--isolation-level four ways (Kafka's tool and kafkalite's, against both
brokers), and Kafka's kafka-transactions.sh (list, describe,
describe-producers) against both brokers. The transactions are written by
librdkafka's transactional producer: one committed, one aborted, one left
open."""

from confluent_kafka import Producer

from conftest import crosscheck
from test_kafka_tools import four_ways, tool


def write_transactions(bootstrap, topic, transactional_id, leave_open):
    producer = Producer({"bootstrap.servers": bootstrap, "transactional.id": transactional_id, "linger.ms": 0})
    producer.init_transactions(30)
    for label, count, commit in (("committed", 3, True), ("aborted", 2, False)):
        producer.begin_transaction()
        for i in range(count):
            producer.produce(topic, key=f"{label}-{i}", value=f"{label} {i}", partition=0)
        producer.flush(30)
        (producer.commit_transaction if commit else producer.abort_transaction)(30)
    if leave_open:
        producer.begin_transaction()
        producer.produce(topic, key="open", value="open 0", partition=0)
        producer.flush(30)
    return producer


def isolation_steps(run, prefix):
    topic = prefix + "-txn"
    steps = [run("topics", "--create", "--topic", topic, "--partitions", "1", "--replication-factor", "1")]
    producer = write_transactions(run.bootstrap, topic, prefix + "-tx", leave_open=False)
    del producer
    for level, count in (("read_committed", 3), ("read_uncommitted", 5)):
        steps.append((level, run("console-consumer", "--topic", topic, "--partition", "0", "--offset", "earliest",
                                 "--isolation-level", level, "--max-messages", str(count), "--timeout-ms", "30000",
                                 "--property", "print.key=true", "--property", "print.offset=true")))
    steps.append(("read_committed ends there", run(
        "console-consumer", "--topic", topic, "--partition", "0", "--offset", "earliest",
        "--isolation-level", "read_committed", "--max-messages", "4", "--timeout-ms", "3000")))
    run("topics", "--delete", "--topic", topic)
    return steps


def test_console_consumer_isolation_level(targets):
    four_ways(targets, isolation_steps)


MACHINE_COLUMNS = {"ProducerId", "TransactionDurationMs", "CurrentTransactionStartTimeMs", "LastTimestamp"}


def table(lines, keep=lambda row: True):
    """The tool's table as rows of cells, with the columns that hold ids
    the brokers hand out and clocks masked."""
    if not lines:
        return []
    header = lines[0].split()
    rows = [header]
    for line in lines[1:]:
        cells = line.split()
        if keep(cells):
            rows.append([f"<{header[i]}>" if i < len(header) and header[i] in MACHINE_COLUMNS and cell != "-1"
                         else cell for i, cell in enumerate(cells)])
    return rows


def transactions_tool(targets, bootstrap, prefix):
    topic, tx = prefix + "-open", prefix + "-tx"
    done = tool(targets.tools_dir, bootstrap, "topics", "--create", "--topic", topic, "--partitions", "1",
                "--replication-factor", "1")
    producer = write_transactions(bootstrap, topic, tx, leave_open=True)
    steps = [done]
    code, out, err = tool(targets.tools_dir, bootstrap, "transactions", "list")
    steps.append(("list", code, table(out, lambda cells: tx in cells), err))
    code, out, err = tool(targets.tools_dir, bootstrap, "transactions", "describe", "--transactional-id", tx)
    steps.append(("describe", code, table(out), err))
    code, out, err = tool(targets.tools_dir, bootstrap, "transactions", "describe-producers", "--topic", topic,
                          "--partition", "0")
    steps.append(("describe-producers", code, table(out), err))
    steps.append(("describe an unknown id", tool(targets.tools_dir, bootstrap, "transactions", "describe",
                                                 "--transactional-id", prefix + "-nobody")[0]))
    producer.abort_transaction(30)
    code, out, err = tool(targets.tools_dir, bootstrap, "transactions", "describe", "--transactional-id", tx)
    steps.append(("after the abort", code, table(out), err))
    return steps


def test_kafka_transactions_tool(targets):
    def kafka_transactions(bootstrap, prefix):
        return transactions_tool(targets, bootstrap, prefix)
    crosscheck(targets, kafka_transactions)
