// tf.variable_scope and tf.name_scope as C types: the commonest form of each,
// `with variable_scope("name"[, reuse=...])` and `with name_scope("name")`, is entered and
// left here with no Python frame (TF's steps: a unique name scope, the scope counter, a new
// VariableScope, the thread's scope state). Every other form (default_name, a VariableScope
// object, values, defaults to override, a name ending in '/', a bad name, another graph)
// is handed to the Python implementation, which is the authority on the rules: the C path
// only skips work whose result it can compute exactly.
#include <string>
#include <vector>

#include "bindings.hpp"
#include "default_graph.hpp"
#include "slots.hpp"
#include "state_cache.hpp"
#include "varstore/errors.hpp"
#include "varstore/name_trie.hpp"
#include "varstore/naming.hpp"
#include "varstore/variable_store.hpp"

namespace varstore::bindings {
namespace {

struct ScopeGlobals {
  PyObject* vs_impl = nullptr;        // variable_scope._variable_scope (the full rules)
  PyObject* ns_impl = nullptr;        // graph._name_scope
  PyObject* current_scope = nullptr;  // variable_scope._current_scope(graph)
  PyObject* scope_cls = nullptr;      // VariableScope
  PyObject* auto_reuse = nullptr;     // AUTO_REUSE
  DefaultGraph graph;
  PyTypeObject* vs_type = nullptr;
  PyTypeObject* ns_type = nullptr;
  // interned attribute names
  PyObject *s_state, *s_thread, *s_graph, *s_enter, *s_exit, *s_name, *one;
  // slots of the thread's scope state, of VariableScope and of its defaults
  SlotRef sl_name_stack{"name_stack"}, sl_var_scope{"var_scope"}, sl_depth{"depth"},
      sl_counters{"counters"}, sl_d{"_d"}, sl_prefix{"_prefix"}, sl_reuse{"_reuse"},
      sl_rc{"_rc"}, sl_name{"_name"}, sl_name_scope{"_name_scope"},
      sl_constraint{"constraint"};
  SlotRef sl_tls{"_tls"}, sl_store{"_store"};  // Graph
  StateCache states;                           // graph._tls.state
  std::string buffer;                          // scratch for names
  PyObject* vs_kwnames[13];
  PyObject* ns_kwnames[3];
};

ScopeGlobals* g = nullptr;

// Both context managers. A fast object holds its name (and reuse); a slow one its Python
// implementation object. While a fast one is entered it holds what __exit__ restores.
struct ScopeObject {
  PyObject_HEAD
  PyObject* name;
  PyObject* reuse;  // variable_scope: None, True or AUTO_REUSE
  PyObject* graph;  // variable_scope: the graph at construction (TF's rule)
  PyObject* slow;   // the Python implementation, when this form is not handled here
  PyObject* state;  // while entered: the thread's scope state, and what to restore
  PyObject* old_stack;
  PyObject* old_scope;
  PyObject* scope;
  PyObject* new_name;
};

int scope_traverse(ScopeObject* self, visitproc visit, void* arg) {
  Py_VISIT(self->name);
  Py_VISIT(self->reuse);
  Py_VISIT(self->graph);
  Py_VISIT(self->slow);
  Py_VISIT(self->state);
  Py_VISIT(self->old_stack);
  Py_VISIT(self->old_scope);
  Py_VISIT(self->scope);
  Py_VISIT(self->new_name);
  Py_VISIT(Py_TYPE(self));  // heap type
  return 0;
}

int scope_clear(ScopeObject* self) {
  Py_CLEAR(self->name);
  Py_CLEAR(self->reuse);
  Py_CLEAR(self->graph);
  Py_CLEAR(self->slow);
  Py_CLEAR(self->state);
  Py_CLEAR(self->old_stack);
  Py_CLEAR(self->old_scope);
  Py_CLEAR(self->scope);
  Py_CLEAR(self->new_name);
  return 0;
}

void scope_dealloc(ScopeObject* self) {
  PyTypeObject* type = Py_TYPE(self);
  PyObject_GC_UnTrack(self);
  scope_clear(self);
  type->tp_free(self);
  Py_DECREF(type);
}

ScopeObject* scope_alloc(PyTypeObject* type) {
  auto* self = reinterpret_cast<ScopeObject*>(type->tp_alloc(type, 0));  // zeroed, tracked
  return self;
}

// A plain scope name this C path can take: a non-empty str not ending in '/'.
bool plain_name(PyObject* name) {
  if (name == nullptr || !PyUnicode_CheckExact(name)) return false;
  const Py_ssize_t n = PyUnicode_GET_LENGTH(name);
  return n > 0 && PyUnicode_READ_CHAR(name, n - 1) != '/';
}

bool is_none(PyObject* o) { return o == nullptr || o == Py_None; }

// Matches vectorcall arguments to parameter names; false when a keyword is unknown or
// repeated (the Python implementation then raises TF's error).
bool bind_args(PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames, PyObject** names,
               Py_ssize_t nparams, PyObject** out) {
  if (nargs > nparams) return false;
  for (Py_ssize_t i = 0; i < nargs; ++i) out[i] = args[i];
  const Py_ssize_t nkw = kwnames != nullptr ? PyTuple_GET_SIZE(kwnames) : 0;
  for (Py_ssize_t k = 0; k < nkw; ++k) {
    PyObject* key = PyTuple_GET_ITEM(kwnames, k);
    Py_ssize_t slot = -1;
    for (Py_ssize_t j = 0; j < nparams && slot < 0; ++j) {
      if (key == names[j]) slot = j;  // keyword names are interned by the compiler
    }
    for (Py_ssize_t j = 0; j < nparams && slot < 0; ++j) {
      if (PyUnicode_Compare(key, names[j]) == 0) slot = j;
    }
    if (PyErr_Occurred()) PyErr_Clear();
    if (slot < 0 || out[slot] != nullptr) return false;
    out[slot] = args[nargs + k];
  }
  return true;
}

// The thread's scope state in graph (graph._tls.state, made by graph._thread on first use).
PyObject* thread_state(PyObject* graph) {
  PyObject* tls = g->sl_tls.get(graph);
  PyObject* state = tls != nullptr ? g->states.get(tls, g->s_state) : nullptr;
  Py_XDECREF(tls);
  if (state == nullptr) {
    PyErr_Clear();
    state = PyObject_GetAttr(graph, g->s_thread);
  }
  return state;
}


// Turns a fast object into a slow one (the Python implementation takes this form).
PyObject* make_slow(ScopeObject* self, bool variable_scope) {
  PyObject* slow = nullptr;
  if (variable_scope) {
    PyObject* args[] = {self->name, self->reuse != nullptr ? self->reuse : Py_None};
    PyObject* kw = PyTuple_Pack(1, g->vs_kwnames[8]);  // reuse=
    if (kw == nullptr) return nullptr;
    slow = PyObject_Vectorcall(g->vs_impl, args, 1, kw);
    Py_DECREF(kw);
    if (slow != nullptr && self->graph != nullptr &&
        PyObject_SetAttr(slow, g->s_graph, self->graph) < 0) {
      Py_CLEAR(slow);
    }
  } else {
    PyObject* args[] = {self->name};
    slow = PyObject_Vectorcall(g->ns_impl, args, 1, nullptr);
  }
  if (slow == nullptr) return nullptr;
  Py_XSETREF(self->slow, slow);
  return PyObject_CallMethodNoArgs(slow, g->s_enter);
}

// The C path's view of entering `name_obj` under the name stack `stack_obj`: both as UTF-8,
// and whether TF's name rule accepts the name there. False: the Python path takes this form.
bool plain_entry(PyObject* stack_obj, PyObject* name_obj, std::string_view& stack,
                 std::string_view& name) {
  Py_ssize_t stack_len = 0, name_len = 0;
  const char* stack_chars =
      PyUnicode_Check(stack_obj) ? PyUnicode_AsUTF8AndSize(stack_obj, &stack_len) : nullptr;
  const char* name_chars = PyUnicode_AsUTF8AndSize(name_obj, &name_len);
  if (stack_chars == nullptr || name_chars == nullptr) {
    PyErr_Clear();
    return false;
  }
  stack = std::string_view(stack_chars, static_cast<std::size_t>(stack_len));
  name = std::string_view(name_chars, static_cast<std::size_t>(name_len));
  return stack.empty() ? is_valid_root_name(name) : is_valid_scope_name(name);
}

// The name scope `name` gets under `stack` (Graph.unique_name, marked used), as new
// references to "<scope>" and "<scope>/"; `then` runs in the same guard. False with an
// exception set on failure.
template <typename F>
bool unique_scope(PyObject* store, std::string_view stack, std::string_view name,
                  PyObject** scope, PyObject** scope_slash, F&& then) {
  try {
    const std::string_view unique =
        native<VariableStore>(store).names().unique_name_view(stack, name, true);
    then();
    *scope = str_from(unique.data(), unique.size());
    *scope_slash = *scope != nullptr ? str_from(unique.data(), unique.size() + 1)  // + '/'
                                     : nullptr;
    if (*scope_slash == nullptr) Py_CLEAR(*scope);
    return *scope != nullptr;
  } catch (py::error_already_set& e) {
    e.restore();
  } catch (const std::bad_alloc&) {
    PyErr_NoMemory();
  } catch (const std::exception& e) {
    PyErr_SetString(PyExc_RuntimeError, e.what());
  }
  return false;
}

// __exit__ of the Python implementation (for a form the C path does not take).
PyObject* slow_exit(ScopeObject* self, PyObject* const* args, Py_ssize_t nargs) {
  PyObject* exit = PyObject_GetAttr(self->slow, g->s_exit);
  if (exit == nullptr) return nullptr;
  PyObject* r = PyObject_Vectorcall(exit, args, static_cast<size_t>(nargs), nullptr);
  Py_DECREF(exit);
  return r;
}

// -- variable_scope ------------------------------------------------------------------------
PyObject* vs_vectorcall(PyObject* type, PyObject* const* args, size_t nargsf, PyObject* kwnames) {
  const Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
  PyObject* v[13] = {};
  bool fast = bind_args(args, nargs, kwnames, g->vs_kwnames, 13, v);
  PyObject* reuse = Py_None;
  if (fast) {
    fast = plain_name(v[0]);
    for (int i : {1, 2, 3, 4, 5, 6, 7, 9, 10, 11}) fast = fast && is_none(v[i]);
    if (!is_none(v[8]) && v[8] != Py_False) {
      if (v[8] == Py_True || v[8] == g->auto_reuse) {
        reuse = v[8];
      } else {
        fast = false;  // TF's ValueError comes from the Python implementation
      }
    }
    fast = fast && (v[12] == nullptr || v[12] == Py_True);
  }
  ScopeObject* self = scope_alloc(reinterpret_cast<PyTypeObject*>(type));
  if (self == nullptr) return nullptr;
  if (!fast) {
    self->slow = PyObject_Vectorcall(g->vs_impl, args, nargsf, kwnames);
    if (self->slow == nullptr) {
      Py_DECREF(self);
      return nullptr;
    }
    return reinterpret_cast<PyObject*>(self);
  }
  self->graph = g->graph.get();
  if (self->graph == nullptr) {
    Py_DECREF(self);
    return nullptr;
  }
  Py_INCREF(v[0]);
  self->name = v[0];
  Py_INCREF(reuse);
  self->reuse = reuse;
  return reinterpret_cast<PyObject*>(self);
}

// Sets obj.<slot> = value, consuming value; false with an exception set on failure.
bool set_steal(PyObject* obj, SlotRef& slot, PyObject* value) {
  if (value == nullptr) return false;
  const int rc = slot.set(obj, value);
  Py_DECREF(value);
  return rc == 0;
}

PyObject* vs_enter(ScopeObject* self, PyObject*) {
  if (self->slow != nullptr) return PyObject_CallMethodNoArgs(self->slow, g->s_enter);
  PyObject* current = g->graph.get();
  if (current == nullptr) return nullptr;
  Py_DECREF(current);
  if (current != self->graph) return make_slow(self, true);  // entering another graph

  PyObject* graph = self->graph;
  PyObject* state = thread_state(graph);
  if (state == nullptr) return nullptr;
  PyObject* old = g->sl_var_scope.get(state);
  if (old == Py_None) {
    Py_DECREF(old);
    old = PyObject_CallOneArg(g->current_scope, graph);
  }
  PyObject* d = old != nullptr ? g->sl_d.get(old) : nullptr;
  PyObject* constraint = d != nullptr ? g->sl_constraint.get(d) : nullptr;
  PyObject* old_stack = constraint != nullptr ? g->sl_name_stack.get(state) : nullptr;
  PyObject* result = nullptr;
  PyObject* scope = nullptr;
  PyObject* new_name = nullptr;
  PyObject* new_prefix = nullptr;
  bool slow = false;
  if (old_stack != nullptr) {
    std::string_view stack, name;
    slow = constraint != Py_None || !plain_entry(old_stack, self->name, stack, name);
    if (!slow) {
      // new_name = old._prefix + name, and new_name + "/" from the same buffer
      PyObject* prefix = g->sl_prefix.get(old);
      Py_ssize_t prefix_len = 0;
      const char* prefix_chars =
          prefix != nullptr && PyUnicode_Check(prefix)
              ? PyUnicode_AsUTF8AndSize(prefix, &prefix_len) : nullptr;
      std::string& buffer = g->buffer;
      if (prefix_chars != nullptr) {
        buffer.assign(prefix_chars, static_cast<std::size_t>(prefix_len))
            .append(name)
            .push_back('/');
        new_name = str_from(buffer.data(), buffer.size() - 1);
        new_prefix = new_name != nullptr ? str_from(buffer.data(), buffer.size()) : nullptr;
      } else if (prefix != nullptr && !PyErr_Occurred()) {
        PyErr_SetString(PyExc_TypeError, "VariableScope._prefix must be a str");
      }
      Py_XDECREF(prefix);
      PyObject* counters = new_prefix != nullptr ? g->sl_counters.get(state) : nullptr;
      PyObject* store = counters != nullptr ? g->sl_store.get(graph) : nullptr;
      PyObject* new_stack = nullptr;
      PyObject* name_scope = nullptr;
      if (store != nullptr) {
        unique_scope(store, stack, name, &new_stack, &name_scope, [&] {
          native<NameTrie>(counters).open_scope(
              std::string_view(buffer.data(), buffer.size() - 1));  // new_name
        });
      }
      Py_XDECREF(store);
      Py_XDECREF(counters);
      if (new_stack != nullptr && name_scope != nullptr) {
        // VariableScope._make(self.reuse or old._reuse, new_name, name_scope, old._d)
        PyObject* reuse = self->reuse;
        if (reuse == Py_None) {
          reuse = g->sl_reuse.get(old);
        } else {
          Py_INCREF(reuse);
        }
        const long rc = reuse == Py_True ? 1 : (reuse == g->auto_reuse ? 2 : 0);
        PyObject* rc_obj = PyLong_FromLong(rc);
        PyObject* prefix_obj = new_prefix;
        new_prefix = nullptr;
        auto* cls = reinterpret_cast<PyTypeObject*>(g->scope_cls);
        scope = reuse != nullptr && rc_obj != nullptr && prefix_obj != nullptr
                    ? cls->tp_alloc(cls, 0)
                    : nullptr;
        bool ok = scope != nullptr && g->sl_reuse.set(scope, reuse) == 0 &&
                  g->sl_rc.set(scope, rc_obj) == 0 &&
                  g->sl_name.set(scope, new_name) == 0 &&
                  g->sl_prefix.set(scope, prefix_obj) == 0 &&
                  g->sl_name_scope.set(scope, name_scope) == 0 &&
                  g->sl_d.set(scope, d) == 0;
        Py_XDECREF(reuse);
        Py_XDECREF(rc_obj);
        Py_XDECREF(prefix_obj);
        // Only now is the thread's state changed (nothing above can be left half done).
        PyObject* depth = ok ? g->sl_depth.get(state) : nullptr;
        PyObject* one = depth != nullptr ? PyNumber_Add(depth, g->one) : nullptr;
        Py_XDECREF(depth);
        ok = one != nullptr && g->sl_name_stack.set(state, new_stack) == 0 &&
             g->sl_var_scope.set(state, scope) == 0 &&
             set_steal(state, g->sl_depth, one);
        if (ok) {
          Py_INCREF(state);
          Py_XSETREF(self->state, state);
          Py_INCREF(old_stack);
          Py_XSETREF(self->old_stack, old_stack);
          Py_INCREF(old);
          Py_XSETREF(self->old_scope, old);
          Py_INCREF(scope);
          Py_XSETREF(self->scope, scope);
          Py_INCREF(new_name);
          Py_XSETREF(self->new_name, new_name);
          result = scope;
          scope = nullptr;
        }
      }
      Py_XDECREF(name_scope);
      Py_XDECREF(new_stack);
    }
  }
  Py_XDECREF(scope);
  Py_XDECREF(new_name);
  Py_XDECREF(new_prefix);
  Py_XDECREF(old_stack);
  Py_XDECREF(constraint);
  Py_XDECREF(d);
  Py_XDECREF(old);
  Py_DECREF(state);
  if (slow && result == nullptr && !PyErr_Occurred()) return make_slow(self, true);
  return result;
}

PyObject* vs_exit(ScopeObject* self, PyObject* const* args, Py_ssize_t nargs) {
  if (self->slow != nullptr) return slow_exit(self, args, nargs);
  if (self->state == nullptr) Py_RETURN_NONE;  // not entered
  // TF's variable_scope.__exit__ (issue 14): the variable-scope part raises "Improper nesting"
  // and changes nothing whenever this scope is not the current one, every time, so a
  // misordered exit can be retried once the inner scope is closed; the name-scope and graph
  // part (name stack, depth) is exited anyway, once. state and scope stay held after a
  // successful exit so that a second exit raises as in TF.
  PyObject* state = self->state;
  Py_INCREF(state);
  bool ok = true;
  PyObject* current = g->sl_var_scope.get(state);
  if (current == nullptr) {
    ok = false;
  } else if (current != self->scope || self->new_name == nullptr) {
    PyErr_SetString(PyExc_RuntimeError, "Improper nesting of variable_scope.");
    ok = false;
  } else {
    PyObject* counters = g->sl_counters.get(state);
    if (counters == nullptr) {
      ok = false;
    } else {
      try {
        Py_ssize_t len = 0;
        const char* chars = PyUnicode_AsUTF8AndSize(self->new_name, &len);
        if (chars == nullptr) throw py::error_already_set();
        native<NameTrie>(counters).close_subscopes(
            std::string_view(chars, static_cast<std::size_t>(len)));
      } catch (py::error_already_set& e) {
        e.restore();
        ok = false;
      } catch (const std::exception& e) {
        PyErr_SetString(PyExc_RuntimeError, e.what());
        ok = false;
      }
      Py_DECREF(counters);
    }
    ok = ok && g->sl_var_scope.set(state, self->old_scope) == 0;
    if (ok) {
      Py_CLEAR(self->old_scope);
      Py_CLEAR(self->new_name);
    }
  }
  Py_XDECREF(current);
  // The name stack and depth are restored once, whatever happened above (the Python
  // version's finally).
  PyObject* old_stack = self->old_stack;
  if (old_stack != nullptr) {
    self->old_stack = nullptr;
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyObject* depth = g->sl_depth.get(state);
    PyObject* less = depth != nullptr ? PyNumber_Subtract(depth, g->one) : nullptr;
    Py_XDECREF(depth);
    if ((g->sl_name_stack.set(state, old_stack) < 0 || !set_steal(state, g->sl_depth, less))
        && type == nullptr) {
      PyErr_Fetch(&type, &value, &tb);
    }
    PyErr_Restore(type, value, tb);
    Py_DECREF(old_stack);
  }
  Py_DECREF(state);
  if (!ok || PyErr_Occurred()) return nullptr;
  Py_RETURN_NONE;
}

// -- name_scope ----------------------------------------------------------------------------
PyObject* ns_vectorcall(PyObject* type, PyObject* const* args, size_t nargsf, PyObject* kwnames) {
  const Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
  PyObject* v[3] = {};
  const bool fast = bind_args(args, nargs, kwnames, g->ns_kwnames, 3, v) && plain_name(v[0]) &&
                    is_none(v[2]);
  ScopeObject* self = scope_alloc(reinterpret_cast<PyTypeObject*>(type));
  if (self == nullptr) return nullptr;
  if (!fast) {
    self->slow = PyObject_Vectorcall(g->ns_impl, args, nargsf, kwnames);
    if (self->slow == nullptr) {
      Py_DECREF(self);
      return nullptr;
    }
  } else {
    Py_INCREF(v[0]);
    self->name = v[0];
  }
  return reinterpret_cast<PyObject*>(self);
}

PyObject* ns_enter(ScopeObject* self, PyObject*) {
  if (self->slow != nullptr) return PyObject_CallMethodNoArgs(self->slow, g->s_enter);
  PyObject* graph = g->graph.get();
  if (graph == nullptr) return nullptr;
  PyObject* state = thread_state(graph);
  PyObject* old = state != nullptr ? g->sl_name_stack.get(state) : nullptr;
  PyObject* store = old != nullptr ? g->sl_store.get(graph) : nullptr;
  PyObject* result = nullptr;
  bool slow = false;
  if (store != nullptr) {
    std::string_view stack, name;
    slow = !plain_entry(old, self->name, stack, name);
    PyObject* new_stack = nullptr;
    if (!slow) unique_scope(store, stack, name, &new_stack, &result, [] {});
    if (result != nullptr && g->sl_name_stack.set(state, new_stack) == 0) {
      Py_INCREF(state);
      Py_XSETREF(self->state, state);
      Py_INCREF(old);
      Py_XSETREF(self->old_stack, old);
    } else {
      Py_CLEAR(result);
    }
    Py_XDECREF(new_stack);
  }
  Py_XDECREF(store);
  Py_XDECREF(old);
  Py_XDECREF(state);
  Py_DECREF(graph);
  if (slow && result == nullptr && !PyErr_Occurred()) return make_slow(self, false);
  return result;
}

PyObject* ns_exit(ScopeObject* self, PyObject* const* args, Py_ssize_t nargs) {
  if (self->slow != nullptr) return slow_exit(self, args, nargs);
  if (self->state == nullptr) Py_RETURN_NONE;
  PyObject* state = self->state;
  PyObject* old = self->old_stack;
  self->state = self->old_stack = nullptr;
  const int rc = g->sl_name_stack.set(state, old);
  Py_DECREF(state);
  Py_DECREF(old);
  if (rc < 0) return nullptr;
  Py_RETURN_NONE;
}

PyObject* ns_get_name(ScopeObject* self, void*) {
  if (self->slow != nullptr) return PyObject_GetAttr(self->slow, g->s_name);
  Py_INCREF(self->name);
  return self->name;
}

// Python-level construction through tp_new (type(...)(*args, **kwargs) paths that do not
// use vectorcall): forwards to the vectorcall constructor.
PyObject* new_via_vectorcall(PyTypeObject* type, PyObject* args, PyObject* kwargs,
                             vectorcallfunc call) {
  const Py_ssize_t nargs = PyTuple_GET_SIZE(args);
  const Py_ssize_t nkw = kwargs != nullptr ? PyDict_GET_SIZE(kwargs) : 0;
  std::vector<PyObject*> all(static_cast<std::size_t>(nargs + nkw));
  for (Py_ssize_t i = 0; i < nargs; ++i) all[static_cast<std::size_t>(i)] = PyTuple_GET_ITEM(args, i);
  PyObject* kwnames = nullptr;
  if (nkw > 0) {
    kwnames = PyTuple_New(nkw);
    if (kwnames == nullptr) return nullptr;
    Py_ssize_t pos = 0, i = 0;
    PyObject *key, *value;
    while (PyDict_Next(kwargs, &pos, &key, &value)) {
      Py_INCREF(key);
      PyTuple_SET_ITEM(kwnames, i, key);
      all[static_cast<std::size_t>(nargs + i)] = value;
      ++i;
    }
  }
  PyObject* r = call(reinterpret_cast<PyObject*>(type), all.data(), static_cast<size_t>(nargs),
                     kwnames);
  Py_XDECREF(kwnames);
  return r;
}

PyObject* vs_new(PyTypeObject* type, PyObject* args, PyObject* kwargs) {
  return new_via_vectorcall(type, args, kwargs, vs_vectorcall);
}

PyObject* ns_new(PyTypeObject* type, PyObject* args, PyObject* kwargs) {
  return new_via_vectorcall(type, args, kwargs, ns_vectorcall);
}

PyMethodDef kVsMethods[] = {
    {"__enter__", reinterpret_cast<PyCFunction>(vs_enter), METH_NOARGS,
     "Enters the scope; returns its VariableScope."},
    {"__exit__", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(vs_exit)),
     METH_FASTCALL, "Leaves the scope."},
    {nullptr, nullptr, 0, nullptr}};

PyMethodDef kNsMethods[] = {
    {"__enter__", reinterpret_cast<PyCFunction>(ns_enter), METH_NOARGS,
     "Enters the name scope; returns its name with a trailing '/'."},
    {"__exit__", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(ns_exit)),
     METH_FASTCALL, "Leaves the name scope."},
    {nullptr, nullptr, 0, nullptr}};

PyGetSetDef kNsGetSet[] = {
    {"name", reinterpret_cast<getter>(ns_get_name), nullptr, "The name given.", nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr}};

// A heap type with the given methods; its docstring is `signature`, the "--" line that
// gives it a __text_signature__ (inspect.signature, help()), then the docstring of the Python
// implementation.
PyTypeObject* make_type(const char* name, const char* signature, PyObject* doc_source,
                        PyMethodDef* methods, PyGetSetDef* getset, newfunc tp_new,
                        vectorcallfunc vectorcall) {
  std::string doc = std::string(signature) + "\n--\n\n";
  PyObject* impl_doc = PyObject_GetAttrString(doc_source, "__doc__");
  const char* text = impl_doc != nullptr && PyUnicode_Check(impl_doc) ? PyUnicode_AsUTF8(impl_doc)
                                                                      : nullptr;
  if (text != nullptr) doc += text;
  Py_XDECREF(impl_doc);
  PyErr_Clear();
  PyType_Slot slots[] = {
      {Py_tp_dealloc, reinterpret_cast<void*>(scope_dealloc)},
      {Py_tp_traverse, reinterpret_cast<void*>(scope_traverse)},
      {Py_tp_clear, reinterpret_cast<void*>(scope_clear)},
      {Py_tp_methods, methods},
      {Py_tp_new, reinterpret_cast<void*>(tp_new)},
      {Py_tp_doc, const_cast<char*>(doc.c_str())},  // (copied by PyType_FromSpec)
      {Py_tp_getset, getset},  // (last: left out when there is none)
      {0, nullptr}};
  if (getset == nullptr) slots[6] = {0, nullptr};
  PyType_Spec spec = {name, static_cast<int>(sizeof(ScopeObject)), 0,
                      Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC, slots};
  auto* type = reinterpret_cast<PyTypeObject*>(PyType_FromSpec(&spec));
  if (type == nullptr) return nullptr;
  type->tp_vectorcall = vectorcall;
  PyType_Modified(type);
  return type;
}

PyObject* intern(const char* s) { return PyUnicode_InternFromString(s); }

// The shared state of both types, made by whichever factory runs first.
bool init_globals(PyObject* get_default_graph) {
  if (g != nullptr) return true;
  auto* globals = new ScopeGlobals{};
  globals->graph.init(get_default_graph);
  globals->s_state = intern("state");
  globals->s_thread = intern("_thread");
  globals->s_name = intern("name");
  globals->s_graph = intern("_graph");
  globals->s_enter = intern("__enter__");
  globals->s_exit = intern("__exit__");
  globals->one = PyLong_FromLong(1);
  const char* vs_names[13] = {"name_or_scope", "default_name", "values", "initializer",
                              "regularizer", "caching_device", "partitioner", "custom_getter",
                              "reuse", "dtype", "use_resource", "constraint",
                              "auxiliary_name_scope"};
  for (int i = 0; i < 13; ++i) globals->vs_kwnames[i] = intern(vs_names[i]);
  const char* ns_names[3] = {"name", "default_name", "values"};
  for (int i = 0; i < 3; ++i) globals->ns_kwnames[i] = intern(ns_names[i]);
  g = globals;  // lives as long as the process (the types refer to it)
  return !PyErr_Occurred();
}

// make_name_scope_type(name_scope_impl, get_default_graph) -> name_scope
PyObject* fast_make_name_scope_type(PyObject*, PyObject* const* args, Py_ssize_t nargs) {
  if (nargs != 2) {
    PyErr_SetString(PyExc_TypeError, "make_name_scope_type() takes 2 arguments");
    return nullptr;
  }
  if (!init_globals(args[1])) return nullptr;
  Py_INCREF(args[0]);
  Py_XSETREF(g->ns_impl, args[0]);
  g->ns_type = make_type("varstore.name_scope",
                         "name_scope(name, default_name=None, values=None)", args[0],
                         kNsMethods, kNsGetSet, ns_new, ns_vectorcall);
  return reinterpret_cast<PyObject*>(g->ns_type);
}

// make_variable_scope_type(variable_scope_impl, get_default_graph, current_scope,
//                          VariableScope, AUTO_REUSE) -> variable_scope
PyObject* fast_make_variable_scope_type(PyObject*, PyObject* const* args, Py_ssize_t nargs) {
  if (nargs != 5) {
    PyErr_SetString(PyExc_TypeError, "make_variable_scope_type() takes 5 arguments");
    return nullptr;
  }
  if (!PyType_Check(args[3])) {
    PyErr_SetString(PyExc_TypeError, "make_variable_scope_type(): VariableScope must be a class");
    return nullptr;
  }
  if (!init_globals(args[1])) return nullptr;
  for (PyObject* o : {args[0], args[2], args[3], args[4]}) Py_INCREF(o);
  Py_XSETREF(g->vs_impl, args[0]);
  Py_XSETREF(g->current_scope, args[2]);
  Py_XSETREF(g->scope_cls, args[3]);
  Py_XSETREF(g->auto_reuse, args[4]);
  g->vs_type = make_type(
      "varstore.variable_scope",
      "variable_scope(name_or_scope, default_name=None, values=None, initializer=None, "
      "regularizer=None, caching_device=None, partitioner=None, custom_getter=None, "
      "reuse=None, dtype=None, use_resource=None, constraint=None, auxiliary_name_scope=True)",
      args[0], kVsMethods, nullptr, vs_new, vs_vectorcall);
  return reinterpret_cast<PyObject*>(g->vs_type);
}

PyMethodDef kScopeCalls[] = {
    {"make_name_scope_type",
     reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(fast_make_name_scope_type)),
     METH_FASTCALL,
     "make_name_scope_type(impl, get_default_graph) -> name_scope: a C context manager that "
     "enters name_scope(\"name\") itself and hands every other form to impl"},
    {"make_variable_scope_type",
     reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(fast_make_variable_scope_type)),
     METH_FASTCALL,
     "make_variable_scope_type(impl, get_default_graph, current_scope, VariableScope, "
     "AUTO_REUSE) -> variable_scope: a C context manager that enters "
     "variable_scope(\"name\", reuse=...) itself and hands every other form to impl"},
    {nullptr, nullptr, 0, nullptr}};

}  // namespace

void register_scopes(py::module_& m) {
  if (PyModule_AddFunctions(m.ptr(), kScopeCalls) != 0) throw py::error_already_set();
}

}  // namespace varstore::bindings
