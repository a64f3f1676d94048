// bench-sse HOST PORT TOKEN CLIENTS RATE SECONDS [DRIVERS]
//
// The SSE measurement: CLIENTS subscribers on GET /v1/events?types=lease.create
// while keep-alive driver connections (DRIVERS, default one per 20 creates a
// second) create RATE leases per second for SECONDS
// (POST /v1/leases, each lease named sse-<seq>, one host for an hour of its
// own). Every subscriber records, per event, its receive time minus the
// event's `timestamp`, and which sequence numbers it got. Prints one JSON
// line: deliveries expected / delivered / missed, duplicates, ids out of
// order, latency p50 / p99 / max, the driver's achieved rate.
//
// Built to share two cores with stewardd: one io_context, one thread, no
// JSON parsing per event (the name and timestamp are found by position), one
// clock read per socket read, no allocation per event.
#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <nlohmann/json.hpp>

namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;
using steady = std::chrono::steady_clock;

// One thread: the subscribers hardly use it (the kernel's receive path is most
// of their cost) and a second one costs wake-ups on a machine stewardd needs.
constexpr int io_threads = 1;
// Big enough for dozens of events per read (an event is a whole lease
// document, about 2 KB); a frame that does not fit grows the buffer.
constexpr std::size_t read_buffer_bytes = 64 * 1024;
constexpr auto subscribe_bound = std::chrono::seconds(60);
constexpr auto marker_bound = std::chrono::seconds(60);
constexpr auto marker_interval = std::chrono::seconds(1);
constexpr auto answers_bound = std::chrono::seconds(35); // beyond stewardd's 30 s request_timeout
constexpr auto backlog_grace = std::chrono::seconds(2);
constexpr auto delivery_bound = std::chrono::seconds(15);
constexpr auto tick = std::chrono::milliseconds(1);

int64_t wall_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
           std::chrono::system_clock::now().time_since_epoch()).count();
}

// Latencies in µs, exact below 2 ms and within 0.1% above (1024 buckets per
// power of two): millions of samples in a few hundred KB, merged per thread.
class latency_histogram {
 public:
  void add(int64_t us) {
    auto v = static_cast<uint64_t>(std::max<int64_t>(us, 0));
    v = std::min<uint64_t>(v, uint64_t{1} << 40);
    ++counts_[bucket(v)];
    ++n_;
    max_ = std::max(max_, v);
  }
  void merge(const latency_histogram& o) {
    for (std::size_t i = 0; i < counts_.size(); ++i)
      counts_[i] += o.counts_[i];
    n_ += o.n_;
    max_ = std::max(max_, o.max_);
  }
  uint64_t count() const { return n_; }
  double max_ms() const { return static_cast<double>(max_) / 1000.0; }
  double percentile_ms(double q) const {
    if (n_ == 0)
      return 0;
    auto rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(n_)));
    rank = std::max<uint64_t>(rank, 1);
    uint64_t seen = 0;
    for (std::size_t b = 0; b < counts_.size(); ++b) {
      seen += counts_[b];
      if (seen >= rank) // the middle of the bucket, never beyond the max seen
        return static_cast<double>(std::min(lower(b) + (width(b) - 1) / 2, max_)) / 1000.0;
    }
    return max_ms();
  }

 private:
  static constexpr std::size_t exact = 2048;
  static constexpr std::size_t per_octave = 1024;
  static constexpr std::size_t buckets = exact + 30 * per_octave; // up to 2^40 µs

  static std::size_t bucket(uint64_t v) {
    if (v < exact)
      return static_cast<std::size_t>(v);
    int e = 63 - __builtin_clzll(v); // 11..40
    int shift = e - 10;
    return exact + static_cast<std::size_t>(e - 11) * per_octave
           + static_cast<std::size_t>((v >> shift) - per_octave);
  }
  static uint64_t lower(std::size_t b) {
    if (b < exact)
      return b;
    auto k = b - exact;
    auto e = 11 + k / per_octave;
    return (per_octave + k % per_octave) << (e - 10);
  }
  static uint64_t width(std::size_t b) { return b < exact ? 1 : uint64_t{1} << (11 + (b - exact) / per_octave - 10); }

  std::vector<uint64_t> counts_ = std::vector<uint64_t>(buckets);
  uint64_t n_ = 0;
  uint64_t max_ = 0;
};

// Each io thread records into its own histogram: no lock per event.
thread_local latency_histogram* thread_latencies = nullptr;

// "YYYY-MM-DDTHH:MM:SS.uuuuuu" (UTC, as stewardd writes event timestamps) to
// µs since the epoch; -1 if it is not that. The hour's start is cached per
// thread, so timegm runs once an hour, not once an event.
int64_t parse_timestamp(const char* s) {
  auto digits = [s](int at, int n) {
    int v = 0;
    for (int i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9')
        return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  thread_local char hour_text[13] = {};
  thread_local int64_t hour_start = -1;
  if (hour_start < 0 || std::memcmp(hour_text, s, sizeof hour_text) != 0) {
    int y = digits(0, 4), mo = digits(5, 2), d = digits(8, 2), h = digits(11, 2);
    if (y < 0 || mo < 1 || d < 1 || h < 0 || s[4] != '-' || s[7] != '-' || s[10] != 'T')
      return -1;
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    hour_start = static_cast<int64_t>(timegm(&tm)) * 1000000;
    std::memcpy(hour_text, s, sizeof hour_text);
  }
  int mi = digits(14, 2), sec = digits(17, 2), us = digits(20, 6);
  if (mi < 0 || sec < 0 || us < 0 || s[19] != '.')
    return -1;
  return hour_start + (int64_t{mi} * 60 + sec) * 1000000 + us;
}

bool starts_with(const char* s, std::size_t n, const char* prefix) {
  auto k = std::strlen(prefix);
  return n >= k && std::memcmp(s, prefix, k) == 0;
}

// Reads the digits at `s` (at most `n` chars); -1 if there are none.
int64_t read_number(const char* s, std::size_t n) {
  int64_t v = -1;
  for (std::size_t i = 0; i < n && s[i] >= '0' && s[i] <= '9'; ++i)
    v = (v < 0 ? 0 : v * 10) + (s[i] - '0');
  return v;
}

struct options {
  std::string host, port, token;
  int clients = 0;
  double rate = 0;
  double seconds = 0;
  int drivers = 0;
};

// One "bit per sequence number" set.
struct seq_set {
  explicit seq_set(std::size_t n = 0) : words((n + 63) / 64) {}
  bool test(std::size_t i) const { return (words[i / 64] >> (i % 64)) & 1; }
  void set(std::size_t i) { words[i / 64] |= uint64_t{1} << (i % 64); }
  std::vector<uint64_t> words;
};

// ---------------------------------------------------------------------------
// A subscriber: one connection, one chain of reads (so its state needs no
// strand), a parser for SSE frames that looks only at what it needs.

class subscriber {
 public:
  subscriber(net::io_context& io, std::size_t planned) : socket_(io), got_(planned), planned_(planned) {}

  tcp::socket& socket() { return socket_; }

  void start(const std::string& request) {
    request_ = request;
    buf_.resize(read_buffer_bytes);
    net::async_write(socket_, net::buffer(request_), [this](error_code ec, std::size_t) {
      if (ec)
        return fail("request: " + ec.message());
      read();
    });
  }

  // Read by the main thread while the run goes on.
  std::atomic<bool> streaming{false}; // the 200 and its headers arrived
  std::atomic<bool> saw_marker{false};
  std::atomic<bool> gone{false};
  std::atomic<uint32_t> distinct{0}; // distinct sequence numbers received

  // Read after the io threads are joined.
  std::string why_gone;
  uint64_t duplicates = 0, out_of_order = 0, unparsed = 0;
  const seq_set& got() const { return got_; }

 private:
  void read() {
    if (used_ == buf_.size()) // one line longer than the buffer
      buf_.resize(buf_.size() * 2);
    socket_.async_read_some(net::buffer(buf_.data() + used_, buf_.size() - used_),
                            [this](error_code ec, std::size_t n) { on_read(ec, n); });
  }

  void on_read(error_code ec, std::size_t n) {
    if (ec)
      return fail(ec == net::error::eof ? "closed by stewardd" : ec.message());
    auto now = wall_us(); // everything in this read arrived by now
    used_ += n;
    std::size_t from = 0;
    if (!streaming.load(std::memory_order_relaxed)) {
      auto* end = static_cast<const char*>(memmem(buf_.data(), used_, "\r\n\r\n", 4));
      if (!end) {
        if (used_ >= 16384)
          return fail("no end of headers");
        return read();
      }
      if (used_ < 12 || std::memcmp(buf_.data() + 9, "200", 3) != 0)
        return fail("answered " + std::string(buf_.data(), std::min<std::size_t>(used_, 64)));
      from = static_cast<std::size_t>(end - buf_.data()) + 4;
      streaming.store(true);
    }
    from = parse_lines(from, now);
    // Keep only the unfinished line for the next read.
    std::memmove(buf_.data(), buf_.data() + from, used_ - from);
    used_ -= from;
    read();
  }

  std::size_t parse_lines(std::size_t from, int64_t now) {
    const char* base = buf_.data();
    while (from < used_) {
      auto* nl = static_cast<const char*>(std::memchr(base + from, '\n', used_ - from));
      if (!nl)
        break;
      auto len = static_cast<std::size_t>(nl - (base + from));
      if (len > 0 && base[from + len - 1] == '\r')
        --len;
      on_line(base + from, len, now);
      from = static_cast<std::size_t>(nl - base) + 1;
    }
    return from;
  }

  void on_line(const char* s, std::size_t n, int64_t now) {
    if (n == 0)
      return end_frame(now);
    if (s[0] == ':') {
      return; // a comment: the heartbeat
    } else if (starts_with(s, n, "data:")) {
      on_data(s + 5, n - 5);
    } else if (starts_with(s, n, "id:")) {
      std::size_t skip = n > 3 && s[3] == ' ' ? 4 : 3;
      auto id = read_number(s + skip, n - skip);
      frame_id_ = id < 0 ? 0 : static_cast<uint64_t>(id);
    } // event:, retry: and the chunk framing (a size line, an empty line
      // after each write's frames) tell nothing the data does not
  }

  // The data is one line of JSON whose last field is "timestamp" and whose
  // payload (the lease) carries "name":"sse-<seq>" (or "sse-m<k>", a marker).
  void on_data(const char* s, std::size_t n) {
    static constexpr char name_key[] = "\"name\":\"sse-";
    static constexpr std::size_t name_len = sizeof name_key - 1;
    static constexpr char ts_key[] = "\"timestamp\":\"";
    static constexpr std::size_t ts_len = sizeof ts_key - 1;
    static constexpr std::size_t ts_text = 26;
    has_data_ = true;
    auto* name = static_cast<const char*>(memmem(s, n, name_key, name_len));
    if (name) {
      auto* after = name + name_len;
      auto rest = static_cast<std::size_t>(s + n - after);
      if (rest > 0 && *after == 'm')
        frame_marker_ = true;
      else
        frame_seq_ = read_number(after, rest);
    }
    // Where the timestamp is when it is the last field; else look for it.
    const char* ts = nullptr;
    std::size_t tail = ts_len + ts_text + 2;
    if (n >= tail && std::memcmp(s + n - tail, ts_key, ts_len) == 0) {
      ts = s + n - tail + ts_len;
    } else if (auto* k = static_cast<const char*>(memmem(s, n, ts_key, ts_len));
               k && static_cast<std::size_t>(s + n - k) >= ts_len + ts_text) {
      ts = k + ts_len;
    }
    frame_ts_ = ts ? parse_timestamp(ts) : -1;
  }

  void end_frame(int64_t now) {
    if (has_data_) {
      if (frame_marker_) {
        saw_marker.store(true, std::memory_order_relaxed);
      } else if (frame_seq_ < 0 || frame_ts_ < 0) {
        ++unparsed;
      } else if (static_cast<std::size_t>(frame_seq_) >= planned_) {
        ++unparsed;
      } else if (got_.test(static_cast<std::size_t>(frame_seq_))) {
        ++duplicates;
      } else {
        got_.set(static_cast<std::size_t>(frame_seq_));
        distinct.store(distinct.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
        if (frame_id_ <= last_id_)
          ++out_of_order;
        thread_latencies->add(now - frame_ts_);
      }
      if (frame_id_ > 0)
        last_id_ = frame_id_;
    }
    has_data_ = frame_marker_ = false;
    frame_seq_ = frame_ts_ = -1;
    frame_id_ = 0;
  }

  void fail(std::string why) {
    why_gone = std::move(why);
    gone.store(true);
  }

  tcp::socket socket_;
  std::string request_;
  std::vector<char> buf_;
  std::size_t used_ = 0;
  seq_set got_;
  std::size_t planned_;
  uint64_t last_id_ = 0;
  // The frame being read.
  uint64_t frame_id_ = 0;
  int64_t frame_seq_ = -1;
  int64_t frame_ts_ = -1;
  bool frame_marker_ = false;
  bool has_data_ = false;
};

// ---------------------------------------------------------------------------
// The drivers: keep-alive connections creating leases on the clock. A
// tick releases the requests that are due; an idle connection takes the next
// one, a busy pool leaves it for the next answer (a backlog, bounded below).
// All of it runs on one strand.

class drive {
 public:
  drive(net::io_context& io, const options& o, tcp::endpoint ep, std::size_t planned)
      : strand_(net::make_strand(io)), timer_(strand_), opts_(o), endpoint_(ep),
        planned_(planned), accepted_set_(planned) {
    // A block of hours of its own per run (from the clock), so a second run
    // against the same stewardd does not find its hosts taken; from 2100,
    // past post_lease.lua's hours, to 2250: stewardd's clock (nanoseconds in
    // 64 bits) ends in 2262.
    auto block = static_cast<int64_t>(planned + 1000);
    auto blocks = std::max<int64_t>(int64_t{150} * 8766 / block, 1);
    std::tm tm{};
    tm.tm_year = 2100 - 1900;
    tm.tm_mday = 1;
    first_hour_ = timegm(&tm) / 3600 + (std::time(nullptr) % blocks) * block;
    for (int i = 0; i < o.drivers; ++i)
      conns_.push_back(std::make_unique<conn>(strand_));
  }

  // Connects every driver (blocking; before the io threads are busy).
  void connect() {
    for (auto& c : conns_) {
      c->socket.connect(endpoint_);
      c->socket.set_option(tcp::no_delay(true));
      idle_.push_back(c.get());
    }
  }

  // One marker lease (name sse-m<k>), from any thread.
  void post_marker(int k) {
    net::post(strand_, [this, k] {
      if (idle_.empty())
        return;
      auto* c = idle_.back();
      idle_.pop_back();
      send(*c, -1 - k);
    });
  }

  void start() {
    net::post(strand_, [this] {
      began_ = steady::now();
      phase_ = phase::issuing;
      on_tick();
    });
  }

  std::atomic<bool> finished{false}; // every request sent and answered (or given up)
  std::atomic<uint64_t> accepted{0};

  // Read after the io threads are joined.
  uint64_t sent = 0, refused = 0, failed = 0, not_sent = 0, unanswered = 0;
  double achieved_rate = 0;
  std::string first_refusal;
  latency_histogram answer_times;
  const seq_set& accepted_set() const { return accepted_set_; }

  // After the wait for answers ran out: whatever is still out is unanswered.
  void give_up() {
    net::post(strand_, [this] {
      if (phase_ == phase::over)
        return;
      unanswered = in_flight_;
      in_flight_ = 0;
      phase_ = phase::answering;
      maybe_finish();
    });
  }

 private:
  struct conn {
    explicit conn(net::strand<net::io_context::executor_type>& s) : socket(s) {}
    tcp::socket socket;
    std::string request;
    std::vector<char> in = std::vector<char>(16384);
    std::size_t used = 0;
    int64_t seq = 0; // < 0: a marker
    steady::time_point sent_at;
  };

  uint64_t due(steady::time_point now) const {
    auto elapsed = std::chrono::duration<double>(now - began_).count();
    auto n = static_cast<uint64_t>(std::min(elapsed, opts_.seconds) * opts_.rate);
    return std::min<uint64_t>(n, planned_);
  }

  void on_tick() {
    auto now = steady::now();
    auto target = due(now);
    while (issued_ < target && !idle_.empty()) {
      auto* c = idle_.back();
      idle_.pop_back();
      send(*c, static_cast<int64_t>(issued_++));
    }
    bool late = now - began_ > std::chrono::duration<double>(opts_.seconds) + backlog_grace;
    if (issued_ == planned_ || late) {
      // Paced by the clock: what could not be sent in time is not sent.
      not_sent = planned_ - issued_;
      phase_ = phase::answering;
      maybe_finish();
      return;
    }
    timer_.expires_at(now + tick);
    timer_.async_wait([this](error_code) { on_tick(); });
  }

  void send(conn& c, int64_t seq) {
    auto hour = first_hour_ + (seq >= 0 ? seq : static_cast<int64_t>(planned_) - seq);
    auto name = seq >= 0 ? "sse-" + std::to_string(seq) : "sse-m" + std::to_string(-1 - seq);
    char start[32], end[32];
    std::time_t t = hour * 3600;
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(start, sizeof start, "%Y-%m-%d %H:%M", &tm);
    t += 3600;
    gmtime_r(&t, &tm);
    std::strftime(end, sizeof end, "%Y-%m-%d %H:%M", &tm);
    std::string body = "{\"name\": \"" + name + "\", \"start_date\": \"" + start
                       + "\", \"end_date\": \"" + end
                       + "\", \"reservations\": [{\"resource_type\": \"physical:host\", "
                         "\"min\": 1, \"max\": 1, \"hypervisor_properties\": \"\", "
                         "\"resource_properties\": \"\"}]}";
    c.request = "POST /v1/leases HTTP/1.1\r\nHost: " + opts_.host + ":" + opts_.port
                + "\r\nX-Auth-Token: " + opts_.token
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + std::to_string(body.size()) + "\r\n\r\n" + body;
    c.seq = seq;
    c.used = 0;
    c.sent_at = steady::now();
    if (seq >= 0) {
      ++sent;
      ++in_flight_;
    }
    net::async_write(c.socket, net::buffer(c.request), [this, &c](error_code ec, std::size_t) {
      if (ec)
        return on_failed(c, ec);
      read_answer(c);
    });
  }

  void read_answer(conn& c) {
    if (c.used == c.in.size())
      c.in.resize(c.in.size() * 2);
    c.socket.async_read_some(net::buffer(c.in.data() + c.used, c.in.size() - c.used),
                             [this, &c](error_code ec, std::size_t n) {
      if (ec)
        return on_failed(c, ec);
      c.used += n;
      auto* head_end = static_cast<const char*>(memmem(c.in.data(), c.used, "\r\n\r\n", 4));
      if (!head_end)
        return read_answer(c);
      std::size_t head = static_cast<std::size_t>(head_end - c.in.data()) + 4;
      std::size_t body = content_length(c.in.data(), head);
      if (c.used < head + body)
        return read_answer(c);
      int status = c.used >= 12 ? static_cast<int>(read_number(c.in.data() + 9, 3)) : 0;
      on_answer(c, status, std::string(c.in.data() + head, body));
    });
  }

  // stewardd answers with Content-Length (never chunked) on this route.
  static std::size_t content_length(const char* head, std::size_t n) {
    static constexpr char key[] = "\r\ncontent-length:";
    static constexpr std::size_t k = sizeof key - 1;
    for (std::size_t i = 0; i + k <= n; ++i) {
      std::size_t j = 0;
      while (j < k && std::tolower(static_cast<unsigned char>(head[i + j])) == key[j])
        ++j;
      if (j == k) {
        std::size_t p = i + k;
        while (p < n && head[p] == ' ')
          ++p;
        auto v = read_number(head + p, n - p);
        return v < 0 ? 0 : static_cast<std::size_t>(v);
      }
    }
    return 0;
  }

  void on_answer(conn& c, int status, std::string body) {
    if (c.seq >= 0 && phase_ != phase::over) {
      --in_flight_;
      answer_times.add(std::chrono::duration_cast<std::chrono::microseconds>(
                         steady::now() - c.sent_at).count());
      if (status >= 200 && status < 300) {
        accepted_set_.set(static_cast<std::size_t>(c.seq));
        accepted.fetch_add(1);
        last_answer_ = steady::now();
      } else {
        if (refused++ == 0)
          first_refusal = std::to_string(status) + " " + body.substr(0, 200);
      }
    } else if (c.seq < 0 && (status < 200 || status >= 300) && !marker_refused_) {
      marker_refused_ = true; // else the wait for markers fails with no reason
      std::cerr << "bench-sse: a marker was refused: " << status << " " << body.substr(0, 200)
                << "\n";
    }
    next(c);
  }

  void on_failed(conn& c, error_code ec) {
    if (c.seq >= 0 && phase_ != phase::over) {
      --in_flight_;
      ++failed;
    }
    std::cerr << "bench-sse: driver connection: " << ec.message() << "; reconnecting\n";
    error_code ignored;
    c.socket.close(ignored);
    c.socket.connect(endpoint_, ignored); // loopback: does not block for long
    if (ignored) {
      maybe_finish();
      return; // this connection is lost
    }
    next(c);
  }

  void next(conn& c) {
    if (phase_ == phase::issuing && issued_ < due(steady::now()))
      return send(c, static_cast<int64_t>(issued_++));
    idle_.push_back(&c);
    maybe_finish();
  }

  void maybe_finish() {
    if (phase_ != phase::answering || in_flight_ > 0)
      return;
    phase_ = phase::over;
    auto span = std::chrono::duration<double>(last_answer_ - began_).count();
    achieved_rate = span > 0 ? static_cast<double>(accepted.load()) / span : 0;
    finished.store(true);
  }

  net::strand<net::io_context::executor_type> strand_;
  net::steady_timer timer_;
  const options& opts_;
  tcp::endpoint endpoint_;
  std::size_t planned_;
  seq_set accepted_set_;
  int64_t first_hour_ = 0;
  std::vector<std::unique_ptr<conn>> conns_;
  std::vector<conn*> idle_;
  steady::time_point began_, last_answer_;
  uint64_t issued_ = 0;
  uint64_t in_flight_ = 0;
  bool marker_refused_ = false;
  // Markers go out while waiting; creates are issued only once started.
  enum class phase { waiting, issuing, answering, over } phase_ = phase::waiting;
};

// Polls `done` every 20 ms until it holds or `bound` passes; true if it held.
template <class F>
bool wait_until(F done, steady::duration bound) {
  auto until = steady::now() + bound;
  while (!done()) {
    if (steady::now() >= until)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

double seconds_since(steady::time_point t) {
  return std::chrono::duration<double>(steady::now() - t).count();
}

int usage() {
  std::cerr << "usage: bench-sse HOST PORT TOKEN CLIENTS RATE SECONDS [DRIVERS]\n";
  return 2;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 7 || argc > 8)
    return usage();
  options o;
  o.host = argv[1];
  o.port = argv[2];
  o.token = argv[3];
  try {
    o.clients = std::stoi(argv[4]);
    o.rate = std::stod(argv[5]);
    o.seconds = std::stod(argv[6]);
    // stewardd answers one request per connection at a time, so keeping pace
    // takes rate x answer time connections: 1 per 20 creates a second keeps
    // pace with 50 ms answers (what a loaded stewardd gives).
    o.drivers = argc == 8 ? std::stoi(argv[7])
                          : std::clamp(static_cast<int>(o.rate / 20), 4, 64);
  } catch (const std::exception&) {
    return usage();
  }
  if (o.clients < 1 || o.rate <= 0 || o.seconds <= 0 || o.drivers < 1)
    return usage();
  auto planned = static_cast<std::size_t>(std::llround(o.rate * o.seconds));

  net::io_context io;
  auto work = net::make_work_guard(io);
  tcp::endpoint endpoint;
  try {
    tcp::resolver resolver(io);
    endpoint = *resolver.resolve(o.host, o.port).begin();
  } catch (const std::exception& e) {
    std::cerr << "bench-sse: " << o.host << ":" << o.port << ": " << e.what() << "\n";
    return 1;
  }

  std::vector<std::unique_ptr<subscriber>> subs;
  drive driver(io, o, endpoint, planned);
  std::string get = "GET /v1/events?types=lease.create HTTP/1.1\r\nHost: " + o.host + ":" + o.port
                    + "\r\nX-Auth-Token: " + o.token + "\r\nAccept: text/event-stream\r\n\r\n";
  try {
    driver.connect();
    for (int i = 0; i < o.clients; ++i) {
      subs.push_back(std::make_unique<subscriber>(io, planned));
      subs.back()->socket().connect(endpoint);
    }
  } catch (const std::exception& e) {
    std::cerr << "bench-sse: connect (" << subs.size() << " subscribers so far): " << e.what()
              << "\n";
    return 1;
  }

  std::vector<latency_histogram> per_thread(io_threads);
  std::vector<std::thread> threads;
  for (int i = 0; i < io_threads; ++i)
    threads.emplace_back([&io, h = &per_thread[static_cast<std::size_t>(i)]] {
      thread_latencies = h;
      io.run();
    });
  auto finish = [&] {
    work.reset();
    io.stop();
    for (auto& t : threads)
      t.join();
  };
  auto count = [&](auto pred) {
    return static_cast<int>(std::count_if(subs.begin(), subs.end(), [&](auto& s) { return pred(*s); }));
  };

  // 1. Every subscriber streaming.
  auto began = steady::now();
  for (auto& s : subs)
    s->start(get);
  bool streaming = wait_until([&] {
    return count([](subscriber& s) { return s.streaming.load() || s.gone.load(); }) == o.clients;
  }, subscribe_bound);
  int live = count([](subscriber& s) { return s.streaming.load() && !s.gone.load(); });
  std::cerr << "bench-sse: " << live << "/" << o.clients << " streams open in "
            << seconds_since(began) << " s\n";
  if (!streaming || live < o.clients) {
    for (auto& s : subs)
      if (s->gone.load()) {
        std::cerr << "bench-sse: a subscriber failed: " << s->why_gone << "\n";
        break;
      }
    finish();
    return 1;
  }

  // 2. Every subscriber registered with the event hub: the stream opens
  // before the subscription reaches it, so a marker event must come through.
  began = steady::now();
  int markers = 0;
  auto next_marker = steady::now();
  bool marked = wait_until([&] {
    if (steady::now() >= next_marker) {
      driver.post_marker(markers++);
      next_marker = steady::now() + marker_interval;
    }
    return count([](subscriber& s) { return s.saw_marker.load(std::memory_order_relaxed)
                                            || s.gone.load(); }) == o.clients;
  }, marker_bound);
  std::cerr << "bench-sse: " << count([](subscriber& s) { return s.saw_marker.load(); }) << "/"
            << o.clients << " subscribers saw a marker (" << markers << " sent) in "
            << seconds_since(began) << " s\n";
  if (!marked) {
    finish();
    return 1;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200)); // let the last marker's answer in

  // 3. The drive.
  began = steady::now();
  driver.start();
  if (!wait_until([&] { return driver.finished.load(); },
                  std::chrono::duration_cast<steady::duration>(
                    std::chrono::duration<double>(o.seconds) + backlog_grace + answers_bound))) {
    driver.give_up();
    wait_until([&] { return driver.finished.load(); }, std::chrono::seconds(1));
  }
  std::cerr << "bench-sse: drive over after " << seconds_since(began) << " s, "
            << driver.accepted.load() << " accepted\n";

  // 4. Every subscriber has every accepted event (those still connected).
  began = steady::now();
  auto accepted = driver.accepted.load();
  wait_until([&] {
    return count([&](subscriber& s) {
      return s.gone.load() || s.distinct.load(std::memory_order_relaxed) >= accepted;
    }) == o.clients;
  }, delivery_bound);
  double waited = seconds_since(began);
  // Lost before the end: why_gone was written before gone was set. Still
  // connected but short of events: late (the wait ran out), not lost.
  int disconnected = 0, late = 0;
  std::string first_gone;
  for (auto& s : subs) {
    if (s->gone.load()) {
      if (disconnected++ == 0)
        first_gone = s->why_gone;
    } else if (s->distinct.load(std::memory_order_relaxed) < accepted) {
      ++late;
    }
  }
  finish();

  // 5. The figures (the io threads are joined: everything is ours to read).
  latency_histogram latency;
  for (auto& h : per_thread)
    latency.merge(h);
  uint64_t delivered = 0, unexpected = 0, duplicates = 0, out_of_order = 0, unparsed = 0;
  const auto& wanted = driver.accepted_set().words;
  for (auto& s : subs) {
    const auto& got = s->got().words;
    for (std::size_t w = 0; w < wanted.size(); ++w) {
      delivered += static_cast<uint64_t>(__builtin_popcountll(got[w] & wanted[w]));
      unexpected += static_cast<uint64_t>(__builtin_popcountll(got[w] & ~wanted[w]));
    }
    duplicates += s->duplicates;
    out_of_order += s->out_of_order;
    unparsed += s->unparsed;
  }
  uint64_t expected = accepted * static_cast<uint64_t>(o.clients);
  if (!driver.first_refusal.empty())
    std::cerr << "bench-sse: first refusal: " << driver.first_refusal << "\n";
  if (disconnected > 0)
    std::cerr << "bench-sse: " << disconnected << " subscribers lost their stream, e.g.: "
              << first_gone << "\n";
  auto round3 = [](double v) { return std::round(v * 1000) / 1000; };
  nlohmann::json out = {
    {"clients", o.clients},
    {"rate", o.rate},
    {"seconds", o.seconds},
    {"drivers", o.drivers},
    {"sent", driver.sent},
    {"accepted", accepted},
    {"refused", driver.refused},
    {"failed", driver.failed},
    {"not_sent", driver.not_sent},
    {"unanswered", driver.unanswered},
    {"achieved_rate", round3(driver.achieved_rate)},
    {"post_p99_ms", round3(driver.answer_times.percentile_ms(0.99))},
    {"expected", expected},
    {"delivered", delivered},
    {"missed", expected - delivered},
    {"duplicates", duplicates},
    {"out_of_order", out_of_order},
    {"unexpected", unexpected + unparsed},
    {"disconnected", disconnected},
    {"late_clients", late},
    {"p50_ms", round3(latency.percentile_ms(0.50))},
    {"p99_ms", round3(latency.percentile_ms(0.99))},
    {"max_ms", round3(latency.max_ms())},
    {"final_wait_s", round3(waited)},
  };
  std::cout << out.dump() << std::endl;
  return 0;
}
