// An environment template's rules and stored row, without actors.
#include <gtest/gtest.h>

#include "actors/environment/template_json.hpp"
#include "actors/environment/template_rules.hpp"
#include "common/time_format.hpp"

using namespace steward;
using namespace steward::environment;
using nlohmann::json;

namespace {

sys_time at(const char* t) { return *timefmt::parse(t, "%Y-%m-%d %H:%M"); }

json app(const json& id, const json& type = "io.murano.apps.X") {
  return {{"name", "app"}, {"?", {{"id", id}, {"type", type}}}};
}

access::caller member_of(const std::string& project) {
  return {"u", false, {{project, access::role::member}}, {}};
}

} // namespace

TEST(template_rules, names_are_checked_with_murano_words) {
  EXPECT_EQ(check_template_name("web", true), "");
  EXPECT_EQ(check_template_name(" \t", true), "Please, specify a name of the environment template.");
  EXPECT_EQ(check_template_name("", false),
            "Environment Template must contain at least one non-white space symbol");
  EXPECT_EQ(check_template_name(std::string(255, 'x'), true), "");
  EXPECT_EQ(check_template_name(std::string(256, 'x'), true),
            "Environment template name should be 255 characters maximum");
  std::string umlauts;
  for (int i = 0; i < 255; ++i)
    umlauts += "ü";
  EXPECT_EQ(check_template_name(umlauts, true), "") << "characters, not bytes";
}

TEST(template_rules, applications_name_themselves_once_each) {
  EXPECT_FALSE(check_applications(json::array()));
  EXPECT_FALSE(check_applications(json::array({app("a"), app("b")})));
  EXPECT_EQ(check_applications(json::object())->status, 400);
  EXPECT_EQ(check_applications(json::array({"a"}))->status, 400);
  EXPECT_EQ(check_applications(json::array({{{"name", "x"}}}))->status, 400);
  EXPECT_EQ(check_applications(json::array({app(7)}))->status, 400);
  EXPECT_EQ(check_applications(json::array({app("a", "")}))->status, 400);
  auto twice = check_applications(json::array({app("a"), app("a")}));
  ASSERT_TRUE(twice);
  EXPECT_EQ(twice->status, 409);
  EXPECT_EQ(twice->message, "The template has two applications with id a");
}

TEST(template_rules, made_updated_and_cloned) {
  template_fields given{"web", true, std::string{"two"}, json{{"flat", true}},
                        json::array({app("a")})};
  auto t = make_template(given, "p-1", at("2030-01-01 10:00"));
  EXPECT_EQ(t.id.size(), 32u);
  EXPECT_EQ(t.tenant_id, "p-1");
  EXPECT_TRUE(t.is_public);
  EXPECT_EQ(t.version, 0);
  EXPECT_EQ(t.created, t.updated);

  update_template(t, {"web-2", std::nullopt, std::nullopt, std::nullopt, std::nullopt},
                  at("2030-01-01 11:00"));
  EXPECT_EQ(t.name, "web-2");
  EXPECT_TRUE(t.is_public) << "what an update leaves out stays";
  EXPECT_EQ(t.services.size(), 1u);
  EXPECT_EQ(t.version, 1);
  EXPECT_EQ(t.updated, at("2030-01-01 11:00"));

  auto copy = clone_template(t, {"copy", std::nullopt, std::nullopt, std::nullopt, std::nullopt},
                             "p-2", at("2030-01-01 12:00"));
  EXPECT_NE(copy.id, t.id);
  EXPECT_EQ(copy.tenant_id, "p-2");
  EXPECT_EQ(copy.name, "copy");
  EXPECT_FALSE(copy.is_public) << "a clone is private unless asked";
  EXPECT_EQ(copy.services, t.services);
  EXPECT_EQ(copy.networking, t.networking);
  EXPECT_EQ(copy.version, 0);
}

TEST(template_rules, public_templates_are_read_by_all_changed_by_their_project) {
  environment_template t;
  t.tenant_id = "p-1";
  EXPECT_TRUE(can_read(member_of("p-1"), t));
  EXPECT_FALSE(can_read(member_of("p-2"), t));
  t.is_public = true;
  EXPECT_TRUE(can_read(member_of("p-2"), t));
  EXPECT_FALSE(can_change(member_of("p-2"), t));
  EXPECT_TRUE(can_change(member_of("p-1"), t));
  EXPECT_TRUE(can_change({"root", true, {}, {}}, t)) << "staff";
}

TEST(template_json, the_stored_row_reads_back_and_refuses_what_it_is_not) {
  template_fields given{"web", true, std::string{"two"}, json{{"flat", true}},
                        json::array({app("a")})};
  auto t = make_template(given, "p-1", at("2030-01-01 10:00"));
  auto row = template_to_stored(t);
  EXPECT_EQ(row["schema"], template_schema);
  auto back = template_from_stored(json::parse(row.dump()));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->id, t.id);
  EXPECT_EQ(back->name, "web");
  EXPECT_TRUE(back->is_public);
  EXPECT_EQ(back->description_text, "two");
  EXPECT_EQ(back->networking, t.networking);
  EXPECT_EQ(back->created, t.created);
  EXPECT_EQ(back->services, t.services);
  row["schema"] = template_schema + 1;
  EXPECT_FALSE(template_from_stored(row)) << "a later version is not read";
  EXPECT_FALSE(template_from_stored(json{{"id", "x"}})) << "not a template";

  auto doc = template_document(t);
  EXPECT_EQ(doc["created"], "2030-01-01T10:00:00");
  EXPECT_FALSE(doc.contains("services"));
  EXPECT_EQ(full_template_document(t)["services"], t.services);
}
