// Common includes for the pybind11 bindings of varstore._core.
#pragma once

#include <cstring>

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

// A str from UTF-8 bytes; names are nearly always ASCII, which is copied straight into a
// new compact string (PyUnicode_FromStringAndSize decodes, ~200 instructions a name).
inline PyObject* str_from(const char* data, std::size_t size) {
  unsigned char any = 0;
  for (std::size_t i = 0; i < size; ++i) any |= static_cast<unsigned char>(data[i]);
  if (any < 0x80) {
    PyObject* out = PyUnicode_New(static_cast<Py_ssize_t>(size), 127);
    if (out != nullptr && size > 0) std::memcpy(PyUnicode_1BYTE_DATA(out), data, size);
    return out;
  }
  return PyUnicode_FromStringAndSize(data, static_cast<Py_ssize_t>(size));
}

void register_errors(py::module_& m);
void register_store(py::module_& m);
void register_scopes(py::module_& m);
void register_variable(py::module_& m);
void register_kernels(py::module_& m);
void register_random(py::module_& m);
void register_sparse(py::module_& m);

}  // namespace varstore::bindings
