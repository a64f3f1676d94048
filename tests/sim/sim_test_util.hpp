#pragma once
// What the simulator tests share: a small workload with known ids, commands
// as Steward sends them, and a thread-safe recorder of what the simulator
// emits with a waiting helper. Every wait has a 60 s guard against a hang;
// nothing asserts on how long anything took.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bus/oslo.hpp"
#include "common/clock.hpp"
#include "common/ids.hpp"
#include "sim/simulator.hpp"

namespace steward::sim::test {

using json = nlohmann::json;

constexpr auto patience = std::chrono::seconds(60);

// Cloud "c1": h1 and h2 (8 cores, 16384 MiB, 200 GB each), h3 the same but
// disabled. Flavors small (1 core, 2048 MiB, 20 GB) and big (8, 16384, 100).
// i1 (small) active on h1, i2 (small) stopped on h2, i3 in error on no host.
inline json small_workload() {
  auto host = [](const std::string& name, bool disabled) {
    return json{{"name", name},     {"vcpus", 8},       {"memory_mb", 16384},
                {"local_gb", 200},  {"disabled", disabled}};
  };
  auto instance = [](const std::string& uuid, const std::string& name, const char* host,
                     const std::string& state) {
    json i = {{"uuid", uuid},        {"cloud", "c1"},         {"display_name", name},
              {"project", "p1"},     {"flavor", "f-small"},   {"template", "t-centos"},
              {"key", "alice-key"},  {"security_groups", {"ssh"}},
              {"state", state},      {"data_volume_gb", 10},  {"internal_ips", {"10.1.0.1"}}};
    if (host != nullptr) i["host"] = host;
    if (name == "i2") i["internal_ips"] = {"10.1.0.2"};
    if (name == "i3") i["internal_ips"] = json::array();
    return i;
  };
  return json{
      {"clouds",
       {{{"uuid", "cloud-1"},
         {"name", "c1"},
         {"customer", "cust-1"},
         {"hosts", {host("h1", false), host("h2", false), host("h3", true)}},
         {"flavors",
          {{{"uuid", "f-small"}, {"name", "small"}, {"cores", 1}, {"ram", 2048}, {"disk", 20480}},
           {{"uuid", "f-big"}, {"name", "big"}, {"cores", 8}, {"ram", 16384}, {"disk", 102400}}}},
         {"templates", {{{"uuid", "t-centos"}, {"name", "CentOS 7"}, {"os", "CentOS 7.9"}}}},
         {"keys",
          {{{"uuid", "k-1"}, {"name", "alice-key"}, {"fingerprint", "aa:bb"}, {"user", "alice"}}}},
         {"security_groups",
          {{{"uuid", "sg-1"},
            {"name", "ssh"},
            {"description", "ssh in"},
            {"rules",
             {{{"protocol", "tcp"}, {"from_port", 22}, {"to_port", 22}, {"cidr", "0.0.0.0/0"}}}}}}}}}},
      {"customers", {{{"uuid", "cust-1"}, {"name", "Customer One"}, {"abbreviation", "C1"}}}},
      {"project_groups", {{{"uuid", "pg-1"}, {"name", "Group One"}, {"customer", "cust-1"}}}},
      {"projects",
       {{{"uuid", "p1"},
         {"name", "Project One"},
         {"customer", "cust-1"},
         {"project_groups", {"pg-1"}},
         {"clouds", {"cloud-1"}}}}},
      {"instances",
       {instance("i1", "i1", "h1", "active"), instance("i2", "i2", "h2", "stopped"),
        instance("i3", "i3", nullptr, "error")}}};
}

/// Options for unit tests: the small workload, every command at once, no
/// usage samples, a fixed seed.
inline sim_options quick_options(const json& workload = small_workload()) {
  sim_options o;
  o.initial_workload = parse_workload(workload);
  o.default_duration = 0;
  o.usage_interval = 0;
  o.seed = 42;
  return o;
}

/// A command as Steward publishes it; request_id and cloud are added
/// unless the payload has them.
inline bus::notification command(const std::string& event_type, json payload = json::object()) {
  if (!payload.contains("request_id")) payload["request_id"] = "req-" + make_uuid();
  if (!payload.contains("cloud")) payload["cloud"] = "c1";
  return bus::make_notification("steward.compute", event_type, "INFO", payload, now());
}

/// The flavor object of a command.
inline json flavor_object(const std::string& id, const std::string& name, int vcpus, int memory_mb,
                          int root_gb) {
  return {{"flavorid", id}, {"name", name}, {"vcpus", vcpus}, {"memory_mb", memory_mb},
          {"root_gb", root_gb}};
}

struct emitted {
  std::string routing_key;
  bus::notification note;

  const json& data() const { return note.payload.at("nova_object.data"); }
  std::string request_id() const {
    const json& p = note.payload.contains("nova_object.data") ? data() : note.payload;
    auto it = p.find("request_id");
    return it != p.end() && it->is_string() ? it->get<std::string>() : "";
  }
};

/// Records what the simulator emits (any thread).
class recorder {
public:
  simulator::emit_fn fn() {
    return [this](const std::string& key, const bus::notification& n) {
      {
        std::lock_guard<std::mutex> l(m_);
        seen_.push_back({key, n});
      }
      cv_.notify_all();
    };
  }

  std::vector<emitted> all() const {
    std::lock_guard<std::mutex> l(m_);
    return seen_;
  }

  /// Waits until `count` notifications match; returns them (fewer after 60 s).
  std::vector<emitted> wait_for(const std::function<bool(const emitted&)>& match,
                                std::size_t count = 1) const {
    std::unique_lock<std::mutex> l(m_);
    std::vector<emitted> found;
    cv_.wait_for(l, patience, [&] {
      found.clear();
      for (const emitted& e : seen_) {
        if (match(e)) found.push_back(e);
      }
      return found.size() >= count;
    });
    return found;
  }

  /// The first notification answering `request_id` (nothing after 60 s).
  std::optional<emitted> answer(const std::string& request_id) const {
    auto found = wait_for([&](const emitted& e) { return e.request_id() == request_id; });
    if (found.empty()) return std::nullopt;
    return found.front();
  }

  /// Every notification of `event_type` seen so far.
  std::vector<emitted> of_type(const std::string& event_type) const {
    std::vector<emitted> out;
    for (const emitted& e : all()) {
      if (e.note.event_type == event_type) out.push_back(e);
    }
    return out;
  }

private:
  mutable std::mutex m_;
  mutable std::condition_variable cv_;
  std::vector<emitted> seen_;
};

} // namespace steward::sim::test
