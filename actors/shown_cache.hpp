#pragma once
// Entities as the API shows them, serialized once until they change: a read
// costs neither building nor serializing the document. Bounded: past `limit`
// entries the cache starts over, so that entities read once do not each keep
// a copy of their text for ever (memory per idle entity stays its document).
#include <memory>
#include <string>
#include <unordered_map>

namespace steward {

class shown_cache {
public:
  using text_ptr = std::shared_ptr<const std::string>;

  explicit shown_cache(std::size_t limit = 20000) : limit_{limit} {}

  /// The text of `id` shown for `variant` (the base URL the links are made
  /// of, say), made by `make()` when not known for that variant.
  template <class Make>
  const text_ptr& get(const std::string& id, const std::string& variant, Make make) {
    auto at = entries_.find(id);
    if (at == entries_.end()) {
      if (entries_.size() >= limit_)
        entries_.clear();
      at = entries_.emplace(id, entry{}).first;
    }
    auto& e = at->second;
    if (!e.text || e.variant != variant) {
      e.variant = variant;
      e.text = std::make_shared<const std::string>(make());
    }
    return e.text;
  }

  /// `id` changed or is gone.
  void forget(const std::string& id) { entries_.erase(id); }
  /// Everything changed (names the texts show, say).
  void clear() { entries_.clear(); }

private:
  struct entry {
    std::string variant;
    text_ptr text;
  };
  std::unordered_map<std::string, entry> entries_;
  std::size_t limit_;
};

} // namespace steward
