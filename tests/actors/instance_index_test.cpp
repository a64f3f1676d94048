// The instance index answers every list exactly as looking at every
// instance would: the same total, the same page, in the same order, as
// instances are added, changed and removed.
#include <random>

#include <gtest/gtest.h>

#include "actors/instance/instance_index.hpp"

using namespace steward;
using namespace steward::instance;
using nlohmann::json;

namespace {

struct project_names {
  std::string id, name, customer, group;
};

const std::vector<project_names> projects = {
  {"p1", "Shop", "Acme", "Retail"},   {"p2", "Shop backend", "Acme", "Retail"},
  {"p3", "Analytics", "Acme", ""},    {"p4", "Web", "Globex", "Online"},
  {"p5", "Batch", "Globex", "Online"}, {"p6", "Lab", "Initech", ""}};
const std::vector<std::string> states = {"+", "-", "p", "e", "R"};
const std::vector<std::string> templates = {"CentOS 7", "Debian 12", "Ubuntu"};

// The instances' documents live here, as the registry's snapshots do.
struct world {
  std::map<std::string, steward::instance::instance> docs;

  listed make(const std::string& id, std::mt19937& rng) {
    auto& p = projects[rng() % projects.size()];
    auto& doc = docs[id];
    // Few distinct hostnames, so that ties are broken by uuid.
    doc.uuid = id;
    doc.hostname = "host-" + std::to_string(rng() % 50);
    auto symbol = states[rng() % states.size()];
    doc.current = parse_state(symbol).value_or(state::erred);
    doc.project = p.id;
    listed l;
    l.value = &doc;
    l.hostname = doc.hostname;
    l.state = symbol;
    l.current = doc.current;
    l.project = p.id;
    l.project_name = p.name;
    l.customer_name = p.customer;
    l.template_name = templates[rng() % templates.size()];
    if (!p.group.empty())
      l.project_group_names = {p.group}, l.project_group_name = p.group;
    return l;
  }
};

// What the registry did before the index: every instance looked at.
struct reference {
  std::map<std::string, listed> items;

  std::optional<refusal> list(const list_query& q, const instance_index::visible_fn& visible,
                              instance_index::page& out) const {
    std::vector<const listed*> all;
    for (auto& [id, item] : items)
      if (visible(item) && matches(item, q))
        all.push_back(&item);
    out.total = all.size();
    if (auto r = paginate(out.total, q, out.shown))
      return r;
    order(all, q);
    out.items.assign(all.begin() + static_cast<std::ptrdiff_t>(out.shown.first),
                     all.begin() + static_cast<std::ptrdiff_t>(out.shown.first + out.shown.count));
    return std::nullopt;
  }
};

std::vector<std::string> uuids(const instance_index::page& p) {
  std::vector<std::string> out;
  for (auto* item : p.items)
    out.push_back(item->value->uuid);
  return out;
}

std::vector<std::multimap<std::string, std::string>> queries() {
  std::vector<std::multimap<std::string, std::string>> filters = {
    {}, {{"project_name", "shop"}}, {{"project", "SHOP"}}, {{"customer_name", "acme"}},
    {{"project_group_name", "online"}}, {{"hostname", "host-1"}}, {{"template_name", "deb"}},
    {{"state", "Online"}}, {{"state", "Erred"}}, {{"project_name", "shop"}, {"state", "Online"}},
    {{"customer_name", "globex"}, {"hostname", "2"}}, {{"project_name", "nothing"}}};
  std::vector<std::string> orderings = {"", "hostname", "-hostname", "state", "-project_name",
                                        "template_name"};
  std::vector<std::pair<std::string, std::string>> pages = {
    {"1", "20"}, {"2", "7"}, {"3", "1"}, {"last", "20"}, {"999", "20"}, {"1", "100"}};
  std::vector<std::multimap<std::string, std::string>> out;
  for (auto& f : filters)
    for (auto& o : orderings)
      for (auto& [page, size] : pages) {
        auto q = f;
        if (!o.empty())
          q.emplace("o", o);
        q.emplace("page", page);
        q.emplace("page_size", size);
        out.push_back(q);
      }
  return out;
}

void expect_same_answers(const instance_index& index, const reference& ref) {
  std::vector<instance_index::visible_fn> callers = {
    [](const listed&) { return true; },                                    // staff
    [](const listed& l) { return l.project == "p1" || l.project == "p4"; }  // two projects
  };
  for (auto& visible : callers)
    for (auto& params : queries()) {
      list_query q;
      ASSERT_FALSE(parse_list_query(params, q));
      instance_index::page got, want;
      auto got_refusal = index.list(q, visible, got);
      auto want_refusal = ref.list(q, visible, want);
      std::string what = json(params).dump();
      ASSERT_EQ(bool(got_refusal), bool(want_refusal)) << what;
      if (want_refusal) {
        EXPECT_EQ(got_refusal->status, want_refusal->status) << what;
        continue;
      }
      EXPECT_EQ(got.total, want.total) << what;
      EXPECT_EQ(got.shown.number, want.shown.number) << what;
      EXPECT_EQ(got.shown.last, want.shown.last) << what;
      EXPECT_EQ(uuids(got), uuids(want)) << what;
    }
}

} // namespace

TEST(instance_index, answers_as_looking_at_every_instance_would) {
  std::mt19937 rng(7);
  world w;
  instance_index index;
  reference ref;
  for (int i = 0; i < 400; ++i) {
    auto id = "uuid-" + std::to_string(1000 + i);
    auto item = w.make(id, rng);
    ref.items[id] = item;
    index.put(id, item);
  }
  expect_same_answers(index, ref);

  // Changes: new hostnames, states and projects for some, some removed.
  for (int i = 0; i < 150; ++i) {
    auto id = "uuid-" + std::to_string(1000 + rng() % 400);
    if (i % 5 == 0) {
      ref.items.erase(id);
      index.erase(id);
      continue;
    }
    auto item = w.make(id, rng);
    ref.items[id] = item;
    index.put(id, item);
  }
  expect_same_answers(index, ref);

  // A catalog's new names: the same project, hostname and state, other
  // names (kept in place in the index).
  for (auto& [id, item] : ref.items) {
    if (item.project == "p1")
      item.project_name = "Storefront";
    if (item.project == "p3")
      item.customer_name = "Acme Shop";
    item.template_name = item.template_name == "Ubuntu" ? "Debian 12" : item.template_name;
    index.put(id, item);
  }
  expect_same_answers(index, ref);
}

TEST(instance_index, an_empty_index_has_one_empty_page) {
  instance_index index;
  list_query q;
  ASSERT_FALSE(parse_list_query({{"project_name", "shop"}, {"o", "-hostname"}}, q));
  instance_index::page p;
  ASSERT_FALSE(index.list(q, [](const listed&) { return true; }, p));
  EXPECT_EQ(p.total, 0u);
  EXPECT_TRUE(p.items.empty());
  list_query second;
  ASSERT_FALSE(parse_list_query({{"page", "2"}}, second));
  instance_index::page none;
  auto r = index.list(second, [](const listed&) { return true; }, none);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
}
