# trygg_add_module(NAME DIR <folder> DEPS <targets...>)
# One static library per source folder (its *.cpp, not recursive), target
# trygg_<NAME>, alias trygg::<NAME>. Headers are included as "folder/file.hpp"
# from the repository root.
function(trygg_add_module name)
  cmake_parse_arguments(M "" "DIR" "DEPS" ${ARGN})
  file(GLOB _src CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/${M_DIR}/*.cpp)
  list(FILTER _src EXCLUDE REGEX ".*/main\\.cpp$")
  if(_src)
    add_library(trygg_${name} STATIC ${_src})
    target_include_directories(trygg_${name} PUBLIC ${CMAKE_SOURCE_DIR})
    target_link_libraries(trygg_${name} PUBLIC ${M_DEPS})
  else()
    add_library(trygg_${name} INTERFACE)
    target_include_directories(trygg_${name} INTERFACE ${CMAKE_SOURCE_DIR})
    target_link_libraries(trygg_${name} INTERFACE ${M_DEPS})
  endif()
  add_library(trygg::${name} ALIAS trygg_${name})
endfunction()

# trygg_add_test_dir(NAME DIR <folder> DEPS <targets...>)
# One GoogleTest executable per folder of *_test.cpp files.
function(trygg_add_test_dir name)
  cmake_parse_arguments(T "" "DIR" "DEPS" ${ARGN})
  file(GLOB _src CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/${T_DIR}/*_test.cpp)
  if(NOT _src)
    return()
  endif()
  add_executable(test_${name} ${_src})
  target_link_libraries(test_${name} PRIVATE ${T_DEPS} GTest::gtest_main GTest::gmock)
  target_compile_definitions(test_${name} PRIVATE
    TRYGG_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
    TRYGG_TEST_DATA_DIR="${CMAKE_SOURCE_DIR}/tests/data"
    TRYGG_REFERENCE_DIR="${CMAKE_SOURCE_DIR}/tests/reference"
    TRYGG_SHARED_DATA_DIR="${CMAKE_SOURCE_DIR}/../shared/data"
    TRYGG_BINARY="${CMAKE_BINARY_DIR}/bin/trygg")
  gtest_discover_tests(test_${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS ${name})
endfunction()
