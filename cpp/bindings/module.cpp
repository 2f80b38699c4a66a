// varstore._core: wiring only. Each concept registers itself from its own bind_*.cpp file.
#include "bindings.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "varstore native core: scope trie, variable store and conv2d kernels";
  m.attr("__version__") = VARSTORE_VERSION;
  m.attr("compiler") = VARSTORE_COMPILER;
  varstore::bindings::register_errors(m);
  auto store = m.def_submodule("store", "Scope trie, name uniquifier and variable store");
  varstore::bindings::register_store(store);
  varstore::bindings::register_scopes(store);
  varstore::bindings::register_variable(store);
  auto kernels = m.def_submodule("kernels", "conv2d + bias + ReLU kernels with run-time ISA dispatch");
  varstore::bindings::register_kernels(kernels);
  varstore::bindings::register_random(kernels);
  varstore::bindings::register_sparse(kernels);
}
