# The layers of Steward, enforced by the compiler: each library sees, as its
# include root, a directory of links to its own part of the tree and to the
# parts below it, and nothing else. A reversed include (an actor including an
# http/ header, a route including store/) does not compile: the header is not
# there to be found.
#
#   steward_layer(<target> <dir>...)
#
# gives <target> the view ${CMAKE_BINARY_DIR}/layers/<target>/ holding one
# link per <dir> (a top-level directory of the tree).
function(steward_layer target)
  set(view ${CMAKE_BINARY_DIR}/layers/${target})
  file(GLOB stale LIST_DIRECTORIES true ${view}/*)
  if(stale)
    file(REMOVE ${stale})  # links only: their targets stay
  endif()
  file(MAKE_DIRECTORY ${view})
  foreach(dir IN LISTS ARGN)
    if(NOT IS_DIRECTORY ${CMAKE_SOURCE_DIR}/${dir})
      message(FATAL_ERROR "steward_layer(${target}): no directory ${dir}")
    endif()
    file(CREATE_LINK ${CMAKE_SOURCE_DIR}/${dir} ${view}/${dir} SYMBOLIC)
  endforeach()
  target_include_directories(${target} PRIVATE ${view})
  set_property(TARGET ${target} PROPERTY STEWARD_LAYER_VIEW ${view})
endfunction()
