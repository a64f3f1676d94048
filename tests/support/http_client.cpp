#include "tests/support/http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>

#include "common/text.hpp"

namespace steward::test {

namespace {

std::string trim(const std::string& text) {
  auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos)
    return {};
  auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

} // namespace

nlohmann::json http_result::json() const {
  return nlohmann::json::parse(body, nullptr, false);
}

std::string http_result::header(const std::string& name) const {
  auto it = headers.find(lower(name));
  return it == headers.end() ? std::string{} : it->second;
}

bool http_result::has_header(const std::string& name) const {
  return headers.count(lower(name)) > 0;
}

client::client(uint16_t port, std::chrono::seconds deadline) : deadline_(deadline) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  fd_ = fd;
}

client::~client() { close(); }

void client::close() {
  if (fd_ >= 0)
    ::close(fd_);
  fd_ = -1;
}

bool client::send(const std::string& bytes) {
  std::size_t sent = 0;
  while (fd_ >= 0 && sent < bytes.size()) {
    ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    sent += static_cast<std::size_t>(n);
  }
  return fd_ >= 0;
}

// Moves the data of every whole chunk from raw_ to buffer_. Malformed
// framing ends the body without its last chunk (a test expecting more, or
// the end, then fails).
void client::decode_chunks() {
  while (!last_chunk_ && !bad_chunk_) {
    auto line_end = raw_.find("\r\n");
    if (line_end == std::string::npos)
      return;
    char* end = nullptr;
    auto size = std::strtoull(raw_.c_str(), &end, 16);
    if (end == raw_.c_str() || end > raw_.c_str() + line_end) {
      bad_chunk_ = true;
      raw_.clear();
      return;
    }
    if (size == 0) {
      last_chunk_ = true;
      return;
    }
    if (raw_.size() < line_end + 2 + size + 2)
      return;
    buffer_.append(raw_, line_end + 2, size);
    raw_.erase(0, line_end + 2 + size + 2);
  }
}

client::outcome client::fill(std::chrono::steady_clock::time_point until) {
  if (fd_ < 0 || last_chunk_ || bad_chunk_)
    return outcome::closed;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return outcome::timed_out;
    pollfd p{fd_, POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR)
      continue;
    if (ready == 0)
      return outcome::timed_out;
    char chunk[16384];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return outcome::closed; // end of file, or a reset
    if (chunked_) {
      raw_.append(chunk, static_cast<std::size_t>(n));
      decode_chunks();
    } else
      buffer_.append(chunk, static_cast<std::size_t>(n));
    return outcome::data;
  }
}

std::optional<http_result> client::read_head() {
  auto until = std::chrono::steady_clock::now() + deadline_;
  std::size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos)
    if (fill(until) != outcome::data)
      return std::nullopt;

  std::string head = buffer_.substr(0, end + 2);
  buffer_.erase(0, end + 4);
  http_result r;
  auto line_end = head.find("\r\n");
  std::string status_line = head.substr(0, line_end);
  auto space = status_line.find(' ');
  if (space == std::string::npos)
    return std::nullopt;
  r.status = std::atoi(status_line.c_str() + space + 1);
  std::size_t pos = line_end + 2;
  while (pos < head.size()) {
    auto next = head.find("\r\n", pos);
    std::string line = head.substr(pos, next - pos);
    pos = next + 2;
    auto colon = line.find(':');
    if (colon == std::string::npos)
      continue;
    r.headers[lower(line.substr(0, colon))] = trim(line.substr(colon + 1));
  }
  // An event stream's body (read_reply's bodies have a Content-Length).
  if (lower(r.header("transfer-encoding")) == "chunked") {
    chunked_ = true;
    raw_ = std::move(buffer_);
    buffer_.clear();
    decode_chunks();
  }
  return r;
}

std::optional<http_result> client::read_reply() {
  auto r = read_head();
  if (!r)
    return std::nullopt;
  auto until = std::chrono::steady_clock::now() + deadline_;
  std::size_t length = std::strtoull(r->header("content-length").c_str(), nullptr, 10);
  while (buffer_.size() < length)
    if (fill(until) != outcome::data)
      return std::nullopt;
  r->body = buffer_.substr(0, length);
  buffer_.erase(0, length);
  return r;
}

bool client::read_until(const std::string& text) {
  auto until = std::chrono::steady_clock::now() + deadline_;
  while (buffer_.find(text) == std::string::npos)
    if (fill(until) != outcome::data)
      return false;
  return true;
}

bool client::read_more(std::chrono::steady_clock::time_point until) {
  return fill(until) == outcome::data;
}

std::string client::read_to_close() {
  auto until = std::chrono::steady_clock::now() + deadline_;
  while (fill(until) == outcome::data) {
  }
  auto all = std::move(buffer_);
  buffer_.clear();
  return all;
}

bool client::wait_closed() {
  auto until = std::chrono::steady_clock::now() + deadline_;
  for (;;) {
    auto got = fill(until);
    buffer_.clear(); // may be megabytes of a stream we do not look at
    if (got == outcome::closed)
      return true;
    if (got == outcome::timed_out)
      return false;
  }
}

std::string make_request(const std::string& method, const std::string& target,
                         const std::string& extra_headers, const std::string& body) {
  std::string text = method + " " + target + " HTTP/1.1\r\nHost: test\r\n" + extra_headers;
  if (!body.empty() || method == "POST" || method == "PUT")
    text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  return text + "\r\n" + body;
}

} // namespace steward::test
