// The leases API (Blazar): /v1/leases and the reservable hosts /v1/os-hosts.
// Every route also answers with `.json` (the router strips it).
#include "http/routes/lease_body.hpp"
#include "http/routes/routes.hpp"

namespace steward::http {

namespace {

std::string id(const route_context& c) { return path_param(c, "id"); }

// blazarclient sends "True"; curl users "true".
bool detail(const route_context& c) {
  auto d = query_param(c, "detail");
  return d == "True" || d == "true";
}

} // namespace

void add_lease_routes(router& r, route_services& svc) {
  using rc = route_context;
  r.add({"GET", "/v1/leases", forward(svc, [](rc& c) { return lease_list{context_of(c)}; })});
  r.add({"POST", "/v1/leases",
         forward(svc, [](rc& c) { return lease_create{context_of(c), read_lease_create(c.body)}; })});
  r.add({"GET", "/v1/leases/{id}",
         forward(svc, [](rc& c) { return lease_show{context_of(c), id(c)}; })});
  r.add({"PUT", "/v1/leases/{id}", forward(svc, [](rc& c) {
           return lease_update{context_of(c), id(c), read_lease_update(c.body)};
         })});
  r.add({"DELETE", "/v1/leases/{id}",
         forward(svc, [](rc& c) { return lease_delete{context_of(c), id(c)}; })});
  r.add({"GET", "/v1/os-hosts",
         forward(svc, [](rc& c) { return reservable_host_list{context_of(c)}; })});
  r.add({"POST", "/v1/os-hosts", forward(svc, [](rc& c) {
           return reservable_host_enroll{context_of(c), read_enrollment(c.body)};
         })});
  r.add({"GET", "/v1/os-hosts/allocations", forward(svc, [](rc& c) {
           return host_allocation_list{context_of(c), query_param(c, "lease_id"),
                                       query_param(c, "reservation_id")};
         })});
  r.add({"GET", "/v1/os-hosts/properties",
         forward(svc, [](rc& c) { return host_property_list{context_of(c), detail(c)}; })});
  r.add({"PATCH", "/v1/os-hosts/properties/{id}", forward(svc, [](rc& c) {
           return host_property_update{context_of(c), id(c)};
         })});
  r.add({"GET", "/v1/os-hosts/{id}",
         forward(svc, [](rc& c) { return reservable_host_show{context_of(c), id(c)}; })});
  r.add({"PUT", "/v1/os-hosts/{id}", forward(svc, [](rc& c) {
           return reservable_host_update{context_of(c), id(c), read_capability_update(c.body)};
         })});
  r.add({"DELETE", "/v1/os-hosts/{id}",
         forward(svc, [](rc& c) { return reservable_host_withdraw{context_of(c), id(c)}; })});
  r.add({"GET", "/v1/os-hosts/{id}/allocation",
         forward(svc, [](rc& c) { return host_allocation_show{context_of(c), id(c)}; })});
}

} // namespace steward::http
