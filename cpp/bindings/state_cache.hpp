// graph._tls.state (the calling thread's scope state in a graph) without threading.local's
// lookup (~450 instructions) on every get_variable and scope entry: a one-entry cache keyed by
// the threading.local object (held, so its address cannot be reused) and the thread state's
// id (unique for the life of the process). The state object of a (graph, thread) pair never
// changes once made, so a hit is always the object the lookup would return.
#pragma once

#include <Python.h>

#include <cstdint>

namespace varstore::bindings {

class StateCache {
 public:
  // A new reference to tls.<name>, or nullptr with an exception set.
  PyObject* get(PyObject* tls, PyObject* name) {
    const std::uint64_t thread = PyThreadState_GetID(PyThreadState_Get());
    if (tls == tls_ && thread == thread_ && state_ != nullptr) {
      Py_INCREF(state_);
      return state_;
    }
    PyObject* state = PyObject_GetAttr(tls, name);
    if (state == nullptr) return nullptr;
    Py_INCREF(tls);
    Py_INCREF(state);
    PyObject* old_tls = tls_;
    PyObject* old_state = state_;
    tls_ = tls;
    state_ = state;
    thread_ = thread;
    Py_XDECREF(old_state);  // (last: these may free objects)
    Py_XDECREF(old_tls);
    return state;
  }

 private:
  PyObject* tls_ = nullptr;
  PyObject* state_ = nullptr;
  std::uint64_t thread_ = 0;
};

}  // namespace varstore::bindings
