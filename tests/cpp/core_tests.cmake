# Native tests of the core (naming rules, scope trie, variable store, buffer arena) and the
# libFuzzer target of its name handling. include()d from tests/cpp/CMakeLists.txt.
#
# With -DVARSTORE_SANITIZE=address,undefined the tests inherit the sanitizer flags from
# varstore_core (PUBLIC compile/link options). See .ci/sanitize.sh.

option(VARSTORE_BUILD_FUZZERS
  "Build the libFuzzer target fuzz_names (needs clang; built with -fsanitize=fuzzer,address,undefined)"
  OFF)

set(_vs_core_tests test_naming test_name_trie test_variable_store)
foreach(_t IN LISTS _vs_core_tests)
  add_executable(${_t} ${CMAKE_CURRENT_LIST_DIR}/${_t}.cpp)
  target_link_libraries(${_t} PRIVATE varstore_core varstore_warnings)
  string(REGEX REPLACE "^test_" "" _name "${_t}")
  add_test(NAME ${_name} COMMAND ${_t})
  set_tests_properties(${_name} PROPERTIES TIMEOUT 300)
endforeach()
unset(_name)
unset(_t)

if(VARSTORE_BUILD_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "VARSTORE_BUILD_FUZZERS=ON needs clang (libFuzzer); configure with "
                        "-DCMAKE_CXX_COMPILER=clang++ (Debian: apt-get install clang libclang-rt-14-dev)")
  endif()
  # The core sources are compiled into the fuzzer itself, so that they carry the coverage
  # instrumentation of -fsanitize=fuzzer (varstore_core may be built without it).
  set(_vs_src ${PROJECT_SOURCE_DIR}/cpp/src)
  add_executable(fuzz_names
    ${CMAKE_CURRENT_LIST_DIR}/fuzz_names.cpp
    ${_vs_src}/dtype.cpp
    ${_vs_src}/compact.cpp
    ${_vs_src}/naming.cpp
    ${_vs_src}/name_trie.cpp
    ${_vs_src}/variable_store.cpp
    ${_vs_src}/tensor_buffer.cpp)
  target_include_directories(fuzz_names PRIVATE ${PROJECT_SOURCE_DIR}/cpp/include)
  set(_vs_fuzz_flags -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
                     -fno-omit-frame-pointer -g)
  target_compile_options(fuzz_names PRIVATE ${_vs_fuzz_flags})
  target_link_options(fuzz_names PRIVATE ${_vs_fuzz_flags})
  target_link_libraries(fuzz_names PRIVATE varstore_warnings)
  # Regression run over the seed corpus only (no mutation): part of ctest.
  add_test(NAME fuzz_names_corpus
           COMMAND fuzz_names -runs=0 ${CMAKE_CURRENT_LIST_DIR}/fuzz_corpus)
  unset(_vs_src)
  unset(_vs_fuzz_flags)
endif()
unset(_vs_core_tests)
