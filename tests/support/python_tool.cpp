#include "tests/support/python_tool.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

extern char** environ;

namespace steward::test {

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in{path};
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool configures_a_client(const std::string& var) {
  for (auto prefix : {"OS_", "BLAZAR_", "MURANO_", "PYTHON"})
    if (var.rfind(prefix, 0) == 0)
      return true;
  return false;
}

} // namespace

run_result run_python(const temp_dir& dir, const std::vector<std::string>& args) {
  return run_program(dir, debian_python, args);
}

run_result run_program(const temp_dir& dir, const std::string& program,
                       const std::vector<std::string>& args) {
  auto out_file = dir.file("cli.out");
  auto err_file = dir.file("cli.err");
  // Everything the child needs is ready before fork: it only opens, dups
  // and execs.
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e)
    if (!configures_a_client(*e))
      env.emplace_back(*e);
  std::vector<std::string> copy = args;
  std::string path = program;
  std::vector<char*> argv{path.data()};
  for (auto& a : copy)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& v : env)
    envp.push_back(v.data());
  envp.push_back(nullptr);
  auto pid = fork();
  if (pid == 0) {
    int out_fd = open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err_fd = open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int null_fd = open("/dev/null", O_RDONLY);
    if (out_fd < 0 || err_fd < 0 || null_fd < 0)
      _exit(126);
    dup2(null_fd, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    execve(path.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  run_result r;
  if (pid < 0)
    return r;
  int status = 0;
  waitpid(pid, &status, 0);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out_file);
  r.err = slurp(err_file);
  return r;
}

bool python_module_installed(const std::string& module) {
  if (::access(debian_python, X_OK) != 0)
    return false;
  temp_dir dir;
  return run_python(dir, {"-c", "import " + module}).status == 0;
}

} // namespace steward::test
