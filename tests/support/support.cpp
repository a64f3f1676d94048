#include "tests/support/support.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "common/text.hpp"

#ifndef STEWARDD_PATH
#  error "STEWARDD_PATH must name the stewardd binary"
#endif

namespace steward::test {

namespace {

// Reads a pipe (a child's output) into `buf`; false on EOF, error or deadline.
bool read_some(int fd, std::string& buf, std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
    deadline - std::chrono::steady_clock::now()).count();
  if (left <= 0)
    return false;
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, static_cast<int>(left)) <= 0)
    return false;
  char tmp[16384];
  auto n = ::read(fd, tmp, sizeof tmp); // read(), not recv(): pipes too
  if (n <= 0)
    return false;
  buf.append(tmp, static_cast<std::size_t>(n));
  return true;
}

} // namespace

http_result http_call(uint16_t port, const std::string& method, const std::string& target,
                      const std::string& body, const header_list& headers) {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    "Connection: close\r\n";
  bool has_type = false;
  for (auto& [k, v] : headers) {
    req += k + ": " + v + "\r\n";
    has_type = has_type || lower(k) == "content-type";
  }
  if (!body.empty() && !has_type)
    req += "Content-Type: application/json\r\n";
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH")
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  client c{port, patience};
  c.send(req);  // the server may close early (413): read what it said
  auto head = c.read_head();
  if (!head)
    return {};
  head->body = c.read_to_close();
  return *head;
}

http_result openstack_call(uint16_t port, const std::string& method, const std::string& target,
                           const std::string& token, const nlohmann::json& body) {
  return http_call(port, method, target, body.is_null() ? "" : body.dump(),
                   {{"X-Auth-Token", token}, {"Content-Type", "application/json"}});
}

std::string raw_exchange(uint16_t port, const std::string& bytes) {
  client c{port, patience};
  c.send(bytes);
  return c.read_to_close();
}

// -- SSE -----------------------------------------------------------------------

sse_client::sse_client(uint16_t port, const std::string& target, const header_list& headers)
  : conn_{port, patience} {
  std::string req = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
  for (auto& [k, v] : headers)
    req += k + ": " + v + "\r\n";
  conn_.send(req + "\r\n");
  if (auto head = conn_.read_head())
    status_ = head->status;
}

std::optional<sse_event> sse_client::next(std::chrono::seconds wait) {
  auto deadline = std::chrono::steady_clock::now() + wait;
  auto& buffer_ = conn_.received();
  for (;;) {
    auto end = buffer_.find("\n\n");
    while (end != std::string::npos) {
      auto block = buffer_.substr(0, end);
      buffer_.erase(0, end + 2);
      sse_event e;
      bool any = false;
      std::size_t pos = 0;
      while (pos <= block.size()) {
        auto nl = block.find('\n', pos);
        if (nl == std::string::npos)
          nl = block.size();
        auto line = block.substr(pos, nl - pos);
        pos = nl + 1;
        if (line.empty())
          continue;
        if (line[0] == ':') {
          saw_comment_ = true;
          continue;
        }
        auto colon = line.find(':');
        auto field = line.substr(0, colon);
        auto value = colon == std::string::npos ? "" : line.substr(colon + 1);
        if (!value.empty() && value[0] == ' ')
          value.erase(0, 1);
        if (field == "id")
          e.id = value, any = true;
        else if (field == "event")
          e.type = value, any = true;
        else if (field == "data")
          e.data += (e.data.empty() ? "" : "\n") + value, any = true;
      }
      if (any && !e.type.empty())
        return e;
      end = buffer_.find("\n\n");
    }
    if (!conn_.read_more(deadline))
      return std::nullopt;
  }
}

// -- files and processes ---------------------------------------------------------

temp_dir::temp_dir() {
  char tmpl[] = "/tmp/steward-test-XXXXXX";
  if (!mkdtemp(tmpl))
    throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

temp_dir::~temp_dir() {
  // A failed test leaves its files (the daemons' logs, the store) to read.
  if (::testing::Test::HasFailure()) {
    std::cerr << "kept " << path_ << " (the test failed)\n";
    return;
  }
  std::string cmd = "rm -rf '" + path_ + "'";
  if (std::system(cmd.c_str()) != 0) {
    // best effort
  }
}

void temp_dir::write(const std::string& name, const std::string& text) const {
  std::ofstream out{file(name)};
  out << text;
}

namespace {

pid_t spawn(const std::string& binary, const std::vector<std::string>& args,
            const std::map<std::string, std::string>& env, int out_fd, int err_fd) {
  auto pid = fork();
  if (pid == 0) {
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    for (auto& [k, v] : env)
      setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> argv;
    std::string bin = binary;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

} // namespace

daemon_process::daemon_process(std::vector<std::string> args, std::string log_file,
                               std::map<std::string, std::string> env) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0)
    throw std::runtime_error("pipe failed");
  int err_fd = open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  pid_ = spawn(STEWARDD_PATH, args, env, pipe_fds[1], err_fd);
  close(pipe_fds[1]);
  close(err_fd);
  // The first screen names the URL: "  API      http://127.0.0.1:PORT".
  auto deadline = std::chrono::steady_clock::now() + patience;
  while (screen_.find("Ctrl-C") == std::string::npos)
    if (!read_some(pipe_fds[0], screen_, deadline))
      break;
  close(pipe_fds[0]);
  auto api = screen_.find("http://");
  if (api == std::string::npos) {
    kill9();
    throw std::runtime_error("stewardd did not start; see " + log_file);
  }
  auto colon = screen_.find(':', api + 7);
  port_ = static_cast<uint16_t>(std::atoi(screen_.c_str() + colon + 1));
}

daemon_process::daemon_process(std::string binary, std::vector<std::string> args,
                               std::string log_file, std::string ready_marker) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0)
    throw std::runtime_error("pipe failed");
  int err_fd = open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  pid_ = spawn(binary, args, {}, pipe_fds[1], err_fd);
  close(pipe_fds[1]);
  close(err_fd);
  auto deadline = std::chrono::steady_clock::now() + patience;
  while (screen_.find(ready_marker) == std::string::npos)
    if (!read_some(pipe_fds[0], screen_, deadline))
      break;
  close(pipe_fds[0]);
  if (screen_.find(ready_marker) == std::string::npos) {
    kill9();
    throw std::runtime_error(binary + " did not start; see " + log_file);
  }
}

daemon_process::~daemon_process() {
  if (pid_ > 0)
    kill9();
}

int daemon_process::stop() {
  if (pid_ <= 0)
    return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void daemon_process::kill9() {
  if (pid_ <= 0)
    return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

int run_stewardd(const std::vector<std::string>& args, std::string& out, std::string& err,
                 std::map<std::string, std::string> env) {
  int out_pipe[2], err_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0)
    throw std::runtime_error("pipe failed");
  auto pid = spawn(STEWARDD_PATH, args, env, out_pipe[1], err_pipe[1]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  auto deadline = std::chrono::steady_clock::now() + patience;
  while (read_some(out_pipe[0], out, deadline)) {
  }
  while (read_some(err_pipe[0], err, deadline)) {
  }
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace steward::test
