#include "config/config.hpp"

#include <algorithm>
#include <cstdlib>
#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/text.hpp"

extern char** environ;

namespace steward::config {

std::optional<std::vector<std::pair<std::string, std::string>>>
name_value_pairs(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t i = 0;
  while (i < text.size()) {
    auto comma = text.find(',', i);
    auto item = text.substr(i, comma == std::string::npos ? std::string::npos : comma - i);
    auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      return std::nullopt;
    out.emplace_back(item.substr(0, eq), item.substr(eq + 1));
    if (comma == std::string::npos)
      break;
    i = comma + 1;
  }
  return out;
}

namespace {

std::string check_transport_url(const std::string& v) {
  if (v.empty())
    return "";
  for (const char* scheme : {"rabbit://", "amqp://"})
    if (v.rfind(scheme, 0) == 0) {
      auto rest = v.substr(std::string{scheme}.size());
      auto at = rest.rfind('@');
      auto host = at == std::string::npos ? rest : rest.substr(at + 1);
      if (host.empty() || host[0] == '/' || host[0] == ':')
        return "names no host (expected rabbit://user:pass@host:port/vhost)";
      return "";
    }
  return "must start with rabbit:// or amqp:// (or be empty for the in-process bus)";
}

std::string check_connection(const std::string& v) {
  if (v.empty())
    return "";
  if (v.rfind("sqlite:///", 0) == 0)
    return v.size() > 10 ? "" : "sqlite:/// needs a file path";
  if (v.rfind("postgresql://", 0) == 0 || v.rfind("postgres://", 0) == 0)
    return "";
  return "must be sqlite:///PATH or postgresql://USER:PASS@HOST/DB";
}

std::string check_number(const std::string& v) {
  char* end = nullptr;
  auto d = std::strtod(v.c_str(), &end);
  if (v.empty() || end != v.c_str() + v.size() || d < 0)
    return "is not a non-negative number";
  return "";
}

// "name=value,name=value" with non-negative numeric values.
std::string check_number_map(const std::string& v) {
  auto pairs = name_value_pairs(v);
  if (!pairs)
    return "must be name=number pairs separated by commas";
  for (auto& [name, value] : *pairs)
    if (auto err = check_number(value); !err.empty())
      return "has a value that " + err;
  return "";
}

// "name=value" pairs separated by commas, each name given once; a value is
// free text without a comma (a URL).
std::string check_text_map(const std::string& v) {
  auto pairs = name_value_pairs(v);
  if (!pairs)
    return "must be name=value pairs separated by commas";
  for (std::size_t i = 0; i < pairs->size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if ((*pairs)[j].first == (*pairs)[i].first)
        return "names " + (*pairs)[i].first + " twice";
  return "";
}

std::string check_not_empty(const std::string& v) {
  return v.empty() ? "must not be empty" : "";
}

key_spec text_key(std::string section, std::string key, std::string def, std::string help,
                  std::string (*check)(const std::string&) = nullptr) {
  key_spec k;
  k.section = std::move(section);
  k.key = std::move(key);
  k.default_value = std::move(def);
  k.help = std::move(help);
  k.check = check;
  return k;
}

key_spec int_key(std::string section, std::string key, int64_t def, int64_t min, int64_t max,
                 std::string help) {
  auto k = text_key(std::move(section), std::move(key), std::to_string(def), std::move(help));
  k.type = kind::integer;
  k.min = min;
  k.max = max;
  return k;
}

key_spec bool_key(std::string section, std::string key, bool def, std::string help) {
  auto k = text_key(std::move(section), std::move(key), def ? "true" : "false", std::move(help));
  k.type = kind::boolean;
  return k;
}

key_spec choice_key(std::string section, std::string key, std::string def,
                    std::vector<std::string> choices, std::string help) {
  auto k = text_key(std::move(section), std::move(key), std::move(def), std::move(help));
  k.type = kind::choice;
  k.choices = std::move(choices);
  return k;
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos)
    return "";
  auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

const key_spec* find_spec(const std::string& section, const std::string& key) {
  for (auto& k : schema())
    if (k.section == section && k.key == key)
      return &k;
  return nullptr;
}

std::string name_of(const std::string& section, const std::string& key) {
  return "[" + section + "] " + key;
}

bool parse_bool(const std::string& v, bool& out) {
  auto l = lower(v);
  if (l == "true" || l == "yes" || l == "on" || l == "1") {
    out = true;
    return true;
  }
  if (l == "false" || l == "no" || l == "off" || l == "0") {
    out = false;
    return true;
  }
  return false;
}

std::string validate(const key_spec& k, const std::string& v) {
  switch (k.type) {
    case kind::integer: {
      if (v.empty() || !std::all_of(v.begin() + (v[0] == '-' ? 1 : 0), v.end(),
                                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })
          || v == "-")
        return "'" + v + "' is not an integer";
      long long n;
      try {
        n = std::stoll(v);
      } catch (const std::exception&) {
        return "'" + v + "' is out of range";
      }
      if (n < k.min || n > k.max)
        return "'" + v + "' is outside " + std::to_string(k.min) + ".." + std::to_string(k.max);
      break;
    }
    case kind::boolean: {
      bool b;
      if (!parse_bool(v, b))
        return "'" + v + "' is not a boolean (true or false)";
      break;
    }
    case kind::choice:
      if (std::find(k.choices.begin(), k.choices.end(), v) == k.choices.end()) {
        std::string all;
        for (auto& c : k.choices)
          all += (all.empty() ? "" : ", ") + c;
        return "'" + v + "' is not one of: " + all;
      }
      break;
    case kind::text:
      break;
  }
  if (k.check) {
    auto err = k.check(v);
    if (!err.empty())
      return "'" + v + "' " + err;
  }
  return "";
}

} // namespace

const std::vector<key_spec>& schema() {
  static const std::vector<key_spec> keys = {
    text_key("DEFAULT", "state_dir", "./var",
             "directory for the embedded database and the generated token file",
             check_not_empty),
    choice_key("DEFAULT", "log_level", "info", {"debug", "info", "warning", "error"},
               "least severe log level written to stderr"),
    int_key("DEFAULT", "max_json_depth", 32, 2, 1000,
            "deepest nesting of arrays and objects accepted in a JSON request body or bus "
            "message (deeper ones: 400, or the dead-letter queue)"),
    int_key("DEFAULT", "actor_threads", 0, 0, 256,
            "threads running the actors (0: one per core)"),
    bool_key("DEFAULT", "test_clock", false,
             "allow POST /v1/admin/clock to move Steward's clock forward (tests only)"),
    int_key("DEFAULT", "test_clock_offset", 0, 0, 315360000,
            "with test_clock: start with the clock this many seconds ahead (tests of timers "
            "that fell due while stewardd was down)"),
    text_key("api", "bind_host", "127.0.0.1", "address the HTTP API listens on",
             check_not_empty),
    int_key("api", "bind_port", 8080, 0, 65535, "port the HTTP API listens on (0: any)"),
    int_key("api", "workers", 2, 1, 256, "HTTP io threads"),
    int_key("api", "max_header_bytes", 16384, 1024, 1048576,
            "largest request head accepted (431 beyond)"),
    int_key("api", "max_body_bytes", 1048576, 1024, 268435456,
            "largest request body accepted (413 beyond)"),
    int_key("api", "read_timeout", 30, 1, 3600, "seconds to receive a whole request"),
    int_key("api", "write_timeout", 30, 1, 3600,
            "seconds to send a response (or one event to a stream client)"),
    int_key("api", "idle_timeout", 60, 1, 3600, "seconds a keep-alive connection may idle"),
    int_key("api", "request_timeout", 30, 1, 3600,
            "seconds an actor may take to answer a request (504 beyond)"),
    int_key("api", "sse_heartbeat", 15, 1, 3600, "seconds between heartbeat comments on idle event streams"),
    int_key("api", "sse_queue", 1024, 16, 1048576,
            "events queued per stream client before it is dropped"),
    bool_key("api", "access_log", true, "one log line per request"),
    text_key("database", "connection", "",
             "sqlite:///PATH (relative; sqlite:////abs/path absolute) or postgresql://...; "
             "empty: sqlite in state_dir/steward.db",
             check_connection),
    int_key("database", "max_batch", 1024, 1, 100000, "write batches per group commit, at most"),
    int_key("database", "event_retention", 1000000, 1000, 1000000000,
            "events kept for stream replay"),
    text_key("messaging", "transport_url", "",
             "rabbit://user:pass@host:port/vhost; empty: the in-process bus",
             check_transport_url),
    text_key("messaging", "notification_exchange", "openstack",
             "exchange Steward publishes its notifications to", check_not_empty),
    text_key("messaging", "notification_topic", "notifications",
             "topic of Steward's notifications (routing key <topic>.<priority>)",
             check_not_empty),
    text_key("messaging", "nova_exchange", "nova",
             "exchange Nova publishes its versioned notifications to", check_not_empty),
    text_key("messaging", "nova_topic", "versioned_notifications",
             "topic of Nova's versioned notifications", check_not_empty),
    text_key("messaging", "consumer_queue", "steward.notifications",
             "Steward's own durable queue for what it consumes", check_not_empty),
    text_key("messaging", "dead_letter", "steward.dead-letter",
             "exchange and queue where malformed messages go", check_not_empty),
    bool_key("messaging", "amqp_durable_queues", false,
             "declare exchanges durable, as oslo.messaging's option of that name"),
    int_key("messaging", "prefetch", 256, 1, 65535, "unacknowledged deliveries in flight"),
    int_key("messaging", "max_attempts", 5, 1, 1000,
            "a notification whose handling failed, or ended with the process, this many "
            "times in a row goes to the dead-letter queue with the reason"),
    int_key("messaging", "heartbeat", 30, 0, 3600, "AMQP heartbeat seconds (0: off)"),
    choice_key("compute", "driver", "simulated", {"simulated", "bus"},
               "simulated: the simulated cloud runs inside stewardd; bus: commands go over "
               "the bus to whatever speaks the compute contract (steward-sim, an adapter)"),
    text_key("compute", "command_exchange", "steward.compute",
             "exchange Steward publishes compute commands to", check_not_empty),
    int_key("leases", "minutes_before_end", 60, 0, 525600,
            "default minutes between a lease's before-end event and its end (0: no event)"),
    choice_key("leases", "default_before_end", "", {"", "snapshot"},
               "what a reservation's before_end \"default\" does: nothing, or snapshot"),
    int_key("maintenance", "max_sessions", 5, 1, 1000,
            "maintenance sessions running at once; one more is refused with 509"),
    int_key("maintenance", "reply_seconds", 20, 0, 86400,
            "how long a project has to answer a maintenance notification"),
    int_key("maintenance", "own_action_seconds", 120, 0, 86400,
            "how long a project that chose OWN_ACTION has to empty the host"),
    int_key("maintenance", "move_seconds", 600, 1, 86400,
            "how long one migration Steward commands may take before the session fails"),
    int_key("maintenance", "host_seconds", 0, 0, 86400,
            "how long the maintenance of one emptied host takes"),
    choice_key("maintenance", "default_action", "MIGRATE", {"MIGRATE", "LIVE_MIGRATE", "OWN_ACTION"},
               "what happens to the instances of a project that does not answer"),
    text_key("maintenance", "cpu_allocation_ratio", "4.0",
             "virtual CPUs per physical one when choosing where instances go", check_number),
    int_key("environments", "deploy_seconds", 600, 1, 86400,
            "how long a deployment waits for the compute layer before what is pending fails"),
    text_key("migration", "source_cloud", "default",
             "the cloud tenants migrate from (a cloud of the inventory)", check_not_empty),
    text_key("migration", "destination_cloud", "destination",
             "the cloud tenants migrate to (a cloud of the inventory)", check_not_empty),
    text_key("migration", "source_urls", "horizon=http://127.0.0.1/horizon",
             "what /resources shows as the source cloud's urls: name=url pairs",
             check_text_map),
    text_key("migration", "destination_urls", "horizon=http://127.0.0.2/horizon",
             "what /resources shows as the destination cloud's urls: name=url pairs",
             check_text_map),
    bool_key("migration", "reset", false,
             "whether POST /reset may restore the clouds' starting workload (404 otherwise)"),
    int_key("migration", "parallel_servers", 10, 1, 1000,
            "servers of one tenant migrating at once"),
    int_key("migration", "move_seconds", 600, 1, 86400,
            "seconds an evacuated server's move may take before it counts as failed"),
    text_key("simulator", "workload_file", "",
             "JSON workload the simulated cloud starts with; empty: the small embedded one"),
    text_key("simulator", "default_duration", "1",
             "seconds a simulated command takes unless durations says otherwise", check_number),
    text_key("simulator", "durations", "",
             "per-command seconds, e.g. compute.instance.create=3,compute.instance.migrate=5",
             check_number_map),
    text_key("simulator", "failure_rates", "",
             "per-command failure probability 0..1, e.g. compute.instance.migrate=0.1",
             check_number_map),
    int_key("simulator", "usage_interval", 60, 0, 86400,
            "seconds between usage samples per running instance (0: none)"),
    text_key("simulator", "cpu_allocation_ratio", "4", "vCPUs placed per physical core",
             check_number),
    text_key("simulator", "ram_allocation_ratio", "1", "memory placed per MiB of a host",
             check_number),
    text_key("simulator", "disk_allocation_ratio", "1", "disk placed per GiB of a host",
             check_number),
    int_key("simulator", "seed", 0, 0, 4294967295LL,
            "random seed for injected failures (0: a new one each start)"),
    text_key("auth", "tokens_file", "",
             "JSON file of tokens; empty: state_dir/tokens.json, created with an admin "
             "token on first start"),
  };
  return keys;
}

// -- settings ----------------------------------------------------------------

settings settings::defaults() {
  settings s;
  for (auto& k : schema())
    s.values_[k.section + "." + k.key] = {k.default_value, "default"};
  return s;
}

const settings::entry& settings::find(const std::string& section,
                                      const std::string& key) const {
  auto i = values_.find(section + "." + key);
  if (i == values_.end())
    throw std::logic_error("no such configuration key: " + name_of(section, key));
  return i->second;
}

std::string settings::text(const std::string& section, const std::string& key) const {
  return find(section, key).value;
}

int64_t settings::integer(const std::string& section, const std::string& key) const {
  return std::stoll(find(section, key).value);
}

bool settings::boolean(const std::string& section, const std::string& key) const {
  bool b = false;
  parse_bool(find(section, key).value, b);
  return b;
}

std::string settings::origin(const std::string& section, const std::string& key) const {
  return find(section, key).origin;
}

std::string settings::set(const std::string& section, const std::string& key,
                          const std::string& value, const std::string& origin) {
  auto spec = find_spec(section, key);
  if (!spec)
    return "unknown key " + name_of(section, key);
  auto err = validate(*spec, value);
  if (!err.empty())
    return name_of(section, key) + ": " + err;
  values_[section + "." + key] = {value, origin};
  return "";
}

// -- sources -----------------------------------------------------------------

std::string parse_ini(const std::string& text, const std::string& file_name,
                      settings& into) {
  std::istringstream in{text};
  std::string line;
  std::string section;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    auto t = trim(line);
    auto where = file_name + ":" + std::to_string(number) + ": ";
    if (t.empty() || t[0] == '#' || t[0] == ';')
      continue;
    if (t[0] == '[') {
      if (t.back() != ']')
        return where + "malformed section header '" + t + "'";
      section = trim(t.substr(1, t.size() - 2));
      bool known = std::any_of(schema().begin(), schema().end(),
                               [&](const key_spec& k) { return k.section == section; });
      if (!known)
        return where + "unknown section [" + section + "]";
      continue;
    }
    auto eq = t.find_first_of("=:");
    if (eq == std::string::npos)
      return where + "expected 'key = value', got '" + t + "'";
    if (section.empty())
      return where + "key '" + trim(t.substr(0, eq)) + "' outside any section";
    auto err = into.set(section, trim(t.substr(0, eq)), trim(t.substr(eq + 1)), "file");
    if (!err.empty())
      return where + err;
  }
  return "";
}

namespace {

// "--api-bind_port" and "--api-bind-port" both name [api] bind_port; DEFAULT
// keys may drop the section ("--state-dir").
const key_spec* spec_for_flag(const std::string& flag) {
  auto norm = [](std::string s) {
    std::replace(s.begin(), s.end(), '_', '-');
    return lower(s);
  };
  auto f = norm(flag);
  for (auto& k : schema()) {
    auto key = norm(k.key);
    if (f == norm(k.section) + "-" + key)
      return &k;
    if (k.section == "DEFAULT" && f == key)
      return &k;
  }
  return nullptr;
}

} // namespace

load_result load(const std::vector<std::string>& args,
                 const std::map<std::string, std::string>& environment) {
  load_result r;
  r.values = settings::defaults();
  std::vector<std::pair<const key_spec*, std::string>> flags;
  for (std::size_t i = 0; i < args.size(); ++i) {
    auto a = args[i];
    if (a == "--help" || a == "-h") {
      r.help = true;
      return r;
    }
    if (a == "--migrate") {
      r.migrate = true;
      continue;
    }
    if (a.rfind("--", 0) != 0) {
      r.error = "unexpected argument '" + a + "' (see --help)";
      return r;
    }
    auto name = a.substr(2);
    std::string value;
    auto eq = name.find('=');
    bool inline_value = eq != std::string::npos;
    if (inline_value) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    bool is_file = name == "config-file" || name == "config_file";
    auto spec = is_file ? nullptr : spec_for_flag(name);
    if (!is_file && !spec) {
      r.error = "unknown option --" + name + " (see --help)";
      return r;
    }
    if (!inline_value) {
      if (i + 1 >= args.size()) {
        r.error = "option --" + name + " needs a value";
        return r;
      }
      value = args[++i];
    }
    if (is_file)
      r.config_file = value;
    else
      flags.emplace_back(spec, value);
  }
  if (!r.config_file.empty()) {
    std::ifstream in{r.config_file};
    if (!in) {
      r.error = "cannot read config file " + r.config_file;
      return r;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    r.error = parse_ini(buf.str(), r.config_file, r.values);
    if (!r.error.empty())
      return r;
  }
  for (auto& k : schema()) {
    auto var = "STEWARD_" + upper(k.section) + "_" + upper(k.key);
    auto i = environment.find(var);
    if (i == environment.end())
      continue;
    auto err = r.values.set(k.section, k.key, i->second, "environment");
    if (!err.empty()) {
      r.error = var + ": " + err;
      return r;
    }
  }
  for (auto& [spec, value] : flags) {
    auto err = r.values.set(spec->section, spec->key, value, "flag");
    if (!err.empty()) {
      r.error = err;
      return r;
    }
  }
  return r;
}

std::string help_text() {
  std::ostringstream out;
  out << "usage: stewardd [--config-file PATH] [--SECTION-KEY VALUE ...] [--migrate]\n\n"
         "--migrate brings the configured database to this stewardd's schema (as\n"
         "every start does) and exits.\n\n"
         "Every key below can be set in the INI file, as an environment variable\n"
         "STEWARD_<SECTION>_<KEY>, or as a flag --<section>-<key> (dashes or\n"
         "underscores). Flags win over the environment, which wins over the file.\n";
  std::string section;
  for (auto& k : schema()) {
    if (k.section != section) {
      section = k.section;
      out << "\n[" << section << "]\n";
    }
    out << "  " << k.key << " = " << (k.default_value.empty() ? "\"\"" : k.default_value)
        << "\n      " << k.help;
    if (k.type == kind::integer)
      out << " (" << k.min << ".." << k.max << ")";
    out << "\n      flag --" << (k.section == "DEFAULT" ? "" : lower(k.section) + "-")
        << k.key << ", env STEWARD_" << upper(k.section) << "_" << upper(k.key) << "\n";
  }
  return out.str();
}

std::map<std::string, std::string> process_environment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string kv = *e;
    auto eq = kv.find('=');
    if (eq != std::string::npos)
      env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return env;
}

} // namespace steward::config
