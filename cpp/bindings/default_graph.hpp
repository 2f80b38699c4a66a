// get_default_graph() for the C fast paths: while no Graph.as_default() context is open in any
// thread, the default graph is varstore.graph._global_default_graph and is read from that
// module's dict with no Python call; otherwise varstore.graph.get_default_graph() is called.
#pragma once

#include <Python.h>

namespace varstore::bindings {

class DefaultGraph {
 public:
  // get_default_graph: the Python function (its module globals hold the two names below).
  void init(PyObject* get_default_graph) {
    fn_ = get_default_graph;
    Py_INCREF(fn_);
    globals_ = PyFunction_Check(fn_) ? PyFunction_GetGlobals(fn_) : nullptr;  // borrowed
    Py_XINCREF(globals_);
    s_open_ = PyUnicode_InternFromString("_open_defaults");
    s_global_ = PyUnicode_InternFromString("_global_default_graph");
  }

  void release() {
    Py_CLEAR(fn_);
    Py_CLEAR(globals_);
    Py_CLEAR(s_open_);
    Py_CLEAR(s_global_);
  }

  // A new reference to the default graph, or nullptr with an exception set.
  PyObject* get() const {
    if (globals_ != nullptr) {
      PyObject* open = PyDict_GetItemWithError(globals_, s_open_);  // [count] of as_default()s
      if (open != nullptr && PyList_CheckExact(open) && PyList_GET_SIZE(open) == 1) {
        PyObject* count = PyList_GET_ITEM(open, 0);
        if (PyLong_CheckExact(count) && PyLong_AsLong(count) == 0) {
          PyObject* graph = PyDict_GetItemWithError(globals_, s_global_);
          if (graph != nullptr && graph != Py_None) {
            Py_INCREF(graph);
            return graph;
          }
        }
      }
      PyErr_Clear();
    }
    return PyObject_CallNoArgs(fn_);
  }

 private:
  PyObject* fn_ = nullptr;
  PyObject* globals_ = nullptr;
  PyObject* s_open_ = nullptr;
  PyObject* s_global_ = nullptr;
};

}  // namespace varstore::bindings
