#include "sim/simulator.hpp"

#include <cstdlib>
#include <stdexcept>

#include "bus/oslo.hpp"
#include "common/clock.hpp"
#include "common/log.hpp"
#include "config/config.hpp"
#include "sim/payloads.hpp"

namespace steward::sim {

namespace {

using json = nlohmann::json;
constexpr const char* component = "sim";

// Outcomes remembered for repeated request ids: enough for any redelivery
// after a broker failure, bounded so that a long run does not grow forever.
constexpr std::size_t remembered_requests = 100000;

const char* const fail_next_command = "simulator.fail_next";

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

double number(const std::string& text, const std::string& what) {
  char* end = nullptr;
  double d = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || d < 0) {
    throw std::invalid_argument(what + ": '" + text + "' is not a non-negative number");
  }
  return d;
}

// A map of command names: a name that is not a command is a typo that would
// otherwise be silently ignored.
std::map<std::string, double> command_map(const std::string& text, const std::string& what) {
  std::map<std::string, double> out = parse_number_map(text, what);
  for (const auto& [name, value] : out) {
    if (!is_command(name)) {
      throw std::invalid_argument(what + ": '" + name + "' is not a command (e.g. " +
                                  command_names().front() + ")");
    }
  }
  return out;
}

uint64_t seed_of(uint64_t configured) {
  if (configured != 0) return configured;
  std::random_device rd;
  return (static_cast<uint64_t>(rd()) << 32) ^ rd();
}

} // namespace

// --- options ------------------------------------------------------------------

std::map<std::string, double> parse_number_map(const std::string& text, const std::string& what) {
  std::map<std::string, double> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    std::string item = trim(text.substr(start, comma == std::string::npos ? std::string::npos
                                                                          : comma - start));
    if (!item.empty()) {
      std::size_t eq = item.find('=');
      if (eq == std::string::npos || eq == 0) {
        throw std::invalid_argument(what + ": '" + item + "' is not name=number");
      }
      out[trim(item.substr(0, eq))] = number(trim(item.substr(eq + 1)), what);
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

sim_options options_from(const config::settings& s) {
  sim_options o;
  std::string file = s.text("simulator", "workload_file");
  if (!file.empty()) {
    o.initial_workload = load_workload_file(file);
    o.workload_source = file;
  }
  o.default_duration =
      number(s.text("simulator", "default_duration"), "[simulator] default_duration");
  o.durations = command_map(s.text("simulator", "durations"), "[simulator] durations");
  o.failure_rates = command_map(s.text("simulator", "failure_rates"), "[simulator] failure_rates");
  for (const auto& [name, rate] : o.failure_rates) {
    if (rate > 1.0) {
      throw std::invalid_argument("[simulator] failure_rates: " + name +
                                  " is a probability, at most 1");
    }
  }
  o.usage_interval = s.integer("simulator", "usage_interval");
  o.ratios.cpu = number(s.text("simulator", "cpu_allocation_ratio"),
                        "[simulator] cpu_allocation_ratio");
  o.ratios.ram = number(s.text("simulator", "ram_allocation_ratio"),
                        "[simulator] ram_allocation_ratio");
  o.ratios.disk = number(s.text("simulator", "disk_allocation_ratio"),
                         "[simulator] disk_allocation_ratio");
  o.seed = static_cast<uint64_t>(s.integer("simulator", "seed"));
  o.nova_topic = s.text("messaging", "nova_topic");
  return o;
}

// --- life -----------------------------------------------------------------------

simulator::simulator(sim_options options, emit_fn emit)
    : options_(std::move(options)),
      emit_(std::move(emit)),
      world_(options_.initial_workload, options_.ratios),
      usage_(0),
      rng_(seed_of(options_.seed)) {
  usage_ = usage_meter(rng_());  // the same seed gives the same numbers
}

simulator::~simulator() { stop(); }

void simulator::on_emit(emit_fn emit) { emit_ = std::move(emit); }

void simulator::start() {
  std::lock_guard<std::mutex> l(mtx_);
  if (running_) throw std::logic_error("simulator: already started");
  running_ = true;
  stopping_ = false;
  worker_ = std::thread([this] { worker_main(); });
}

void simulator::stop() {
  {
    std::lock_guard<std::mutex> l(mtx_);
    if (!running_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  worker_.join();
  std::lock_guard<std::mutex> l(mtx_);
  if (!queue_.empty()) LOG_INFO(component, "stopped with " << queue_.size() << " commands unrun");
  running_ = false;
}

// --- taking commands --------------------------------------------------------

void simulator::handle(const bus::notification& command) {
  if (command.event_type == fail_next_command) {
    apply_control(command);
    return;
  }
  if (!is_command(command.event_type)) {
    LOG_WARN(component, "ignoring '" << command.event_type << "': not a command of the compute "
                                     << "contract (message " << command.message_id << ")");
    return;
  }
  queued q;
  q.command = command;
  auto rid = command.payload.find("request_id");
  if (rid != command.payload.end() && rid->is_string()) q.request_id = rid->get<std::string>();
  if (q.request_id.empty()) {
    LOG_WARN(component, command.event_type << " without request_id: it cannot be deduplicated");
  }
  q.subject = subject_of(command);
  {
    std::lock_guard<std::mutex> l(mtx_);
    if (!q.request_id.empty() && in_flight_.count(q.request_id) != 0) {
      // The first copy has not run yet; its outcome answers this one too.
      LOG_INFO(component, "request " << q.request_id << " arrived again while queued");
      return;
    }
    if (!q.request_id.empty() && answered_.count(q.request_id) != 0) {
      LOG_INFO(component, "request " << q.request_id << " arrived again: answering it again");
      q.replay = true;
      q.subject.clear();
      enqueue(std::move(q), clock::duration::zero());
    } else {
      if (!q.request_id.empty()) in_flight_.insert(q.request_id);
      clock::duration d = duration_of(command.event_type);
      enqueue(std::move(q), d);
    }
  }
  cv_.notify_all();
}

void simulator::apply_control(const bus::notification& command) {
  std::string name = command.payload.value("command", std::string());
  int count = 1;
  auto c = command.payload.find("count");
  if (c != command.payload.end() && c->is_number_integer()) count = c->get<int>();
  if (!is_command(name) || count < 0) {
    LOG_WARN(component, fail_next_command << ": '" << name << "' (count " << count
                                          << ") is not a command and a count; ignored");
    return;
  }
  fail_next(name, count, command.payload.value("lose", false));
}

void simulator::fail_next(const std::string& command, int count, bool lose) {
  std::lock_guard<std::mutex> l(mtx_);
  (lose ? lose_next_ : fail_next_)[command] = count;
  LOG_INFO(component, "the next " << count << " executions of " << command
                                  << (lose ? " are lost" : " fail"));
}

// Must hold mtx_. A command starts when the last one on its subject ends.
void simulator::enqueue(queued q, clock::duration duration) {
  clock::time_point start = clock::now();
  if (!q.subject.empty()) {
    auto busy = busy_until_.find(q.subject);
    if (busy != busy_until_.end() && busy->second > start) start = busy->second;
  }
  clock::time_point due = start + duration;
  if (!q.subject.empty()) busy_until_[q.subject] = due;
  queue_.emplace(queue_key{due, arrivals_++}, std::move(q));
}

simulator::clock::duration simulator::duration_of(const std::string& command) const {
  double seconds = 0;
  auto it = options_.durations.find(command);
  if (it != options_.durations.end()) {
    seconds = it->second;
  } else if (command != "compute.sync") {
    seconds = options_.default_duration;  // a sync is an answer, not work
  }
  return std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(seconds));
}

// --- the worker ---------------------------------------------------------------

void simulator::worker_main() {
  publish_full_state();
  const auto interval = std::chrono::seconds(options_.usage_interval);
  clock::time_point next_usage =
      options_.usage_interval > 0 ? clock::now() + interval : clock::time_point::max();
  std::unique_lock<std::mutex> l(mtx_);
  while (!stopping_) {
    clock::time_point now = clock::now();
    if (!queue_.empty() && queue_.begin()->first.first <= now) {
      queued q = std::move(queue_.begin()->second);
      clock::time_point due = queue_.begin()->first.first;
      queue_.erase(queue_.begin());
      auto busy = busy_until_.find(q.subject);
      if (busy != busy_until_.end() && busy->second <= due) busy_until_.erase(busy);
      l.unlock();
      run(q);
      l.lock();
      continue;
    }
    if (next_usage <= now) {
      next_usage = now + interval;
      l.unlock();
      sample_usage();
      l.lock();
      continue;
    }
    clock::time_point wake = next_usage;
    if (!queue_.empty() && queue_.begin()->first.first < wake) wake = queue_.begin()->first.first;
    if (wake == clock::time_point::max()) {
      cv_.wait(l);
    } else {
      cv_.wait_until(l, wake);
    }
  }
}

void simulator::run(const queued& q) {
  if (q.replay) {
    replay(q.request_id);
    return;
  }
  if (take_loss(q.command.event_type)) {
    std::lock_guard<std::mutex> l(mtx_);
    in_flight_.erase(q.request_id);
    LOG_INFO(component, q.command.event_type << " " << q.request_id << " lost on purpose");
    return;
  }
  bool injected = q.command.event_type != "compute.sync" && take_failure(q.command.event_type);
  std::vector<outcome> outcomes;
  {
    std::lock_guard<std::mutex> l(world_mtx_);
    outcomes = q.command.event_type == "compute.reset"
                 ? reset_world(world_, options_.initial_workload, q.request_id)
                 : execute(world_, q.command, injected);
  }
  std::vector<emitted> notes = notifications_of(outcomes);
  {
    std::lock_guard<std::mutex> l(mtx_);
    in_flight_.erase(q.request_id);
    // A sync is answered with the state of the moment: run again, not replayed.
    if (!q.request_id.empty() && q.command.event_type != "compute.sync") {
      remember(q.request_id, notes);
    }
  }
  LOG_DEBUG(component, q.command.event_type << " " << q.request_id << ": "
                                            << (notes.empty() ? "-" : notes.front().note.event_type));
  emit_all(notes);
}

void simulator::replay(const std::string& request_id) {
  std::vector<emitted> notes;
  {
    std::lock_guard<std::mutex> l(mtx_);
    auto it = answered_.find(request_id);
    if (it != answered_.end()) notes = it->second;
  }
  emit_all(notes);
}

// Must hold mtx_.
void simulator::remember(const std::string& request_id, const std::vector<emitted>& outcomes) {
  if (answered_.emplace(request_id, outcomes).second) answered_order_.push_back(request_id);
  while (answered_order_.size() > remembered_requests) {
    answered_.erase(answered_order_.front());
    answered_order_.pop_front();
  }
}

bool simulator::take_loss(const std::string& command) {
  std::lock_guard<std::mutex> l(mtx_);
  auto next = lose_next_.find(command);
  if (next == lose_next_.end() || next->second <= 0)
    return false;
  --next->second;
  return true;
}

bool simulator::take_failure(const std::string& command) {
  std::lock_guard<std::mutex> l(mtx_);
  auto next = fail_next_.find(command);
  if (next != fail_next_.end() && next->second > 0) {
    --next->second;
    return true;
  }
  auto rate = options_.failure_rates.find(command);
  if (rate == options_.failure_rates.end() || rate->second <= 0) return false;
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < rate->second;
}

void simulator::publish_full_state() {
  std::vector<outcome> outcomes;
  {
    std::lock_guard<std::mutex> l(world_mtx_);
    for (const std::string& cloud : world_.cloud_names()) {
      std::vector<outcome> state = full_state(world_, cloud, "");
      outcomes.insert(outcomes.end(), state.begin(), state.end());
    }
  }
  emit_all(notifications_of(outcomes));
}

// One sample per running instance.
void simulator::sample_usage() {
  std::vector<outcome> outcomes;
  {
    std::lock_guard<std::mutex> l(world_mtx_);
    std::set<std::string> present;
    for (const std::string& cloud : world_.cloud_names()) {
      for (const instance* i : world_.instances_of(cloud)) {
        present.insert(i->uuid);
        if (i->vm_state != "active" || i->host.empty()) continue;
        usage_sample s = usage_.next(*i);
        outcomes.push_back({"instance.usage", "INFO", "nova-compute:" + i->host,
                            usage_payload(*i, s.cpu_util, s.memory_mb, s.disk_gb)});
      }
    }
    usage_.keep_only(present);
  }
  emit_all(notifications_of(outcomes));
}

std::vector<simulator::emitted> simulator::notifications_of(
    const std::vector<outcome>& outcomes) const {
  std::vector<emitted> out;
  for (const outcome& o : outcomes) {
    out.push_back({bus::routing_key(options_.nova_topic, o.priority),
                   bus::make_notification(o.publisher_id, o.event_type, o.priority, o.payload,
                                          steward::now())});
  }
  return out;
}

void simulator::emit_all(const std::vector<emitted>& notes) {
  if (!emit_) return;
  for (const emitted& e : notes) {
    try {
      emit_(e.routing_key, e.note);
    } catch (const std::exception& ex) {
      // One lost outcome must not stop the cloud.
      LOG_ERROR(component, "emitting " << e.note.event_type << ": " << ex.what());
    }
  }
}

// --- looking at it ------------------------------------------------------------

json simulator::snapshot() const {
  std::lock_guard<std::mutex> l(world_mtx_);
  return world_.snapshot();
}

std::vector<std::string> simulator::clouds() const {
  std::lock_guard<std::mutex> l(world_mtx_);
  return world_.cloud_names();
}

} // namespace steward::sim
