// The console's parts that need no cluster: URL handling, the router, live
// views' rules, request summaries, and the broker's journal.
#include <gtest/gtest.h>

#include "common/observe/journal.h"
#include "console/api/request_summary.h"
#include "console/live.h"
#include "console/router.h"

namespace kafkalite::console {
namespace {

TEST(ConsoleHttp, DecodesPathsAndQueries) {
  EXPECT_EQ(url_decode("a%20b%2Fc+d", false), "a b/c+d");
  EXPECT_EQ(url_decode("a%20b+d", true), "a b d");
  EXPECT_EQ(url_decode("bad%zz%4", false), "bad%zz%4");
  auto q = parse_query("seek=earliest&q=Hello+Kafka&from=0%3A5&flag");
  EXPECT_EQ(q["seek"], "earliest");
  EXPECT_EQ(q["q"], "Hello Kafka");
  EXPECT_EQ(q["from"], "0:5");
  EXPECT_EQ(q["flag"], "");
  std::string path;
  split_target("/api/groups/a%2Fb?x=1", path, q);
  EXPECT_EQ(path, "/api/groups/a%2Fb");
  EXPECT_EQ(q["x"], "1");
}

TEST(ConsoleRouter, MatchesSegmentsAndDecodesEachOne) {
  Router router;
  router.add("GET", "/api/groups/{group}", [](const Request& r) { return json_response({{"group", r.param("group")}}); });
  router.add("GET", "/api/boom", [](const Request&) -> Response { throw std::runtime_error("kaput"); });
  Request r{"GET", "/api/groups/a%2Fb", {}, {}, "", ""};
  Response answer = router.handle(r);
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(json::parse(answer.body)["group"], "a/b");  // a group id may hold a '/'
  r.method = "DELETE";
  EXPECT_EQ(router.handle(r).status, 405);
  r.path = "/api/nothing";
  EXPECT_EQ(router.handle(r).status, 404);
  r = Request{"GET", "/api/boom", {}, {}, "", ""};
  answer = router.handle(r);
  EXPECT_EQ(answer.status, 500);
  EXPECT_EQ(json::parse(answer.body)["message"], "kaput");
}

TEST(ConsoleLive, SnapshotsAreSentWhenTheyChange) {
  Router router;
  int value = 1;
  router.add("GET", "/api/v", [&](const Request&) { return json_response({{"v", value}}); });
  Request open{"GET", "/api/live", {{"path", "/api/v"}, {"interval", "10"}}, {}, "", ""};
  Response error;
  auto view = LiveView::open(open, error);
  ASSERT_TRUE(view);
  EXPECT_EQ(view->interval().count(), 250);  // at least 250 ms
  EXPECT_TRUE(view->next(router));
  EXPECT_FALSE(view->next(router));
  value = 2;
  EXPECT_EQ(*view->next(router), R"({"v":2})");
}

TEST(ConsoleLive, StreamsContinueFromTheirCursor) {
  Router router;
  std::vector<std::string> seen;
  router.add("GET", "/api/s", [&](const Request& r) {
    seen.push_back(r.query_value("after").value_or("-"));
    const bool fresh = seen.size() == 3;
    return json_response({{"events", fresh ? json::array({1}) : json::array()}, {"next", {{"after", "7"}}}});
  });
  Request open{"GET", "/api/live", {{"path", "/api/s?limit=5"}}, {}, "", ""};
  Response error;
  auto view = LiveView::open(open, error);
  ASSERT_TRUE(view);
  EXPECT_TRUE(view->next(router));   // the first answer, even empty
  EXPECT_FALSE(view->next(router));  // nothing new
  EXPECT_TRUE(view->next(router));   // an event
  EXPECT_EQ(seen, (std::vector<std::string>{"-", "7", "7"}));
}

TEST(ConsoleLive, RefusesWhatCannotBeWatched) {
  Response error;
  Request open{"GET", "/api/live", {{"path", "/api/live?path=x"}}, {}, "", ""};
  EXPECT_FALSE(LiveView::open(open, error));
  EXPECT_EQ(error.status, 400);
  open.query = {{"path", "/etc/passwd"}};
  EXPECT_FALSE(LiveView::open(open, error));
  open.query = {{"path", "/api/topics"}, {"interval", "soon"}};
  EXPECT_FALSE(LiveView::open(open, error));
}

TEST(ConsoleRequestLog, SummarisesInTheLabsWords) {
  json produce = {{"api", "Produce"},
                  {"request", {{"Acks", -1},
                               {"TopicData", {{{"Name", "hello-kafka"},
                                               {"PartitionData", {{{"Index", 0},
                                                                   {"Records", {{{"record_count", 5}}}}}}}}}}}},
                  {"response", {{"Responses", {{{"Name", "hello-kafka"},
                                                {"PartitionResponses", {{{"Index", 0}, {"ErrorCode", 0},
                                                                         {"BaseOffset", 10}}}}}}}}}};
  auto s = api::summarize(produce, {});
  EXPECT_EQ(s.request, "acks=-1; hello-kafka[0]: 1 batch(es), 5 record(s)");
  EXPECT_EQ(s.response, "hello-kafka[0] stored at offset 10");
  EXPECT_EQ(s.error, "");

  json fetch = {{"api", "Fetch"},
                {"request", {{"MaxWaitMs", 500},
                             {"Topics", {{{"TopicId", "abc"}, {"Partitions", {{{"Partition", 0}, {"FetchOffset", 3}}}}}}}}},
                {"response", {{"Responses", {{{"TopicId", "abc"},
                                              {"Partitions", {{{"PartitionIndex", 0}, {"ErrorCode", 1},
                                                               {"HighWatermark", -1}}}}}}}}}};
  s = api::summarize(fetch, {{"abc", "hello-kafka"}});
  EXPECT_EQ(s.request, "hello-kafka[0] from offset 3; waits up to 500 ms");
  EXPECT_EQ(s.error, "OFFSET_OUT_OF_RANGE");
  EXPECT_NE(s.response.find("OFFSET_OUT_OF_RANGE"), std::string::npos);

  json acks0 = {{"api", "Produce"}, {"request", {{"Acks", 0}, {"TopicData", json::array()}}}, {"response", nullptr}};
  EXPECT_EQ(api::summarize(acks0, {}).response, "no response (acks=0)");
}

TEST(ObserveJournal, KeepsTheNewestEventsInOrder) {
  observe::Journal journal(3);
  for (int i = 1; i <= 5; ++i) journal.publish(observe::Stream::kGroups, std::to_string(i));
  auto events = journal.read(observe::Stream::kGroups, 0, 10);
  ASSERT_EQ(events.size(), 3u);  // bounded: the oldest went
  EXPECT_EQ(events.front().seq, 3u);
  EXPECT_EQ(events.back().json, "5");
  EXPECT_EQ(journal.read(observe::Stream::kGroups, 4, 10).size(), 1u);
  EXPECT_EQ(journal.read(observe::Stream::kGroups, 5, 10).size(), 0u);
  EXPECT_EQ(journal.last_seq(observe::Stream::kGroups), 5u);
  EXPECT_EQ(journal.last_seq(observe::Stream::kRequests), 0u);
}

TEST(ObserveJournal, IsBoundedInBytesToo) {
  observe::Journal journal(100, 10);
  journal.publish(observe::Stream::kRequests, "12345");
  journal.publish(observe::Stream::kRequests, "67890");
  journal.publish(observe::Stream::kRequests, "abc");
  auto events = journal.read(observe::Stream::kRequests, 0, 10);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events.front().json, "67890");
  journal.publish(observe::Stream::kRequests, std::string(50, 'x'));  // larger than the bound: kept alone
  EXPECT_EQ(journal.read(observe::Stream::kRequests, 0, 10).size(), 1u);
}

TEST(ObserveJournal, RecordsRequestsOnlyWhileSomeoneReads) {
  observe::Journal journal;
  EXPECT_FALSE(journal.wants_requests());
  journal.read(observe::Stream::kGroups, 0, 1);
  EXPECT_FALSE(journal.wants_requests());
  journal.read(observe::Stream::kRequests, 0, 1);
  EXPECT_TRUE(journal.wants_requests());
}

}  // namespace
}  // namespace kafkalite::console
