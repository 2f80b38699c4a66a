// The C layout of tf.Variable's wrappers (see bind_variable.cpp), for the fast paths.
#pragma once

#include <Python.h>

#include <cstdint>

namespace varstore::bindings {

struct VariableBaseObject {
  PyObject_HEAD
  PyObject* graph;
  PyObject* store;
  PyObject* weakrefs;
  std::uint32_t id;
};

// Whether type is VariableBase or a subclass of it.
bool is_variable_base(PyTypeObject* type);
// A new wrapper of class type (a VariableBase subclass); nullptr with an exception set.
PyObject* new_variable(PyTypeObject* type, PyObject* graph, PyObject* store, std::uint32_t id);

}  // namespace varstore::bindings
