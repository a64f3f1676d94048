#include "actors/entity_table.hpp"

#include <malloc.h>

namespace steward {

void release_free_memory() {
  malloc_trim(0);
}

} // namespace steward
