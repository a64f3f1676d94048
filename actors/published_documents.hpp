#pragma once
// Documents that a registry publishes for the HTTP io threads, so that a
// read of an entity that did not change since it was last shown is
// answered on the io thread, without handing the request to the actors and
// the answer back (the two thread switches that cost a read most of its
// time). The actors stay the only writers: the registry offers the text it
// made from its snapshot, tagged with the stored version it was made from;
// the entity marks its own new version as soon as it is on disk, before it
// answers, so that a text older than a write its client saw answered is
// never served. Whatever finds no text asks the actors as before. No CAF
// here: routes include it.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

namespace steward {

class published_documents {
public:
  using text_ptr = std::shared_ptr<const std::string>;
  struct document {
    std::string project;  // whose it is, for the reader's access check
    text_ptr text;
  };

  explicit published_documents(std::size_t limit = 20000) : limit_{limit} {}

  /// The published text of `id`; none while there is none as new as its
  /// last write.
  std::optional<document> find(const std::string& id) const {
    std::shared_lock<std::shared_mutex> l{m_};
    auto i = slots_.find(id);
    if (i == slots_.end() || !i->second.text)
      return std::nullopt;
    return document{i->second.project, i->second.text};
  }
  /// The registry's text of `id` as of stored version `version`: kept
  /// unless a newer version was stored meanwhile.
  void offer(const std::string& id, int64_t version, const std::string& project, text_ptr text) {
    std::unique_lock<std::shared_mutex> l{m_};
    auto& s = slots_[id];
    if (s.text || version < s.version)
      return;  // already there, or stale
    if (texts_ >= limit_)
      drop_texts();  // bounded: idle entities do not each keep a text for ever
    s.version = version;
    s.project = project;
    s.text = std::move(text);
    ++texts_;
  }
  /// `id` stored version `version`: no older text is served from now on.
  void stored(const std::string& id, int64_t version) {
    std::unique_lock<std::shared_mutex> l{m_};
    auto& s = slots_[id];
    if (version < s.version)
      return;
    if (s.text)
      --texts_;
    s = slot{version, {}, {}};
  }
  /// `id` is gone (its registry forgot it).
  void erase(const std::string& id) {
    std::unique_lock<std::shared_mutex> l{m_};
    auto i = slots_.find(id);
    if (i == slots_.end())
      return;
    if (i->second.text)
      --texts_;
    slots_.erase(i);
  }
  /// Its registry starts again: it publishes anew.
  void clear() {
    std::unique_lock<std::shared_mutex> l{m_};
    slots_.clear();
    texts_ = 0;
  }

private:
  struct slot {
    int64_t version = 0;
    std::string project;
    text_ptr text;
  };

  void drop_texts() {
    for (auto& [id, s] : slots_)
      s.text.reset();
    texts_ = 0;
  }

  mutable std::shared_mutex m_;
  std::unordered_map<std::string, slot> slots_;  // versions stay, texts come and go
  std::size_t texts_ = 0;
  std::size_t limit_;
};

} // namespace steward
