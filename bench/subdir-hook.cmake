# Adds bench/ and/or fuzz/ to a build of the top-level project without editing its
# CMakeLists.txt (used by bench/run and fuzz/build until the top level has its own options):
#   cmake -S . -B DIR -DCMAKE_PROJECT_INCLUDE=$PWD/bench/subdir-hook.cmake \
#         "-DBOUNCEDIAG_EXTRA_SUBDIRS=bench;fuzz"
# The subdirectories are added when the top-level file has been read (cmake_language DEFER), so
# they see every target it defines (bouncediag_lib, the warning and sanitizer interfaces).
foreach(extra_dir IN LISTS BOUNCEDIAG_EXTRA_SUBDIRS)
  cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL add_subdirectory
                 ${CMAKE_SOURCE_DIR}/${extra_dir} ${CMAKE_BINARY_DIR}/${extra_dir})
endforeach()
