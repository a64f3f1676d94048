#pragma once
// The static methods Steward offers (`POST /v1/actions`): MuranoPL-style
// classes without an environment. One class, `io.steward.Inventory`
// (package `io.steward`, version 0.1.0), whose `listFlavors` reads the
// catalog. No actors here: the registry fetches what a method reads.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/refusal.hpp"
#include "messages/environment.hpp"

namespace steward::environment {

constexpr const char* inventory_class = "io.steward.Inventory";
constexpr const char* inventory_package = "io.steward";
constexpr const char* inventory_version = "0.1.0";

/// Whether a version spec ("=0", "=1.2", "1.2.3", ">=0.1", "<1"; "" is
/// "=0") is well formed (else 400), and whether `version` meets it.
std::optional<refusal> check_version_spec(const std::string& spec);
bool meets(const std::string& version, const std::string& spec);

/// Checks a call against what Steward offers: the package, the class, its
/// version and the method (404), and the method's parameters (400).
std::optional<refusal> check_static_call(const static_call& call);

/// `listFlavors`: the flavors of the catalog (as its list shows them to the
/// caller) with at least `minCores` cores and `minRam` MiB, each as
/// {"id", "name", "cores", "ram", "disk"}, by name.
nlohmann::json list_flavors(const static_call& call, const nlohmann::json& catalog_flavors);

} // namespace steward::environment
