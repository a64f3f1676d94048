// Published documents: what the io threads may answer without the actors,
// and never a text older than the last write.
#include <gtest/gtest.h>

#include "actors/published_documents.hpp"

using namespace steward;

namespace {

published_documents::text_ptr text(const char* t) {
  return std::make_shared<const std::string>(t);
}

} // namespace

TEST(published_documents, a_text_is_served_until_its_entity_stores_again) {
  published_documents shows;
  EXPECT_FALSE(shows.find("e-1")) << "nothing published";
  shows.offer("e-1", 1, "p-1", text("v1"));
  auto found = shows.find("e-1");
  ASSERT_TRUE(found);
  EXPECT_EQ(*found->text, "v1");
  EXPECT_EQ(found->project, "p-1");

  shows.stored("e-1", 2);
  EXPECT_FALSE(shows.find("e-1")) << "stale from the write on";
  shows.offer("e-1", 1, "p-1", text("v1 again"));
  EXPECT_FALSE(shows.find("e-1")) << "a text made before the write is refused";
  shows.offer("e-1", 2, "p-1", text("v2"));
  EXPECT_EQ(*shows.find("e-1")->text, "v2");
  shows.offer("e-1", 2, "p-1", text("v2 twice"));
  EXPECT_EQ(*shows.find("e-1")->text, "v2") << "the first text of a version stays";

  shows.stored("e-1", 3);  // its removal
  shows.offer("e-1", 2, "p-1", text("v2"));
  EXPECT_FALSE(shows.find("e-1"));
  shows.erase("e-1");
  EXPECT_FALSE(shows.find("e-1"));
}

TEST(published_documents, bounded_texts_keep_their_versions) {
  published_documents shows{2};
  shows.offer("a", 2, "p", text("a2"));
  shows.offer("b", 1, "p", text("b1"));
  shows.offer("c", 1, "p", text("c1"));  // past the limit: the others' texts go
  EXPECT_FALSE(shows.find("a"));
  EXPECT_FALSE(shows.find("b"));
  EXPECT_TRUE(shows.find("c"));
  shows.offer("a", 1, "p", text("a1"));
  EXPECT_FALSE(shows.find("a")) << "its version stayed when its text went";
  shows.offer("a", 2, "p", text("a2"));
  EXPECT_TRUE(shows.find("a"));
  shows.clear();
  shows.offer("a", 1, "p", text("a1"));
  EXPECT_TRUE(shows.find("a")) << "a registry that starts again publishes anew";
}
