// Writes a benchmark's entities straight into a Steward store (the
// documents stewardd itself would write), and measures the store's raw
// group-commit rate: the limit for durable writes.
// DB: a SQLite file, or a postgresql:// URL.
//   bench-load-store DB --leases N --instances N     fill the store
//   bench-load-store DB --insert-rate N              N lease-sized writes, 256 in flight
//   bench-load-store DB --timers N --due-in S --window W
//                                   N leases, each on a host of its own, whose
//                                   starts fall due within W seconds from now + S
// Prints one JSON object with what it did and how fast.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "actors/lease/lease_dates.hpp"
#include "actors/lease/lease_document.hpp"
#include "actors/lease/lease_json.hpp"
#include "common/clock.hpp"
#include "common/ids.hpp"
#include "common/time_format.hpp"
#include "http/routes/lease_body.hpp"
#include "sim/workload.hpp"
#include "store/store.hpp"

using namespace steward;
using nlohmann::json;
using clock_type = std::chrono::steady_clock;

namespace {

constexpr std::size_t in_flight = 256;

// Submits every batch `make(i)` for i < n, at most `in_flight` at a time,
// and waits until all are on disk.
template <class Make>
double write_all(store::store& db, std::size_t n, Make make) {
  std::mutex mtx;
  std::condition_variable cv;
  std::size_t pending = 0;
  std::atomic<std::size_t> failed{0};
  auto began = clock_type::now();
  for (std::size_t i = 0; i < n; ++i) {
    {
      std::unique_lock<std::mutex> l(mtx);
      cv.wait(l, [&] { return pending < in_flight; });
      ++pending;
    }
    db.submit(make(i), [&](const store::commit_result& r) {
      if (!r.ok)
        ++failed;
      std::lock_guard<std::mutex> l(mtx);
      --pending;
      cv.notify_all();
    });
  }
  std::unique_lock<std::mutex> l(mtx);
  cv.wait(l, [&] { return pending == 0; });
  if (failed)
    throw std::runtime_error(std::to_string(failed.load()) + " writes failed");
  return std::chrono::duration<double>(clock_type::now() - began).count();
}

std::string minute_text(sys_time t) {
  auto secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%d %H:%M", &tm);
  return out;
}

// A lease of one hour from `start` (to the minute) on `host`, as stewardd
// would store it; `minutes_before_end` as [leases] minutes_before_end.
lease::lease make_one_host_lease(const std::string& name, sys_time start, const std::string& host,
                                 const std::string& project, int minutes_before_end) {
  json body = {{"name", name},
               {"start_date", minute_text(start)},
               {"end_date", minute_text(start + std::chrono::hours{1})},
               {"reservations", {{{"resource_type", "physical:host"}, {"min", 1}, {"max", 1},
                                  {"hypervisor_properties", ""}, {"resource_properties", ""}}}}};
  lease::lease l;
  std::vector<lease::host_reservation> wanted;
  // The create body read as the API reads it.
  auto fields = http::read_lease_create(body);
  if (fields.refused)
    throw std::runtime_error(fields.refused->error);
  if (auto r = lease::make_lease(fields.value, now(), minutes_before_end, project, "bench", l,
                                 wanted))
    throw std::runtime_error(r->message);
  l.reservations[0].hosts = {{host, host}};
  return l;
}

// Lease i: one host of a hundred, one hour each, back to back from 2031.
json make_lease_doc(std::size_t i, const std::vector<std::string>& projects) {
  auto start = *timefmt::parse("2031-01-01 00:00", "%Y-%m-%d %H:%M")
               + std::chrono::hours{static_cast<long>(i / 100)};
  return lease::to_stored(make_one_host_lease("bench-" + std::to_string(i), start,
                                             "bench-host-" + std::to_string(i % 100),
                                             projects[i % projects.size()], 60));
}

// A lease whose start falls due at `due` (to the microsecond: the API takes
// minutes, but a timer does not care), on a host no other lease holds, so that
// nothing but its timer decides when it starts. No before-end event.
json make_timer_lease_doc(std::size_t i, sys_time due, const std::vector<std::string>& projects) {
  auto l = make_one_host_lease("timer-" + std::to_string(i), due,
                               "timer-host-" + std::to_string(i), projects[i % projects.size()], 0);
  l.start = due;
  lease::find_event(l, lease::event_type::start_lease)->time = due;
  return lease::to_stored(l);
}

// Instance i of the embedded workload's catalog, on compute-1..4.
json make_instance_doc(std::size_t i, const json& workload) {
  auto& model = workload["instances"][i % workload["instances"].size()];
  return {{"uuid", random_hex(32)},
          {"hostname", "bench-" + std::to_string(i)},
          {"description", ""},
          {"project", model["project"]},
          {"cloud", ""},
          {"cloud_name", model["cloud"]},
          {"flavor", model["flavor"]},
          {"flavor_name", "m1.small"},
          {"cores", 1},
          {"ram", 2048},
          {"system_volume_size", 20480},
          {"data_volume_size", 20480},
          {"template", model["template"]},
          {"key_name", model["key"]},
          {"key", ""},
          {"key_fingerprint", ""},
          {"security_groups", json::array()},
          {"internal_ips", json::array({"10.1." + std::to_string(i / 250 % 250) + "."
                                        + std::to_string(i % 250 + 1)})},
          {"external_ips", json::array()},
          {"host", "compute-" + std::to_string(i % 4 + 1)},
          {"state", i % 3 == 0 ? "-" : "+"},  // some offline, most online
          {"start_time", nullptr},
          {"agreed_sla", nullptr},
          {"created", timefmt::iso_micro(now())}};
}

store::write_batch upsert(const std::string& kind, const std::string& id, const std::string& project,
                          const json& doc) {
  store::write_batch b;
  b.upserts.push_back({kind, id, project, doc.dump(), 1});
  return b;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: bench-load-store DB (--leases N --instances N | --insert-rate N\n"
                 "                           | --timers N --due-in S --window W)\n";
    return 2;
  }
  std::string db_path = argv[1];
  std::size_t leases = 0, instances = 0, insert_rate = 0, timers = 0, due_in = 60, window = 10;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    auto n = static_cast<std::size_t>(std::atoll(argv[i + 1]));
    if (flag == "--leases")
      leases = n;
    else if (flag == "--instances")
      instances = n;
    else if (flag == "--insert-rate")
      insert_rate = n;
    else if (flag == "--timers")
      timers = n;
    else if (flag == "--due-in")
      due_in = n;
    else if (flag == "--window")
      window = n;
  }
  store::store_options opts;
  // A path is a SQLite file (an absolute one: sqlite:////abs/path); a
  // postgresql:// URL a PostgreSQL database.
  opts.connection = db_path.rfind("postgresql://", 0) == 0 ? db_path : "sqlite:///" + db_path;
  json out = json::object();
  std::unique_ptr<store::store> db;
  try {
    db = store::open_store(opts);
    if (insert_rate) {
      // A lease create writes its document, its event and its notification.
      auto sample = make_lease_doc(0, {"p"}).dump();
      auto secs = write_all(*db, insert_rate, [&](std::size_t i) {
        store::write_batch b;
        auto id = "rate-" + std::to_string(i);
        b.upserts.push_back({"bench_rate", id, "p", sample, 1});
        b.events.push_back({0, "lease.create", "p", timefmt::iso_micro(now()), sample, ""});
        b.outbox.push_back({0, "bench", "bench.info", make_uuid(), sample});
        return b;
      });
      out["insert_rate"] = insert_rate / secs;
      out["insert_seconds"] = secs;
    }
    auto workload = json::parse(sim::default_workload_text());
    std::vector<std::string> projects;
    for (auto& p : workload["projects"])
      projects.push_back(p["uuid"]);
    if (leases) {
      out["lease_seconds"] = write_all(*db, leases, [&](std::size_t i) {
        auto doc = make_lease_doc(i, projects);
        return upsert("lease", doc["id"], doc["project_id"], doc);
      });
      out["leases"] = leases;
    }
    if (timers) {
      // Spread evenly over the window, from its first microsecond to its last.
      auto first = now() + std::chrono::seconds{due_in};
      auto step = std::chrono::microseconds{static_cast<long>(window * 1000000 / timers)};
      out["timer_seconds"] = write_all(*db, timers, [&](std::size_t i) {
        auto doc = make_timer_lease_doc(i, first + step * static_cast<long>(i), projects);
        return upsert("lease", doc["id"], doc["project_id"], doc);
      });
      out["timers"] = timers;
      out["first_due"] = timefmt::iso_micro(first);
    }
    if (instances) {
      out["instance_seconds"] = write_all(*db, instances, [&](std::size_t i) {
        auto doc = make_instance_doc(i, workload);
        return upsert("instance", doc["uuid"], doc["project"], doc);
      });
      out["instances"] = instances;
    }
  } catch (const std::exception& e) {
    std::cerr << "bench-load-store: " << e.what() << "\n";
    return 1;
  }
  db->close();
  std::cout << out.dump() << std::endl;
}
