#pragma once
// Names unique per project, as Murano keeps environments' and templates':
// which name each project's entities bear, and the names that a rename in
// flight has claimed until its entity answers (so that two renames, or a
// rename and a create, cannot both take one).
#include <map>
#include <set>
#include <string>
#include <utility>

#include <caf/typed_event_based_actor.hpp>

#include "messages/requests.hpp"

namespace steward::environment {

class project_names {
public:
  using claim = std::pair<std::string, std::string>;  // project, name

  /// Entity `id` of `project` is named `name` (whatever it was named before).
  void index(const std::string& project, const std::string& name, const std::string& id) {
    auto& names = names_[project];
    for (auto i = names.begin(); i != names.end(); ++i)
      if (i->second == id) {
        names.erase(i);
        break;
      }
    names[name] = id;
  }
  void forget(const std::string& project, const std::string& name) {
    auto p = names_.find(project);
    if (p == names_.end())
      return;
    p->second.erase(name);
    if (p->second.empty())
      names_.erase(p);
  }
  bool taken(const std::string& project, const std::string& name) const {
    if (claimed_.count({project, name}))
      return true;
    auto p = names_.find(project);
    return p != names_.end() && p->second.count(name);
  }
  void hold(const claim& c) { claimed_.insert(c); }
  void release(const claim& c) { claimed_.erase(c); }

private:
  std::map<std::string, std::map<std::string, std::string>> names_;
  std::set<claim> claimed_;
};

/// Hands a rename to its entity with the new name claimed until it answers.
/// `names` is the asking registry's own (it outlives the request).
template <class Self, class Entity, class Rename>
caf::result<api_reply> rename_claiming(Self* self, project_names& names, project_names::claim c,
                                       const Entity& entity, Rename r) {
  names.hold(c);
  auto rp = self->template make_response_promise<api_reply>();
  auto* book = &names;
  self->request(entity, caf::infinite, std::move(r))
    .then(
      [=](api_reply& reply) mutable {
        book->release(c);
        rp.deliver(std::move(reply));
      },
      [=](caf::error& e) mutable {
        book->release(c);
        rp.deliver(api_reply::fail(500, "The entity did not answer: " + to_string(e)));
      });
  return rp;
}

} // namespace steward::environment
