#pragma once
// Configuration: one INI file in oslo.config style, every key overridable by
// an environment variable STEWARD_<SECTION>_<KEY> and a flag --<section>-<key>.
// Precedence: embedded default < file < environment < flag.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace steward::config {

enum class kind { text, integer, boolean, choice };

struct key_spec {
  std::string section;    // "DEFAULT", "api", ...
  std::string key;        // "bind_port"
  std::string default_value;
  kind type = kind::text;
  int64_t min = 0;        // integers only
  int64_t max = 0;
  std::vector<std::string> choices; // choice only
  std::string help;
  /// Extra check on the text value; returns "" or what is wrong.
  std::string (*check)(const std::string&) = nullptr;
};

/// Every key Steward knows, with its default.
const std::vector<key_spec>& schema();

class settings {
public:
  std::string text(const std::string& section, const std::string& key) const;
  int64_t integer(const std::string& section, const std::string& key) const;
  bool boolean(const std::string& section, const std::string& key) const;
  /// Where the value came from: "default", "file", "environment" or "flag".
  std::string origin(const std::string& section, const std::string& key) const;
  /// Sets a value after validating it; returns "" or the error line.
  std::string set(const std::string& section, const std::string& key,
                  const std::string& value, const std::string& origin);
  /// Every key with its default.
  static settings defaults();

private:
  struct entry {
    std::string value;
    std::string origin;
  };
  const entry& find(const std::string& section, const std::string& key) const;
  std::map<std::string, entry> values_; // "section.key"
};

struct load_result {
  settings values;
  std::string error;        // one line naming the key and what is wrong
  bool help = false;        // --help given
  bool migrate = false;     // --migrate given: migrate the database and exit
  std::string config_file;  // "" when none
};

/// Reads the command line, the environment (only STEWARD_<SECTION>_<KEY> of
/// known keys) and the file named by --config-file.
load_result load(const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& environment);
/// Parses INI text into `into`; returns "" or the first error.
std::string parse_ini(const std::string& text, const std::string& file_name,
                      settings& into);
/// The --help text: usage and every key with its default.
std::string help_text();
/// "a=x,b=y" as its pairs, in order; nothing when an item has no name or
/// no '='.
std::optional<std::vector<std::pair<std::string, std::string>>>
name_value_pairs(const std::string& text);
/// The process environment as a map.
std::map<std::string, std::string> process_environment();

} // namespace steward::config
