// The HTTP server over real sockets on 127.0.0.1. Nothing here asserts on
// timing: deadlines only keep a broken server from hanging the test.
#include "http/server.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/ids.hpp"
#include "http/errors.hpp"
#include "common/event_stream.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/eventually.hpp"

namespace steward::http {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;
using steward::test::client;
using steward::test::make_request;

using steward::test::eventually;

response text(const std::string& body, int status = 200) {
  response res;
  res.status = status;
  res.content_type = "text/plain";
  res.body = body;
  return res;
}

json describe(const request& req) {
  json query = json::array();
  for (const auto& [key, value] : req.query)
    query.push_back({key, value});
  return {{"method", req.method},   {"target", req.target},         {"path", req.path},
          {"query", query},         {"headers", req.headers},       {"body", req.body},
          {"request_id", req.request_id}, {"remote", req.remote}};
}

class fn_handler : public request_handler {
public:
  void set(std::function<void(request, respond_fn)> fn) { fn_ = std::move(fn); }
  void handle(request req, respond_fn respond) override { fn_(std::move(req), std::move(respond)); }

private:
  std::function<void(request, respond_fn)> fn_;
};

// The event streams handed out by the /events handler, and how many closed.
struct stream_log {
  void add(const std::shared_ptr<event_stream>& s) {
    s->on_close([this] { ++closed; });
    std::lock_guard<std::mutex> guard{mtx};
    list.push_back(s);
  }
  std::size_t size() {
    std::lock_guard<std::mutex> guard{mtx};
    return list.size();
  }
  std::shared_ptr<event_stream> get(std::size_t i) {
    if (!eventually([&] { return size() > i; }))
      return nullptr;
    std::lock_guard<std::mutex> guard{mtx};
    return list[i];
  }

  std::mutex mtx;
  std::vector<std::shared_ptr<event_stream>> list;
  std::atomic<int> closed{0};
};

// The respond functions a handler kept without calling them.
struct held_responses {
  void add(respond_fn f) {
    std::lock_guard<std::mutex> guard{mtx};
    list.push_back(std::move(f));
  }
  std::size_t size() {
    std::lock_guard<std::mutex> guard{mtx};
    return list.size();
  }
  respond_fn take(std::size_t i) {
    std::lock_guard<std::mutex> guard{mtx};
    return std::move(list.at(i));
  }
  void clear() {
    std::lock_guard<std::mutex> guard{mtx};
    list.clear();
  }

  std::mutex mtx;
  std::vector<respond_fn> list;
};

class HttpServer : public ::testing::Test {
protected:
  static server_options options() {
    server_options o;
    o.bind_port = 0;
    o.io_threads = 2;
    return o;
  }

  void start(server_options o = options()) {
    srv_ = std::make_unique<server>(o, handler_);
    srv_->start();
  }

  uint16_t port() const { return srv_->port(); }

  void echo() {
    handler_.set([](request req, respond_fn respond) {
      response res;
      res.body = describe(req).dump();
      respond(std::move(res));
    });
  }

  // /events answers with a new event stream (which already holds a retry
  // line, pushed before the server attached to it); anything else with its
  // path as text.
  void serve_events(std::size_t max_queued) {
    handler_.set([this, max_queued](request req, respond_fn respond) {
      if (req.path != "/events") {
        respond(text(req.path));
        return;
      }
      auto s = std::make_shared<event_stream>(max_queued);
      s->push_raw("retry: 1000\n\n");
      streams_.add(s);
      response res;
      res.stream = s;
      respond(std::move(res));
    });
  }

  // Runs `f` on a thread of its own, joined when the test ends.
  void later(std::function<void()> f) {
    std::lock_guard<std::mutex> guard{threads_mtx_};
    threads_.emplace_back(std::move(f));
  }

  void TearDown() override {
    {
      std::lock_guard<std::mutex> guard{threads_mtx_};
      for (auto& t : threads_)
        t.join();
      threads_.clear();
    }
    srv_.reset();
  }

  // A fresh connection asks for `target` and expects a 200.
  void expect_serving(const std::string& target = "/ping") {
    client c{port()};
    ASSERT_TRUE(c.connected());
    ASSERT_TRUE(c.send(make_request("GET", target)));
    auto r = c.read_reply();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }

  fn_handler handler_;
  stream_log streams_;
  held_responses held_;
  std::unique_ptr<server> srv_;
  std::mutex threads_mtx_;
  std::vector<std::thread> threads_;
};

// The server's own errors come in Steward's shape (http/errors.hpp).
json error_body(int code, const std::string& message) {
  return {{"error", {{"code", code}, {"title", status_title(code)}, {"message", message}}}};
}

// ---- Plain requests ---------------------------------------------------------

TEST_F(HttpServer, SimpleGetReachesTheHandler) {
  echo();
  start();
  client c{port()};
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.send(make_request("GET", "/hello", "X-Custom-Thing: Some Value\r\n")));
  auto r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("content-type"), "application/json");
  EXPECT_EQ(r->header("server"), "stewardd");
  EXPECT_EQ(r->header("content-length"), std::to_string(r->body.size()));

  auto j = json::parse(r->body);
  EXPECT_EQ(j["method"], "GET");
  EXPECT_EQ(j["path"], "/hello");
  EXPECT_EQ(j["headers"]["x-custom-thing"], "Some Value");
  EXPECT_EQ(j["headers"]["host"], "test");
  EXPECT_EQ(j["remote"].get<std::string>().rfind("127.0.0.1:", 0), 0u);

  std::string id = j["request_id"];
  ASSERT_EQ(id.rfind("req-", 0), 0u);
  EXPECT_TRUE(is_uuid(id.substr(4)));
  EXPECT_EQ(r->header("x-request-id"), id);
  EXPECT_EQ(r->header("x-openstack-request-id"), id);
}

TEST_F(HttpServer, PostBodyReachesTheHandler) {
  echo();
  start();
  client c{port()};
  ASSERT_TRUE(c.send(make_request("POST", "/v1/leases", "Content-Type: application/json\r\n",
                                  "{\"name\": \"lease-1\"}")));
  auto r = c.read_reply();
  ASSERT_TRUE(r);
  auto j = json::parse(r->body);
  EXPECT_EQ(j["method"], "POST");
  EXPECT_EQ(j["body"], "{\"name\": \"lease-1\"}");
  EXPECT_EQ(j["headers"]["content-type"], "application/json");
}

TEST_F(HttpServer, PathAndQueryAreDecoded) {
  echo();
  start();
  client c{port()};
  ASSERT_TRUE(c.send(make_request("GET", "/a%20b/c%2Fd?x=1&y=hello+world&x=2&z=%26amp")));
  auto r = c.read_reply();
  ASSERT_TRUE(r);
  auto j = json::parse(r->body);
  EXPECT_EQ(j["target"], "/a%20b/c%2Fd?x=1&y=hello+world&x=2&z=%26amp");
  EXPECT_EQ(j["path"], "/a b/c/d");
  EXPECT_EQ(j["query"], json::parse(R"([["x","1"],["x","2"],["y","hello world"],["z","&amp"]])"));
}

TEST_F(HttpServer, KeepAliveServesSeveralRequestsOnOneConnection) {
  echo();
  start();
  client c{port()};
  std::vector<std::string> ids;
  for (const char* path : {"/one", "/two", "/three"}) {
    ASSERT_TRUE(c.send(make_request("GET", path)));
    auto r = c.read_reply();
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 200);
    auto j = json::parse(r->body);
    EXPECT_EQ(j["path"], path);
    ids.push_back(j["request_id"]);
  }
  EXPECT_NE(ids[0], ids[1]);
  EXPECT_NE(ids[1], ids[2]);
}

TEST_F(HttpServer, PipelinedRequestsAreAnsweredInOrder) {
  handler_.set([this](request req, respond_fn respond) {
    if (req.path == "/slow") {
      // Answered later than the requests behind it arrive.
      later([respond] {
        std::this_thread::sleep_for(100ms);
        respond(text("slow"));
      });
      return;
    }
    respond(text(req.path));
  });
  start();
  client c{port()};
  ASSERT_TRUE(c.send(make_request("GET", "/slow") + make_request("POST", "/a", "", "body-a") +
                     make_request("GET", "/b")));
  for (const char* expected : {"slow", "/a", "/b"}) {
    auto r = c.read_reply();
    ASSERT_TRUE(r) << expected;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, expected);
  }
}

TEST_F(HttpServer, HandlerStatusAndHeadersAreSent) {
  handler_.set([](request req, respond_fn respond) {
    response res;
    if (req.path == "/created") {
      res.status = 201;
      res.headers = {{"Location", "/things/1"}, {"Link", "<a>"}, {"Link", "<b>"}};
      res.body = "{}";
    } else {
      res.status = 204; // no body, so no Content-Type and no Content-Length
    }
    respond(std::move(res));
  });
  start();
  client c{port()};
  ASSERT_TRUE(c.send(make_request("POST", "/created")));
  auto r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->header("location"), "/things/1");
  EXPECT_EQ(r->body, "{}");

  ASSERT_TRUE(c.send(make_request("DELETE", "/things/1")));
  r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204);
  EXPECT_FALSE(r->has_header("content-type"));
  EXPECT_FALSE(r->has_header("content-length"));
  EXPECT_FALSE(r->header("x-request-id").empty());

  // The framing was right: the connection still works.
  ASSERT_TRUE(c.send(make_request("POST", "/created")));
  r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201);
}

TEST_F(HttpServer, ExpectContinueGetsTheGoAheadBeforeTheBody) {
  echo();
  auto o = options();
  o.max_body_bytes = 1024;
  start(o);
  client c{port()};
  ASSERT_TRUE(c.send("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n"
                     "Expect: 100-continue\r\n\r\n"));
  auto interim = c.read_head();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(c.send("hello"));
  auto r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["body"], "hello");

  // Too large: refused at once, without the go-ahead.
  ASSERT_TRUE(c.send("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 5000\r\n"
                     "Expect: 100-continue\r\n\r\n"));
  r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
}

// ---- Request ids --------------------------------------------------------------

TEST_F(HttpServer, ClientRequestIdIsKept) {
  echo();
  start();
  client c{port()};
  ASSERT_TRUE(c.send(make_request("GET", "/", "X-Request-Id: trace-123\r\n")));
  auto r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(json::parse(r->body)["request_id"], "trace-123");
  EXPECT_EQ(r->header("x-request-id"), "trace-123");
  EXPECT_EQ(r->header("x-openstack-request-id"), "trace-123");

  // The OpenStack header wins when both are sent.
  ASSERT_TRUE(c.send(make_request(
      "GET", "/", "X-Request-Id: other\r\nX-Openstack-Request-Id: req-from-nova\r\n")));
  r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(json::parse(r->body)["request_id"], "req-from-nova");
  EXPECT_EQ(r->header("x-openstack-request-id"), "req-from-nova");
}

TEST_F(HttpServer, UnsaneClientRequestIdIsReplaced) {
  echo();
  start();
  client c{port()};
  for (const std::string& bad : {std::string("has space"), std::string(200, 'a')}) {
    ASSERT_TRUE(c.send(make_request("GET", "/", "X-Request-Id: " + bad + "\r\n")));
    auto r = c.read_reply();
    ASSERT_TRUE(r);
    std::string id = json::parse(r->body)["request_id"];
    EXPECT_EQ(id.rfind("req-", 0), 0u);
    EXPECT_TRUE(is_uuid(id.substr(4)));
    EXPECT_EQ(r->header("x-request-id"), id);
  }
}

// ---- Limits, errors, timeouts ------------------------------------------------

TEST_F(HttpServer, OversizedBodyGets413AndTheServerKeepsServing) {
  std::atomic<int> calls{0};
  handler_.set([&](request, respond_fn respond) {
    ++calls;
    respond(text("ok"));
  });
  auto o = options();
  o.max_body_bytes = 1024;
  start(o);

  {
    client c{port()};
    // The whole body is sent, as a client does before it reads the answer.
    ASSERT_TRUE(c.send(make_request("POST", "/upload", "", std::string(100000, 'x'))));
    auto r = c.read_reply();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
    EXPECT_EQ(r->header("content-type"), "application/json");
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_FALSE(r->header("x-request-id").empty());
    EXPECT_EQ(json::parse(r->body), error_body(413, "Request body is larger than 1024 bytes"));
    EXPECT_TRUE(c.wait_closed());
  }
  {
    client c{port()};
    ASSERT_TRUE(c.send("POST /upload HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
                       "800\r\n" + std::string(0x800, 'y') + "\r\n0\r\n\r\n"));
    auto r = c.read_reply();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
    EXPECT_TRUE(c.wait_closed());
  }
  EXPECT_EQ(calls.load(), 0);
  expect_serving();
  EXPECT_EQ(calls.load(), 1);
}

TEST_F(HttpServer, OversizedHeadersGet431) {
  echo();
  auto o = options();
  o.max_header_bytes = 1024;
  start(o);
  client c{port()};
  ASSERT_TRUE(c.send(make_request("GET", "/", "X-Big: " + std::string(4000, 'a') + "\r\n")));
  auto r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
  EXPECT_EQ(json::parse(r->body),
            error_body(431, "Request header fields are larger than 1024 bytes"));
  EXPECT_TRUE(c.wait_closed());
  expect_serving();
}

TEST_F(HttpServer, MalformedRequestGets400Json) {
  echo();
  start();
  client c{port()};
  ASSERT_TRUE(c.send("THIS IS NOT HTTP\r\n\r\n"));
  auto r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(r->header("content-type"), "application/json");
  auto j = json::parse(r->body);
  EXPECT_EQ(j["error"]["code"], 400);
  EXPECT_EQ(j["error"]["message"].get<std::string>().rfind("Malformed HTTP request", 0), 0u);
  EXPECT_TRUE(c.wait_closed());
  expect_serving();
}

TEST_F(HttpServer, IncompleteRequestGets408) {
  echo();
  auto o = options();
  o.read_timeout = 1s;
  start(o);
  client c{port()};
  ASSERT_TRUE(c.send("GET /slowloris HTTP/1.1\r\nHost: test\r\n")); // no end of headers
  auto r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 408);
  EXPECT_EQ(json::parse(r->body), error_body(408, "Request was not received within 1 seconds"));
  EXPECT_TRUE(c.wait_closed());
}

TEST_F(HttpServer, IdleKeepAliveConnectionIsClosed) {
  echo();
  auto o = options();
  o.idle_timeout = 1s;
  start(o);
  client c{port()};
  ASSERT_TRUE(c.send(make_request("GET", "/")));
  ASSERT_TRUE(c.read_reply());
  EXPECT_TRUE(c.wait_closed());
  EXPECT_TRUE(c.received().empty()); // closed silently, nothing was sent
}

// ---- Asynchronous and missing responses ----------------------------------------

TEST_F(HttpServer, RespondLaterFromAnotherThread) {
  handler_.set([this](request, respond_fn respond) {
    later([respond] {
      std::this_thread::sleep_for(200ms);
      respond(text("late", 201));
    });
  });
  start();
  client c{port()};
  ASSERT_TRUE(c.send(make_request("GET", "/")));
  auto r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->body, "late");
}

TEST_F(HttpServer, HandlerThatDropsRespondGets500) {
  handler_.set([](request req, respond_fn respond) {
    if (req.path != "/drop")
      respond(text("ok"));
  });
  start();
  client c{port()};
  ASSERT_TRUE(c.send(make_request("GET", "/drop")));
  auto r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(json::parse(r->body), error_body(500, "The request handler did not respond"));
  ASSERT_TRUE(c.send(make_request("GET", "/next")));
  r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(HttpServer, HandlerThatThrowsGets500) {
  handler_.set([](request req, respond_fn respond) {
    if (req.path == "/throw")
      throw std::runtime_error("boom");
    respond(text("ok"));
  });
  start();
  client c{port()};
  ASSERT_TRUE(c.send(make_request("GET", "/throw")));
  auto r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(json::parse(r->body), error_body(500, "Internal server error"));
  ASSERT_TRUE(c.send(make_request("GET", "/next")));
  r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(HttpServer, ClientGoneBeforeTheResponseIsHarmless) {
  handler_.set([this](request req, respond_fn respond) {
    if (req.path == "/hold")
      held_.add(std::move(respond));
    else
      respond(text("ok"));
  });
  start();
  for (int i = 0; i < 2; ++i) {
    client c{port()};
    ASSERT_TRUE(c.send(make_request("GET", "/hold")));
    ASSERT_TRUE(eventually([&] { return held_.size() == static_cast<std::size_t>(i + 1); }));
  } // the client closes, the handler still owes two responses
  expect_serving();

  held_.take(0)(text("too late")); // answered: written to a closed connection
  held_.clear();                   // never answered: the server answers 500 to no one
  expect_serving();
}

TEST_F(HttpServer, RespondAfterStopAndDestructionIsHarmless) {
  handler_.set([this](request, respond_fn respond) { held_.add(std::move(respond)); });
  start();
  std::vector<std::unique_ptr<client>> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(std::make_unique<client>(port()));
    ASSERT_TRUE(clients.back()->send(make_request("GET", "/hold")));
  }
  ASSERT_TRUE(eventually([&] { return held_.size() == 3; }));

  srv_->stop();
  held_.take(0)(text("after stop"));
  for (auto& c : clients)
    EXPECT_TRUE(c->wait_closed());

  srv_.reset();
  held_.take(1)(text("after destruction"));
  // A stream that never reaches a client is closed, so its producer lets go.
  auto s = std::make_shared<event_stream>(4);
  response res;
  res.stream = s;
  held_.take(2)(std::move(res));
  EXPECT_TRUE(s->closed());
  held_.clear();
}

TEST_F(HttpServer, StartFailsWhenThePortIsTaken) {
  echo();
  start();
  auto o = options();
  o.bind_port = port();
  server other{o, handler_};
  try {
    other.start();
    FAIL() << "start() should have thrown";
  } catch (const std::runtime_error& e) {
    std::string expected = "cannot listen on 127.0.0.1:" + std::to_string(port()) + ": ";
    EXPECT_EQ(std::string(e.what()).rfind(expected, 0), 0u) << e.what();
  }
  expect_serving();
}

TEST_F(HttpServer, StopIsIdempotent) {
  echo();
  start();
  expect_serving();
  srv_->stop();
  srv_->stop();
  client c{port()};
  EXPECT_FALSE(c.connected() && c.send(make_request("GET", "/")) && c.read_reply());
}

// ---- Server-Sent Events ----------------------------------------------------------

TEST_F(HttpServer, SseEventsArriveInOrder) {
  serve_events(64);
  auto o = options();
  o.sse_heartbeat = 600s; // no heartbeat in the middle of the expected text
  start(o);
  client c{port()};
  ASSERT_TRUE(c.send(make_request("GET", "/events")));
  auto head = c.read_head();
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->header("content-type"), "text/event-stream");
  EXPECT_EQ(head->header("cache-control"), "no-cache");
  EXPECT_EQ(head->header("connection"), "keep-alive");
  EXPECT_EQ(head->header("x-accel-buffering"), "no");
  EXPECT_EQ(head->header("server"), "stewardd");
  EXPECT_FALSE(head->has_header("content-length"));
  EXPECT_EQ(head->header("transfer-encoding"), "chunked");
  EXPECT_FALSE(head->header("x-request-id").empty());

  auto s = streams_.get(0);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->push_event(1, "lease.created", "{\"id\": 1}"));
  EXPECT_TRUE(s->push_event(2, "multi", "line one\nline two"));
  EXPECT_TRUE(s->push_event(3, "", "plain"));
  std::string expected = "retry: 1000\n\n"
                         "id: 1\nevent: lease.created\ndata: {\"id\": 1}\n\n"
                         "id: 2\nevent: multi\ndata: line one\ndata: line two\n\n"
                         "id: 3\ndata: plain\n\n";
  ASSERT_TRUE(c.read_until("data: plain\n\n"));
  EXPECT_EQ(c.received(), expected);

  // The producer ends the stream: the last chunk says so, and the
  // connection closes.
  s->finish();
  EXPECT_TRUE(c.wait_closed());
  EXPECT_TRUE(c.saw_last_chunk());
  EXPECT_EQ(streams_.closed.load(), 1);
  expect_serving();
}

TEST_F(HttpServer, SseToAnHttp10ClientEndsWithTheConnection) {
  serve_events(64);
  auto o = options();
  o.sse_heartbeat = 600s;
  start(o);
  client c{port()};
  ASSERT_TRUE(c.send("GET /events HTTP/1.0\r\nHost: test\r\n\r\n"));
  auto head = c.read_head();
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_FALSE(head->has_header("transfer-encoding")) << "HTTP/1.0 has no chunks";
  auto s = streams_.get(0);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->push_event(1, "t", "x"));
  s->finish();
  EXPECT_EQ(c.read_to_close(), "retry: 1000\n\nid: 1\nevent: t\ndata: x\n\n");
  EXPECT_FALSE(c.saw_last_chunk());
}

TEST_F(HttpServer, SseHeartbeatArrives) {
  serve_events(64);
  auto o = options();
  o.sse_heartbeat = 1s;
  start(o);
  client c{port()};
  ASSERT_TRUE(c.send(make_request("GET", "/events")));
  ASSERT_TRUE(c.read_head());
  EXPECT_TRUE(c.read_until(": heartbeat\n\n"));
}

TEST_F(HttpServer, SseClientDisconnectClosesTheStream) {
  serve_events(64);
  start();
  {
    client c{port()};
    ASSERT_TRUE(c.send(make_request("GET", "/events")));
    ASSERT_TRUE(c.read_head());
    ASSERT_TRUE(streams_.get(0));
  }
  EXPECT_TRUE(eventually([&] { return streams_.closed.load() == 1; }));
  EXPECT_TRUE(streams_.get(0)->closed());
  EXPECT_FALSE(streams_.get(0)->push_event(1, "t", "x"));
}

TEST_F(HttpServer, SseClientThatDoesNotReadIsDropped) {
  serve_events(8);
  auto o = options();
  o.sse_heartbeat = 600s;
  start(o);
  client c{port()};
  ASSERT_TRUE(c.send(make_request("GET", "/events")));
  ASSERT_TRUE(c.read_head());
  auto s = streams_.get(0);
  ASSERT_TRUE(s);

  // The client reads nothing from here on; the producer pushes far more than
  // the socket buffers and the queue of 8 can hold. It pauses between events
  // so the server can keep up while the socket still takes data: the queue
  // then fills only once writes stall on the client.
  const std::string payload(64 * 1024, 'x');
  auto until = std::chrono::steady_clock::now() + 20s;
  uint64_t id = 0;
  while (s->push_event(++id, "bulk", payload) && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(1ms);
  EXPECT_TRUE(s->overflowed());
  EXPECT_TRUE(s->closed());
  EXPECT_TRUE(eventually([&] { return streams_.closed.load() == 1; }));
  EXPECT_TRUE(c.wait_closed());
  EXPECT_EQ(streams_.closed.load(), 1);
  expect_serving();
}

TEST_F(HttpServer, SseWriteThatStallsTimesOut) {
  serve_events(2000); // room enough that the queue never overflows here
  auto o = options();
  o.sse_heartbeat = 600s;
  o.write_timeout = 1s;
  start(o);
  client c{port()};
  ASSERT_TRUE(c.send(make_request("GET", "/events")));
  ASSERT_TRUE(c.read_head());
  auto s = streams_.get(0);
  ASSERT_TRUE(s);

  // The client reads nothing. First about as much as the socket buffers
  // hold, then a trickle, so a write stalls while the queue stays short.
  const std::string payload(64 * 1024, 'x');
  uint64_t id = 0;
  while (id < 256 && s->push_event(++id, "bulk", payload))
    std::this_thread::sleep_for(1ms);
  auto until = std::chrono::steady_clock::now() + 20s;
  while (s->push_event(++id, "bulk", payload) && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(50ms);
  EXPECT_TRUE(s->closed());
  EXPECT_FALSE(s->overflowed());
  EXPECT_TRUE(eventually([&] { return streams_.closed.load() == 1; }));
  EXPECT_TRUE(c.wait_closed());
  expect_serving();
}

TEST_F(HttpServer, StopReturnsWithOpenStreams) {
  serve_events(16);
  start();
  std::vector<std::unique_ptr<client>> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(std::make_unique<client>(port()));
    ASSERT_TRUE(clients.back()->send(make_request("GET", "/events")));
    ASSERT_TRUE(clients.back()->read_head());
  }
  ASSERT_TRUE(streams_.get(2));
  EXPECT_TRUE(streams_.get(0)->push_event(1, "t", "x"));
  ASSERT_TRUE(clients[0]->read_until("data: x\n\n"));

  srv_->stop();
  EXPECT_EQ(streams_.closed.load(), 3);
  for (auto& c : clients)
    EXPECT_TRUE(c->wait_closed());
  for (std::size_t i = 0; i < 3; ++i)
    EXPECT_FALSE(streams_.get(i)->push_event(2, "t", "y"));
}

} // namespace
} // namespace steward::http
