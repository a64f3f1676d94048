#include "bus/oslo.hpp"

#include <gtest/gtest.h>

#include "common/ids.hpp"
#include "common/time_format.hpp"

namespace steward::bus {
namespace {

using json = nlohmann::json;

sys_time fixed_time() { return *timefmt::parse_iso("2024-05-01T12:00:00.123456"); }

TEST(Oslo, MakeNotificationFillsEveryField) {
  auto n = make_notification("steward.node1", "lease.create.end", "info",
                             json{{"id", "L1"}}, fixed_time());
  EXPECT_TRUE(is_uuid(n.message_id));
  EXPECT_EQ(n.publisher_id, "steward.node1");
  EXPECT_EQ(n.event_type, "lease.create.end");
  EXPECT_EQ(n.priority, "INFO");
  EXPECT_EQ(n.payload, (json{{"id", "L1"}}));
  EXPECT_EQ(n.timestamp.substr(0, 19), "2024-05-01 12:00:00");
  EXPECT_EQ(n.timestamp.find('T'), std::string::npos);
}

TEST(Oslo, NullPayloadBecomesEmptyObject) {
  auto n = make_notification("p", "e", "INFO", nullptr, fixed_time());
  EXPECT_TRUE(n.payload.is_object());
  EXPECT_TRUE(n.payload.empty());
}

TEST(Oslo, EncodeV2HasTheEnvelopeWithAStringInside) {
  auto n = make_notification("p", "instance.create.end", "info", json{{"a", 1}}, fixed_time());
  json outer = json::parse(encode_v2(n));
  ASSERT_TRUE(outer.is_object());
  EXPECT_EQ(outer.size(), 2u);
  EXPECT_EQ(outer["oslo.version"], "2.0");
  ASSERT_TRUE(outer["oslo.message"].is_string());
  json inner = json::parse(outer["oslo.message"].get<std::string>());
  EXPECT_EQ(inner["message_id"], n.message_id);
  EXPECT_EQ(inner["publisher_id"], "p");
  EXPECT_EQ(inner["event_type"], "instance.create.end");
  EXPECT_EQ(inner["priority"], "INFO");
  EXPECT_EQ(inner["payload"], (json{{"a", 1}}));
  EXPECT_EQ(inner["timestamp"], n.timestamp);
}

TEST(Oslo, RoundTrip) {
  json payload = {{"nova_object.data", {{"uuid", make_uuid()}, {"host", "h1"}}},
                  {"list", {1, 2, 3}},
                  {"text", "ünïcødé \"quoted\""}};
  auto n = make_notification("nova-compute:h1", "instance.update", "warn", payload, fixed_time());
  std::string error;
  auto back = decode(encode_v2(n), error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->message_id, n.message_id);
  EXPECT_EQ(back->publisher_id, n.publisher_id);
  EXPECT_EQ(back->event_type, n.event_type);
  EXPECT_EQ(back->priority, "WARN");
  EXPECT_EQ(back->timestamp, n.timestamp);
  EXPECT_EQ(back->payload, payload);
}

TEST(Oslo, DecodesABare10Document) {
  json doc = {{"message_id", "m-1"},
              {"publisher_id", "murano"},
              {"event_type", "environment.deploy.end"},
              {"priority", "info"},
              {"payload", {{"id", "E1"}}},
              {"timestamp", "2024-05-01 12:00:00.000001"}};
  std::string error;
  auto n = decode(doc.dump(), error);
  ASSERT_TRUE(n) << error;
  EXPECT_EQ(n->message_id, "m-1");
  EXPECT_EQ(n->publisher_id, "murano");
  EXPECT_EQ(n->event_type, "environment.deploy.end");
  EXPECT_EQ(n->priority, "INFO");
  EXPECT_EQ(n->payload, (json{{"id", "E1"}}));
  EXPECT_EQ(n->timestamp, "2024-05-01 12:00:00.000001");
}

TEST(Oslo, OptionalFieldsMayBeAbsent) {
  std::string error;
  auto n = decode(R"({"event_type": "x.y"})", error);
  ASSERT_TRUE(n) << error;
  EXPECT_EQ(n->event_type, "x.y");
  EXPECT_EQ(n->message_id, "");
  EXPECT_EQ(n->publisher_id, "");
  EXPECT_EQ(n->priority, "");
  EXPECT_EQ(n->timestamp, "");
  EXPECT_TRUE(n->payload.is_object());
  EXPECT_TRUE(n->payload.empty());
}

TEST(Oslo, NullOptionalFieldsCountAsAbsent) {
  std::string error;
  auto n = decode(R"({"event_type": "x.y", "publisher_id": null, "payload": null})", error);
  ASSERT_TRUE(n) << error;
  EXPECT_EQ(n->publisher_id, "");
  EXPECT_TRUE(n->payload.is_object());
}

TEST(Oslo, V2WithoutVersionKeyStillDecodes) {
  json outer = {{"oslo.message", json{{"event_type", "a.b"}}.dump()}};
  std::string error;
  auto n = decode(outer.dump(), error);
  ASSERT_TRUE(n) << error;
  EXPECT_EQ(n->event_type, "a.b");
}

struct malformed_case {
  const char* name;
  std::string body;
  const char* error_contains;
};

std::string v2(const std::string& inner) {
  return json{{"oslo.version", "2.0"}, {"oslo.message", inner}}.dump();
}

TEST(Oslo, MalformedBodiesAreRefusedWithAReason) {
  const std::vector<malformed_case> cases = {
      {"empty", "", "not valid JSON"},
      {"not json", "hello world", "not valid JSON"},
      {"truncated", R"({"event_type": "a")", "not valid JSON"},
      {"array", "[1, 2]", "not a JSON object"},
      {"string", R"("event_type")", "not a JSON object"},
      {"no event_type", R"({"payload": {}})", "no 'event_type'"},
      {"empty event_type", R"({"event_type": ""})", "'event_type' is empty"},
      {"numeric event_type", R"({"event_type": 5})", "'event_type' is not a string"},
      {"numeric message_id", R"({"event_type": "a", "message_id": 7})", "'message_id' is not a string"},
      {"object publisher_id", R"({"event_type": "a", "publisher_id": {}})", "'publisher_id' is not a string"},
      {"bool priority", R"({"event_type": "a", "priority": true})", "'priority' is not a string"},
      {"numeric timestamp", R"({"event_type": "a", "timestamp": 1714564800})", "'timestamp' is not a string"},
      {"array payload", R"({"event_type": "a", "payload": [1]})", "'payload' is not an object"},
      {"string payload", R"({"event_type": "a", "payload": "x"})", "'payload' is not an object"},
      {"v2 message not a string", R"({"oslo.version": "2.0", "oslo.message": {"event_type": "a"}})",
       "'oslo.message' is not a string"},
      {"v2 message not json", v2("{nope"), "'oslo.message' is not valid JSON"},
      {"v2 message not an object", v2("[1]"), "'oslo.message' is not a JSON object"},
      {"v2 without message", R"({"oslo.version": "2.0"})", "without 'oslo.message'"},
      {"v2 inner no event_type", v2(R"({"payload": {}})"), "no 'event_type'"},
      {"v2 inner wrong payload", v2(R"({"event_type": "a", "payload": 3})"), "'payload' is not an object"},
      {"deep body", R"({"event_type": "a", "payload": {"x": )" + std::string(60000, '[')
                      + std::string(60000, ']') + "}}", "body nests deeper than 32 levels"},
      {"deep v2 message", v2(R"({"event_type": "a", "payload": {"x": )" + std::string(40, '[')
                             + std::string(40, ']') + "}}"),
       "'oslo.message' nests deeper than 32 levels"},
      {"invalid UTF-8", "{\"event_type\": \"a\xff\"}", "body is not valid UTF-8"},
  };
  for (const auto& c : cases) {
    std::string error;
    auto n = decode(c.body, error);
    EXPECT_FALSE(n) << c.name;
    EXPECT_NE(error.find(c.error_contains), std::string::npos)
        << c.name << ": error was '" << error << "'";
  }
}

TEST(Oslo, TheDepthLimitIsTheCallers) {
  // The envelope and the payload object, then four arrays: six levels.
  std::string body = R"({"event_type": "a", "payload": {"x": )" + std::string(4, '[')
                     + std::string(4, ']') + "}}";
  std::string error;
  EXPECT_TRUE(decode(body, error, 6)) << error;
  EXPECT_FALSE(decode(body, error, 5));
}

TEST(Oslo, RoutingKeyIsTopicDotLowerPriority) {
  EXPECT_EQ(routing_key("notifications", "INFO"), "notifications.info");
  EXPECT_EQ(routing_key("versioned_notifications", "error"), "versioned_notifications.error");
}

} // namespace
} // namespace steward::bus
