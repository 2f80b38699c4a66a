// Common includes for the pybind11 bindings of varstore._core.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

namespace py = pybind11;

namespace varstore::bindings {

// The C++ object behind a pybind11 instance of exactly class T, for the hot METH_FASTCALL
// entry points: one type check and a load instead of pybind11's cast machinery (~60 ns).
// Anything else (a subclass, a non-simple layout, a wrong type) goes through py::cast,
// which raises TypeError (as pybind11's cast_error) for a wrong type.
template <typename T>
T& native(PyObject* obj) {
  static PyTypeObject* const exact =
      reinterpret_cast<PyTypeObject*>(py::type::of<T>().ptr());  // (bound before any call)
  if (Py_TYPE(obj) == exact) {
    auto* inst = reinterpret_cast<py::detail::instance*>(obj);
    if (inst->simple_layout && inst->simple_holder_constructed) {
      return *static_cast<T*>(inst->simple_value_holder[0]);
    }
  }
  return py::handle(obj).cast<T&>();
}

void register_errors(py::module_& m);
void register_store(py::module_& m);
void register_scopes(py::module_& m);
void register_variable(py::module_& m);
void register_kernels(py::module_& m);

}  // namespace varstore::bindings
