#pragma once
// Debian's Python tools (the OpenStack clients) run unmodified by a test:
// the interpreter, a run with its output kept, whether a module is there.
#include <string>
#include <vector>

#include "tests/support/support.hpp"

namespace steward::test {

/// Debian's interpreter: the python3 first on PATH may be another one.
inline const char* const debian_python = "/usr/bin/python3";

struct run_result {
  int status = -1;
  std::string out;
  std::string err;
};

/// Runs Debian's python3 with `args`, stdout and stderr into files of
/// `dir`. The environment is the test's without OS_*, BLAZAR_*, MURANO_* and
/// PYTHON* variables, so that only the command line configures a client.
run_result run_python(const temp_dir& dir, const std::vector<std::string>& args);
/// The same for another program (a path), with the same environment.
run_result run_program(const temp_dir& dir, const std::string& program,
                       const std::vector<std::string>& args);

/// Whether Debian's python3 imports `module` (a client's package is installed).
bool python_module_installed(const std::string& module);

} // namespace steward::test
