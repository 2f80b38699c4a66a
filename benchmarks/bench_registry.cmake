# Registry core (NameTrie, VariableStore, NameUniquifier) against std::unordered_map /
# std::map peers, at N = 1k ... 1M names. Included by benchmarks/CMakeLists.txt.
add_executable(bench_name_trie bench_name_trie.cpp)
target_link_libraries(bench_name_trie PRIVATE varstore_core varstore_warnings)
