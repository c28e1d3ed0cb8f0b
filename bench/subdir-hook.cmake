# Adds bench/ and/or fuzz/ to a build of the top-level project without editing its
# CMakeLists.txt (used by bench/run and fuzz/build until the top level has its own options):
#   cmake -S . -B DIR -DCMAKE_PROJECT_INCLUDE=$PWD/bench/subdir-hook.cmake \
#         "-DBOUNCEDIAG_EXTRA_SUBDIRS=bench;fuzz"
# Each folder's CMakeLists.txt is included once the top-level file has been read
# (cmake_language DEFER; add_subdirectory is not allowed there), so it sees every target the top
# level defines. Those files therefore name paths with CMAKE_CURRENT_LIST_DIR and put their
# executables in ${CMAKE_BINARY_DIR}/<folder> themselves.
# Deferred arguments are expanded when the call runs, so the path is spelled out with EVAL now.
foreach(extra_dir IN LISTS BOUNCEDIAG_EXTRA_SUBDIRS)
  set(extra_list_file "${CMAKE_SOURCE_DIR}/${extra_dir}/CMakeLists.txt")
  cmake_language(EVAL CODE "cmake_language(DEFER DIRECTORY [[${CMAKE_SOURCE_DIR}]] CALL include [[${extra_list_file}]])")
endforeach()
