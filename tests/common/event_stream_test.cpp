#include "common/event_stream.hpp"

#include <gtest/gtest.h>

namespace steward {
namespace {

TEST(EventStream, AcceptsUpToTheBoundThenOverflows) {
  event_stream s{3};
  EXPECT_TRUE(s.push_event(1, "t", "a"));
  EXPECT_TRUE(s.push_event(2, "t", "b"));
  EXPECT_TRUE(s.push_raw(": comment\n\n"));
  EXPECT_FALSE(s.overflowed());
  EXPECT_FALSE(s.push_event(4, "t", "d"));
  EXPECT_TRUE(s.overflowed());
  EXPECT_TRUE(s.closed());
  EXPECT_FALSE(s.push_event(5, "t", "e"));
  // An overflowed client is dropped: nothing is left to write.
  std::string out;
  EXPECT_FALSE(s.drain(out));
  EXPECT_EQ(out, "");
}

TEST(EventStream, DrainEmptiesTheQueueSoTheBoundIsOnWhatIsPending) {
  event_stream s{2};
  std::string out;
  for (uint64_t id = 1; id <= 10; ++id) {
    ASSERT_TRUE(s.push_event(id, "t", "x"));
    EXPECT_TRUE(s.drain(out));
  }
  EXPECT_FALSE(s.overflowed());
  EXPECT_NE(out.find("id: 10\n"), std::string::npos);
}

TEST(EventStream, WakesTheConnectionOnlyWhenTheQueueWasEmpty) {
  event_stream s{8};
  int wakes = 0;
  s.attach([&] { ++wakes; });
  EXPECT_TRUE(s.push_event(1, "t", "a"));
  EXPECT_TRUE(s.push_event(2, "t", "b"));  // the first wake-up drains both
  EXPECT_EQ(wakes, 1);
  std::vector<event_stream::frame> frames;
  EXPECT_TRUE(s.drain(frames));
  EXPECT_EQ(frames.size(), 2u);
  EXPECT_TRUE(s.push_event(3, "t", "c"));
  EXPECT_EQ(wakes, 2);
}

TEST(EventStream, AFrameIsSharedByTheStreamsItGoesTo) {
  event_stream a{4}, b{4};
  auto f = std::make_shared<const std::string>(format_sse(1, "t", "x"));
  EXPECT_TRUE(a.push_frame(f));
  EXPECT_TRUE(b.push_frame(f));
  std::vector<event_stream::frame> from_a, from_b;
  a.drain(from_a);
  b.drain(from_b);
  ASSERT_EQ(from_a.size(), 1u);
  ASSERT_EQ(from_b.size(), 1u);
  EXPECT_EQ(from_a[0].get(), from_b[0].get());
  EXPECT_EQ(*from_a[0], "id: 1\nevent: t\ndata: x\n\n");
}

TEST(EventStream, OnCloseFiresOnceForFinish) {
  event_stream s{4};
  int fired = 0;
  s.on_close([&] { ++fired; });
  s.finish();
  s.finish();
  s.close();
  EXPECT_FALSE(s.push_event(1, "t", "x"));
  EXPECT_EQ(fired, 1);
}

TEST(EventStream, OnCloseFiresOnceForClose) {
  event_stream s{4};
  int fired = 0;
  s.on_close([&] { ++fired; });
  s.close();
  s.close();
  s.finish();
  EXPECT_EQ(fired, 1);
  EXPECT_TRUE(s.closed());
  EXPECT_FALSE(s.overflowed());
}

TEST(EventStream, OnCloseFiresOnceForOverflow) {
  event_stream s{1};
  int fired = 0;
  s.on_close([&] { ++fired; });
  EXPECT_TRUE(s.push_event(1, "t", "x"));
  EXPECT_FALSE(s.push_event(2, "t", "x"));
  EXPECT_FALSE(s.push_event(3, "t", "x"));
  s.close();
  EXPECT_EQ(fired, 1);
}

TEST(EventStream, OnCloseRegisteredAfterTheEndFiresAtOnce) {
  event_stream s{1};
  s.finish();
  int fired = 0;
  s.on_close([&] { ++fired; });
  EXPECT_EQ(fired, 1);
  s.close();
  EXPECT_EQ(fired, 1);
}

TEST(EventStream, FinishedStreamYieldsWhatIsQueuedThenEnds) {
  event_stream s{4};
  s.push_event(1, "a", "x");
  s.push_event(2, "b", "y");
  s.finish();
  std::string out;
  EXPECT_TRUE(s.drain(out));
  EXPECT_EQ(out, format_sse(1, "a", "x") + format_sse(2, "b", "y"));
  out.clear();
  EXPECT_FALSE(s.drain(out));
  EXPECT_EQ(out, "");
}

TEST(EventStream, CloseDiscardsWhatIsQueued) {
  event_stream s{4};
  s.push_event(1, "a", "x");
  s.close();
  std::string out;
  EXPECT_FALSE(s.drain(out));
  EXPECT_EQ(out, "");
}

TEST(EventStream, WakeRunsOutsideTheLock) {
  event_stream s{4};
  int wakes = 0;
  // closed() takes the stream's lock: were wake called under it, this would
  // deadlock.
  s.attach([&] {
    (void)s.closed();
    ++wakes;
  });
  EXPECT_TRUE(s.push_event(1, "t", "x"));
  EXPECT_EQ(wakes, 1);
  s.finish(); // the end wakes the connection too
  EXPECT_EQ(wakes, 2);
}

TEST(EventStream, AttachWakesForEventsPushedBefore) {
  event_stream s{4};
  s.push_event(1, "t", "x");
  int wakes = 0;
  s.attach([&] { ++wakes; });
  EXPECT_EQ(wakes, 1);

  event_stream empty{4};
  int empty_wakes = 0;
  empty.attach([&] { ++empty_wakes; });
  EXPECT_EQ(empty_wakes, 0);
}

TEST(EventStream, OnCloseMayCallBackIntoTheStream) {
  event_stream s{1};
  bool saw_closed = false;
  s.on_close([&] { saw_closed = s.closed(); });
  s.push_event(1, "t", "x");
  s.push_event(2, "t", "x"); // overflow
  EXPECT_TRUE(saw_closed);
}

TEST(FormatSse, OneLineEvent) {
  EXPECT_EQ(format_sse(7, "lease.created", "{\"id\":\"x\"}"),
            "id: 7\nevent: lease.created\ndata: {\"id\":\"x\"}\n\n");
}

TEST(FormatSse, MultiLineDataSplitsIntoDataLines) {
  EXPECT_EQ(format_sse(1, "t", "a\nb\r\nc\rd"),
            "id: 1\nevent: t\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
  EXPECT_EQ(format_sse(2, "t", "a\n"), "id: 2\nevent: t\ndata: a\ndata: \n\n");
}

TEST(FormatSse, EmptyDataStillHasADataLine) {
  EXPECT_EQ(format_sse(3, "ping", ""), "id: 3\nevent: ping\ndata: \n\n");
}

TEST(FormatSse, NoTypeMeansNoEventLine) {
  EXPECT_EQ(format_sse(4, "", "x"), "id: 4\ndata: x\n\n");
}

TEST(FormatSse, LineBreaksInTheTypeCannotInjectFields) {
  EXPECT_EQ(format_sse(5, "a\ndata: evil", "x"), "id: 5\nevent: adata: evil\ndata: x\n\n");
}

} // namespace
} // namespace steward
