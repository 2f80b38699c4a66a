// varstore._core.store: the per-graph VariableStore (variables, trie, name uniquifier) and the
// per-thread ScopeCounters (variable_scope default_name counters). Calls are positional and
// coarse: one call per API operation (keyword handling costs ~0.4 us per call in pybind11).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "default_graph.hpp"
#include "slots.hpp"
#include "state_cache.hpp"
#include "variable_base.hpp"
#include "varstore/errors.hpp"
#include "varstore/name_trie.hpp"
#include "varstore/variable_store.hpp"

namespace varstore::bindings {
namespace {

const char* numpy_name(DType dtype) {
  switch (dtype) {
    case DType::kFloat16: return "float16";
    case DType::kFloat32: return "float32";
    case DType::kFloat64: return "float64";
    case DType::kInt32: return "int32";
    case DType::kInt64: return "int64";
    case DType::kBool: return "bool";
    case DType::kInt8: return "int8";
    case DType::kUInt8: return "uint8";
    case DType::kInt16: return "int16";
    case DType::kUInt16: return "uint16";
    case DType::kUInt32: return "uint32";
    case DType::kUInt64: return "uint64";
    case DType::kComplex64: return "complex64";
    case DType::kComplex128: return "complex128";
  }
  return "float32";
}

std::vector<std::int64_t> to_dims(const py::tuple& shape) {
  std::vector<std::int64_t> dims;
  dims.reserve(shape.size());
  for (const auto& d : shape) dims.push_back(d.cast<std::int64_t>());
  return dims;
}

py::tuple shape_tuple(const DimsView& dims) {
  py::tuple t(dims.size());
  for (std::size_t i = 0; i < dims.size(); ++i) t[i] = py::int_(dims[i]);
  return t;
}

py::array view_of(VariableStore& store, std::uint32_t id, py::handle owner) {
  const Variable& v = store.variable(id);
  std::vector<py::ssize_t> shape(v.shape().begin(), v.shape().end());
  std::vector<py::ssize_t> strides(shape.size());
  py::ssize_t stride = static_cast<py::ssize_t>(dtype_size(v.dtype));
  for (std::size_t i = shape.size(); i-- > 0;) {
    strides[i] = stride;
    stride *= shape[i] > 0 ? shape[i] : 1;
  }
  return py::array(py::dtype(numpy_name(v.dtype)), shape, strides, v.data, owner);
}

// -- hot calls: plain CPython METH_FASTCALL functions -------------------------------------
// pybind11's dispatcher costs a few hundred ns per call on this machine; these are the calls
// behind every get_variable, name_scope and variable_scope, so they bypass it.

std::string_view as_view(PyObject* obj, const char* what) {
  Py_ssize_t size = 0;
  const char* data = PyUnicode_Check(obj) ? PyUnicode_AsUTF8AndSize(obj, &size) : nullptr;
  if (data == nullptr) {
    PyErr_Clear();
    throw TypeError(std::string(what) + " must be a string");
  }
  return {data, static_cast<std::size_t>(size)};
}

long as_long(PyObject* obj, const char* what) {
  const long v = PyLong_Check(obj) ? PyLong_AsLong(obj) : -1;
  if (!PyLong_Check(obj) || (v == -1 && PyErr_Occurred())) {
    PyErr_Clear();
    throw TypeError(std::string(what) + " must be an int");
  }
  return v;
}

PartialShape parse_shape(PyObject* shape) {
  PartialShape out;
  if (shape == Py_None) return out;
  if (!PyTuple_Check(shape) && !PyList_Check(shape)) throw TypeError("shape must be a tuple");
  out.known_rank = true;
  const Py_ssize_t n = PySequence_Fast_GET_SIZE(shape);
  PyObject** items = PySequence_Fast_ITEMS(shape);
  out.dims.reserve(static_cast<std::size_t>(n));
  for (Py_ssize_t i = 0; i < n; ++i) {
    PyObject* item = items[i];
    if (item == Py_None) {
      out.dims.push_back(-1);
      continue;
    }
    // Ints, and objects with __index__ (NumPy integers), as TF's as_dimension accepts.
    PyObject* index = PyBool_Check(item) ? nullptr : PyNumber_Index(item);
    const long long d = index != nullptr ? PyLong_AsLongLong(index) : -1;
    Py_XDECREF(index);
    if (index == nullptr || (d == -1 && PyErr_Occurred())) {
      PyErr_Clear();
      // TF's as_dimension wording.
      PyObject* repr = PyObject_Repr(item);
      std::string text = repr != nullptr ? PyUnicode_AsUTF8(repr) : "?";
      Py_XDECREF(repr);
      throw TypeError("Dimension value must be integer or None or have an __index__ method, "
                      "got value '" + text + "' with type '<class '" +
                      Py_TYPE(item)->tp_name + "'>'");
    }
    if (d < 0) throw ValueError("Dimension " + std::to_string(d) + " must be >= 0");
    out.dims.push_back(static_cast<std::int64_t>(d));
  }
  return out;
}

template <typename F>
PyObject* guarded(F&& f) {
  try {
    return f();
  } catch (py::error_already_set& e) {
    e.restore();
  } catch (const py::cast_error& e) {
    PyErr_SetString(PyExc_TypeError, e.what());
  } catch (const varstore::ValueError& e) {
    PyErr_SetString(PyExc_ValueError, e.what());
  } catch (const varstore::TypeError& e) {
    PyErr_SetString(PyExc_TypeError, e.what());
  } catch (const std::bad_alloc&) {
    PyErr_NoMemory();
  } catch (const std::exception& e) {
    PyErr_SetString(PyExc_RuntimeError, e.what());
  }
  return nullptr;
}

bool check_nargs(Py_ssize_t nargs, Py_ssize_t want, const char* fn) {
  if (nargs == want) return true;
  PyErr_Format(PyExc_TypeError, "%s() takes %zd arguments (%zd given)", fn, want, nargs);
  return false;
}

// get_or_create(store, name, shape|None, dtype, reuse, trainable, collections, fill, value)
//   -> id * 2 + created
PyObject* fast_get_or_create(PyObject*, PyObject* const* args, Py_ssize_t nargs) {
  if (!check_nargs(nargs, 9, "get_or_create")) return nullptr;
  return guarded([&]() -> PyObject* {
    auto& store = native<VariableStore>(args[0]);
    const std::string_view name = as_view(args[1], "name");
    const PartialShape shape = parse_shape(args[2]);
    const DType dtype = dtype_from_code(static_cast<int>(as_long(args[3], "dtype")));
    const long reuse = as_long(args[4], "reuse");
    if (reuse < 0 || reuse > 2) throw TypeError("invalid reuse mode");
    const int trainable = PyObject_IsTrue(args[5]);
    if (trainable < 0) throw py::error_already_set();
    const long collections = as_long(args[6], "collections");
    const long fill = as_long(args[7], "fill");
    const double value = PyFloat_AsDouble(args[8]);
    if (value == -1.0 && PyErr_Occurred()) throw py::error_already_set();
    auto r = store.get_or_create(name, shape, dtype, static_cast<ReuseMode>(reuse), trainable != 0,
                                 static_cast<std::uint8_t>(collections),
                                 fill == 1 ? Fill::kConstant : Fill::kNone, value);
    return PyLong_FromLongLong(static_cast<long long>(r.id) * 2 + (r.created ? 1 : 0));
  });
}

// find(store, name) -> id or -1
PyObject* fast_find(PyObject*, PyObject* const* args, Py_ssize_t nargs) {
  if (!check_nargs(nargs, 2, "find")) return nullptr;
  return guarded([&]() -> PyObject* {
    const auto& store = py::handle(args[0]).cast<const VariableStore&>();
    auto id = store.find(as_view(args[1], "name"));
    return PyLong_FromLongLong(id ? static_cast<long long>(*id) : -1);
  });
}

// unique_name(store, scope, name, mark_as_used) -> str
PyObject* fast_unique_name(PyObject*, PyObject* const* args, Py_ssize_t nargs) {
  if (!check_nargs(nargs, 4, "unique_name")) return nullptr;
  return guarded([&]() -> PyObject* {
    auto& store = native<VariableStore>(args[0]);
    const int mark = PyObject_IsTrue(args[3]);
    if (mark < 0) throw py::error_already_set();
    const std::string_view out = store.names().unique_name_view(
        as_view(args[1], "scope"), as_view(args[2], "name"), mark != 0);
    return str_from(out.data(), out.size());
  });
}

// select_prefix(store, prefix, mask, variables) -> [variables[id] for the ids of
// list_prefix(prefix, mask)]: a scoped get_collection of variables in one call. Ids beyond
// the list or whose item is None (a wrapper another thread is still publishing) are skipped.
PyObject* fast_select_prefix(PyObject*, PyObject* const* args, Py_ssize_t nargs) {
  if (!check_nargs(nargs, 4, "select_prefix")) return nullptr;
  return guarded([&]() -> PyObject* {
    const auto& store = native<VariableStore>(args[0]);
    const long mask = as_long(args[2], "mask");
    PyObject* variables = args[3];
    if (!PyList_Check(variables)) throw TypeError("variables must be a list");
    const std::vector<std::uint32_t> ids =
        store.list_prefix(as_view(args[1], "prefix"), static_cast<std::uint8_t>(mask));
    PyObject* out = PyList_New(0);
    if (out == nullptr) return nullptr;
    for (const std::uint32_t id : ids) {
      if (static_cast<Py_ssize_t>(id) >= PyList_GET_SIZE(variables)) continue;
      PyObject* item = PyList_GET_ITEM(variables, static_cast<Py_ssize_t>(id));
      if (item == Py_None) continue;
      if (PyList_Append(out, item) < 0) {
        Py_DECREF(out);
        return nullptr;
      }
    }
    return out;
  });
}

// open_scope(counters, name): variable_scope default_name counter += 1
PyObject* fast_open_scope(PyObject*, PyObject* const* args, Py_ssize_t nargs) {
  if (!check_nargs(nargs, 2, "open_scope")) return nullptr;
  return guarded([&]() -> PyObject* {
    native<NameTrie>(args[0]).open_scope(as_view(args[1], "name"));
    Py_RETURN_NONE;
  });
}

// close_subscopes(counters, name): counters of name/* = 0
PyObject* fast_close_subscopes(PyObject*, PyObject* const* args, Py_ssize_t nargs) {
  if (!check_nargs(nargs, 2, "close_subscopes")) return nullptr;
  return guarded([&]() -> PyObject* {
    native<NameTrie>(args[0]).close_subscopes(as_view(args[1], "name"));
    Py_RETURN_NONE;
  });
}

// enter_scope(store, counters, name_stack, name, var_scope_name) -> new name stack: the two
// steps of entering variable_scope("name"): its name scope (made unique) and its counter.
PyObject* fast_enter_scope(PyObject*, PyObject* const* args, Py_ssize_t nargs) {
  if (!check_nargs(nargs, 5, "enter_scope")) return nullptr;
  return guarded([&]() -> PyObject* {
    auto& store = native<VariableStore>(args[0]);
    auto& counters = native<NameTrie>(args[1]);
    const std::string_view stack = store.names().unique_name_view(
        as_view(args[2], "name_stack"), as_view(args[3], "name"), true);
    counters.open_scope(as_view(args[4], "var_scope_name"));
    return str_from(stack.data(), stack.size());
  });
}

PyObject* fast_is_valid_root_name(PyObject*, PyObject* const* args, Py_ssize_t nargs) {
  if (!check_nargs(nargs, 1, "is_valid_root_name")) return nullptr;
  return guarded([&]() -> PyObject* {
    return PyBool_FromLong(is_valid_root_name(as_view(args[0], "name")) ? 1 : 0);
  });
}

PyObject* fast_is_valid_scope_name(PyObject*, PyObject* const* args, Py_ssize_t nargs) {
  if (!check_nargs(nargs, 1, "is_valid_scope_name")) return nullptr;
  return guarded([&]() -> PyObject* {
    return PyBool_FromLong(is_valid_scope_name(as_view(args[0], "name")) ? 1 : 0);
  });
}

// -- get_variable's lookup fast path --------------------------------------------------------
// tf.get_variable is this C function. It answers the commonest call, finding an existing
// variable (get_variable("w", [3, 3]) in a reuse scope), with no Python frame: the default
// graph, the current scope's prefix and reuse mode, one hash lookup, the cached wrapper.
// Anything else (a create, an error, any other argument) goes to the Python implementation,
// which is the authority on every rule; this function only skips its work on a cache hit.
struct FastGetVariable {
  PyObject* python_impl;  // varstore.variable_scope._get_variable
  PyObject* plain;        // variable_scope._PLAIN: the defaults of a scope with none set
  PyObject* publish;      // variable_scope._publish(graph, id, collections, None, initializer)
  PyObject* default_collections;  // (GLOBAL_VARIABLES, TRAINABLE_VARIABLES)
  PyTypeObject* variable_cls;     // Variable: its wrappers are made here on the C path
  PyObject* s_state;
  PyObject* s_kind;
  PyObject* s_shape;
  PyObject* s_initializer;
  PyObject* s_fill;
  DefaultGraph graph;
  SlotRef var_scope{"var_scope"}, d{"_d"}, prefix{"_prefix"}, rc{"_rc"};  // state, scope
  SlotRef g_tls{"_tls"}, g_store{"_store"}, g_variables{"_variables"},      // Graph
      g_init_kinds{"_init_kinds"}, g_collections{"_collections"};
  StateCache states;  // graph._tls.state
  std::string full;  // the variable's name being looked up (no allocation per call)
  PartialShape want;
};

void fast_get_variable_free(PyObject* capsule) {
  auto* f = static_cast<FastGetVariable*>(PyCapsule_GetPointer(capsule, "varstore.get_variable"));
  if (f == nullptr) return;
  for (PyObject* o : {f->python_impl, f->plain, f->publish, f->default_collections,
                      reinterpret_cast<PyObject*>(f->variable_cls), f->s_state, f->s_kind,
                      f->s_shape, f->s_initializer, f->s_fill}) {
    Py_XDECREF(o);
  }
  f->graph.release();
  delete f;
}

// A new reference to the existing variable, or to a new one filled with the constant `fill`
// when `has_fill` (zeros_initializer(), ones_initializer(), constant_initializer(c)); or
// nullptr (no error set) to take the Python path.
PyObject* lookup_or_create(FastGetVariable& f, PyObject* name, PyObject* shape,
                           PyObject* initializer, bool has_fill, double fill, long kind) {
  if (!PyUnicode_CheckExact(name) || !PyList_CheckExact(shape)) return nullptr;
  const Py_ssize_t rank = PyList_GET_SIZE(shape);
  if (rank > 8) return nullptr;
  std::int64_t dims[8];
  for (Py_ssize_t i = 0; i < rank; ++i) {
    PyObject* d = PyList_GET_ITEM(shape, i);
    if (!PyLong_CheckExact(d)) return nullptr;
    const long long v = PyLong_AsLongLong(d);
    if (v < 0) {
      PyErr_Clear();
      return nullptr;
    }
    dims[i] = v;
  }
  PyObject* graph = f.graph.get();
  if (graph == nullptr) return nullptr;
  PyObject* result = nullptr;
  PyObject* tls = f.g_tls.get(graph);
  PyObject* state = tls != nullptr ? f.states.get(tls, f.s_state) : nullptr;
  PyObject* scope = state != nullptr ? f.var_scope.get(state) : nullptr;
  PyObject* d = scope != nullptr && scope != Py_None ? f.d.get(scope) : nullptr;
  if (d != nullptr && d == f.plain) {
    PyObject* prefix = f.prefix.get(scope);
    PyObject* rc = f.rc.get(scope);
    PyObject* store_obj = f.g_store.get(graph);
    if (prefix != nullptr && rc != nullptr && store_obj != nullptr && PyUnicode_Check(prefix)) {
      const long reuse = PyLong_AsLong(rc);
      Py_ssize_t plen = 0, nlen = 0;
      const char* p = PyUnicode_AsUTF8AndSize(prefix, &plen);
      const char* n = PyUnicode_AsUTF8AndSize(name, &nlen);
      if (p != nullptr && n != nullptr) {
        std::string& full = f.full;
        full.assign(p, static_cast<std::size_t>(plen)).append(n, static_cast<std::size_t>(nlen));
        try {
          auto& store = native<VariableStore>(store_obj);
          std::size_t numel = 1;
          for (Py_ssize_t i = 0; i < rank; ++i) {
            numel = dims[i] < (std::int64_t{1} << 30) ? numel * static_cast<std::size_t>(dims[i])
                                                     : (std::size_t{1} << 62);
          }
          const bool may_create = has_fill && reuse != 1 && numel < (std::size_t{1} << 28) &&
                                  is_valid_root_name(full);
          // Without reuse, get_or_create looks the name up itself (an existing variable
          // throws, and the Python path reports it with TF's message).
          const std::optional<std::uint32_t> id =
              may_create && reuse == 0 ? std::nullopt : store.find(full);
          if (!id && may_create) {
            // A create that cannot fail on this path (valid name, modest size, no variable).
            PartialShape& want = f.want;  // (reused: no allocation per call)
            want.known_rank = true;
            want.dims.assign(dims, dims + rank);
            const auto r = store.get_or_create(full, want, DType::kFloat32,
                                               static_cast<ReuseMode>(reuse), true,
                                               kGlobalVariables | kTrainableVariables,
                                               Fill::kConstant, fill);
            // _publish makes the wrapper and the variable's graph nodes (its handle,
            // initializer, read), so it always runs in Python.
            (void)kind;
            PyObject* vid = PyLong_FromUnsignedLong(r.id);
            if (vid != nullptr) {
              PyObject* call_args[] = {graph, vid, f.default_collections, Py_None,
                                       initializer != nullptr ? initializer : Py_None};
              result = PyObject_Vectorcall(f.publish, call_args, 5, nullptr);
              Py_DECREF(vid);
            }
            if (result == nullptr) {  // publishing failed: undo, report that error
              store.discard_last(r.id);
            }
          } else if (reuse > 0 && id) {
            const Variable& v = store.variable(*id);
            bool same = v.dtype == DType::kFloat32 &&
                        v.shape().size() == static_cast<std::size_t>(rank);
            for (Py_ssize_t i = 0; same && i < rank; ++i) same = v.shape()[i] == dims[i];
            if (same) {
              PyObject* variables = f.g_variables.get(graph);
              if (variables != nullptr && PyList_CheckExact(variables) &&
                  static_cast<Py_ssize_t>(*id) < PyList_GET_SIZE(variables)) {
                PyObject* var = PyList_GET_ITEM(variables, static_cast<Py_ssize_t>(*id));
                if (var != Py_None) {
                  Py_INCREF(var);
                  result = var;
                }
              }
              Py_XDECREF(variables);
            }
          }
        } catch (...) {
          result = nullptr;
        }
      }
    }
    Py_XDECREF(prefix);
    Py_XDECREF(rc);
    Py_XDECREF(store_obj);
  }
  Py_XDECREF(d);
  Py_XDECREF(scope);
  Py_XDECREF(state);
  Py_XDECREF(tls);
  Py_DECREF(graph);
  if (result == nullptr && !PyErr_ExceptionMatches(PyExc_MemoryError)) {
    PyErr_Clear();  // anything odd above just means: take the Python path
  }
  return result;
}

PyObject* fast_get_variable(PyObject* self, PyObject* const* args, size_t nargsf,
                            PyObject* kwnames) {
  auto* f = static_cast<FastGetVariable*>(PyCapsule_GetPointer(self, "varstore.get_variable"));
  if (f == nullptr) return nullptr;
  const Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
  const Py_ssize_t nkw = kwnames != nullptr ? PyTuple_GET_SIZE(kwnames) : 0;
  PyObject* name = nargs >= 1 ? args[0] : nullptr;
  PyObject* shape = nargs >= 2 ? args[1] : nullptr;
  PyObject* initializer = nullptr;
  bool simple = nargs >= 1 && nargs <= 2;
  for (Py_ssize_t i = 0; simple && i < nkw; ++i) {
    PyObject* key = PyTuple_GET_ITEM(kwnames, i);
    PyObject* value = args[nargs + i];
    // (keyword names are interned: pointer equality first)
    if (shape == nullptr && (key == f->s_shape || PyUnicode_Compare(key, f->s_shape) == 0)) {
      shape = value;
    } else if (value == Py_None) {
      continue;  // an argument left at its default
    } else {
      // A callable initializer is fine (ignored on reuse, or a C++ constant fill);
      // anything else needs the full rules.
      simple = (key == f->s_initializer || PyUnicode_Compare(key, f->s_initializer) == 0) &&
               PyCallable_Check(value);
      initializer = value;
    }
  }
  if (simple && shape != nullptr) {
    bool has_fill = false;
    double fill = 0.0;
    long kind = -1;
    // Only the constant initializers themselves (a `_kind` in the class's own dict, not
    // inherited: a subclass may compute its values differently) are filled in C.
    PyObject* own = initializer != nullptr ? Py_TYPE(initializer)->tp_dict : nullptr;
    PyObject* kind_obj = own != nullptr ? PyDict_GetItemWithError(own, f->s_kind) : nullptr;
    if (kind_obj != nullptr && PyLong_CheckExact(kind_obj)) kind = PyLong_AsLong(kind_obj);
    PyErr_Clear();
    if (kind > 0 && kind < 256) {
      // initializer._fill: the instance's (constant_initializer) or its class's (zeros, ones);
      // both plain values, so no descriptor protocol to honour.
      PyObject** dict = _PyObject_GetDictPtr(initializer);
      PyObject* value = dict != nullptr && *dict != nullptr
                            ? PyDict_GetItemWithError(*dict, f->s_fill)
                            : nullptr;  // borrowed
      if (value == nullptr && !PyErr_Occurred()) value = PyDict_GetItemWithError(own, f->s_fill);
      if (value != nullptr && (PyFloat_CheckExact(value) || PyLong_CheckExact(value))) {
        fill = PyFloat_AsDouble(value);
        has_fill = !(fill == -1.0 && PyErr_Occurred());
      }
      PyErr_Clear();
    }
    if (PyObject* var = lookup_or_create(*f, name, shape, initializer, has_fill, fill, kind)) {
      return var;
    }
    if (PyErr_Occurred()) return nullptr;
  }
  return PyObject_Vectorcall(f->python_impl, args, nargsf, kwnames);
}

PyMethodDef kGetVariableDef = {
    "get_variable",
    reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(fast_get_variable)),
    METH_FASTCALL | METH_KEYWORDS,
    "get_variable(name, shape=None, dtype=None, initializer=None, regularizer=None, "
    "trainable=None, collections=None, caching_device=None, partitioner=None, "
    "validate_shape=True, use_resource=None, custom_getter=None, constraint=None, "
    "synchronization=VariableSynchronization.AUTO, aggregation=VariableAggregation.NONE)\n"
    "--\n\n"  // (the line that makes the first one __text_signature__: inspect.signature)
    "Gets an existing variable with these parameters or creates a new one (TF1's rules)."};

// make_get_variable(python_impl, get_default_graph, plain, publish, default_collections,
//                   Variable);
// publish(graph, id, collections, constraint, initializer) makes a new variable's wrapper.
//   -> the tf.get_variable callable
PyObject* fast_make_get_variable(PyObject*, PyObject* const* args, Py_ssize_t nargs) {
  if (!check_nargs(nargs, 6, "make_get_variable")) return nullptr;
  if (!PyType_Check(args[5]) || !is_variable_base(reinterpret_cast<PyTypeObject*>(args[5]))) {
    PyErr_SetString(PyExc_TypeError,
                    "make_get_variable(): Variable must be a subclass of VariableBase");
    return nullptr;
  }
  auto* f = new FastGetVariable{};
  f->python_impl = args[0];
  f->plain = args[2];
  f->publish = args[3];
  f->default_collections = args[4];
  f->variable_cls = reinterpret_cast<PyTypeObject*>(args[5]);
  for (PyObject* o : {args[0], args[2], args[3], args[4], args[5]}) Py_INCREF(o);
  f->graph.init(args[1]);
  f->s_state = PyUnicode_InternFromString("state");
  f->s_kind = PyUnicode_InternFromString("_kind_code");
  f->s_shape = PyUnicode_InternFromString("shape");
  f->s_initializer = PyUnicode_InternFromString("initializer");
  f->s_fill = PyUnicode_InternFromString("_fill");
  PyObject* capsule = PyCapsule_New(f, "varstore.get_variable", fast_get_variable_free);
  if (capsule == nullptr) return nullptr;  // (leaks f: only when out of memory)
  // Its __module__ is the module whose names the defaults of the text signature are
  // (inspect evaluates VariableSynchronization.AUTO there).
  PyObject* module = PyUnicode_FromString("varstore.variable_scope");
  if (module == nullptr) {
    Py_DECREF(capsule);
    return nullptr;
  }
  PyObject* fn = PyCFunction_NewEx(&kGetVariableDef, capsule, module);
  Py_DECREF(module);
  Py_DECREF(capsule);
  return fn;
}

PyMethodDef kFastCalls[] = {
    {"make_get_variable",
     reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(fast_make_get_variable)),
     METH_FASTCALL,
     "make_get_variable(python_impl, get_default_graph, plain, publish, default_collections, "
     "Variable) "
     "-> tf.get_variable, a C function that answers reuse lookups and constant-filled creates "
     "itself and passes everything else to python_impl"},
    {"enter_scope", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(fast_enter_scope)),
     METH_FASTCALL,
     "enter_scope(store, counters, name_stack, name, var_scope_name) -> new name stack"},
    {"is_valid_root_name",
     reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(fast_is_valid_root_name)),
     METH_FASTCALL, "is_valid_root_name(name) -> TF's op-name regex at the root"},
    {"is_valid_scope_name",
     reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(fast_is_valid_scope_name)),
     METH_FASTCALL, "is_valid_scope_name(name) -> TF's scope-name regex below the root"},
    {"get_or_create", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(fast_get_or_create)),
     METH_FASTCALL,
     "get_or_create(store, name, shape, dtype, reuse, trainable, collections, fill, value) -> "
     "id * 2 + created: tf.get_variable's store step in one call"},
    {"select_prefix",
     reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(fast_select_prefix)),
     METH_FASTCALL,
     "select_prefix(store, prefix, mask, variables) -> the items of variables at the ids of "
     "the store's list_prefix(prefix, mask), in creation order"},
    {"find", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(fast_find)), METH_FASTCALL,
     "find(store, name) -> id of the get_variable variable called name, or -1"},
    {"unique_name", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(fast_unique_name)),
     METH_FASTCALL, "unique_name(store, scope, name, mark_as_used) -> Graph.unique_name"},
    {"open_scope", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(fast_open_scope)),
     METH_FASTCALL, "open_scope(counters, name): counts one more opening of a variable scope"},
    {"close_subscopes",
     reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(fast_close_subscopes)),
     METH_FASTCALL, "close_subscopes(counters, name): resets the counters below name"},
    {nullptr, nullptr, 0, nullptr}};

}  // namespace

void register_store(py::module_& m) {
  py::class_<VariableStore>(m, "VariableStore")
      .def(py::init<>())
      .def(
          "add_variable",
          [](VariableStore& s, const std::string& graph_name, const py::tuple& shape, int dtype,
             bool trainable, int collections) {
            return s.add_variable(graph_name, to_dims(shape), dtype_from_code(dtype), trainable,
                                  static_cast<std::uint8_t>(collections));
          })
      .def("discard_last", &VariableStore::discard_last)
      .def("find",
           [](const VariableStore& s, const std::string& name) -> std::int64_t {
             auto id = s.find(name);
             return id ? static_cast<std::int64_t>(*id) : -1;
           })
      .def("array",
           [](py::object self, std::uint32_t id) {
             return view_of(self.cast<VariableStore&>(), id, self);
           })
      .def("name", [](const VariableStore& s, std::uint32_t id) { return s.variable(id).name(); })
      .def("graph_name",
           [](const VariableStore& s, std::uint32_t id) { return s.variable(id).graph_name(); })
      .def("shape",
           [](const VariableStore& s, std::uint32_t id) {
             return shape_tuple(s.variable(id).shape());
           })
      .def("dtype",
           [](const VariableStore& s, std::uint32_t id) {
             return static_cast<int>(s.variable(id).dtype);
           })
      .def("trainable",
           [](const VariableStore& s, std::uint32_t id) { return s.variable(id).trainable; })
      .def("collections",
           [](const VariableStore& s, std::uint32_t id) {
             return static_cast<int>(s.variable(id).collections);
           })
      .def("version",
           [](const VariableStore& s, std::uint32_t id) { return s.variable(id).version; })
      .def("bump_version",
           [](VariableStore& s, std::uint32_t id) { return ++s.variable(id).version; })
      .def("nbytes", [](const VariableStore& s, std::uint32_t id) { return s.variable(id).nbytes; })
      .def("list_prefix",
           [](const VariableStore& s, const std::string& prefix, int mask) {
             return s.list_prefix(prefix, static_cast<std::uint8_t>(mask));
           })
      .def("mark_used",
           [](VariableStore& s, const std::string& name) { s.names().mark_used(name); })
      .def("is_used",
           [](VariableStore& s, const std::string& name) { return s.names().is_used(name); })
      .def_property_readonly("arena_bytes", &VariableStore::arena_bytes)
      .def("__len__", &VariableStore::size);

  py::class_<NameTrie>(m, "ScopeCounters")
      .def(py::init<>())
      .def("count", &NameTrie::scope_count)
      .def("open", &NameTrie::open_scope)
      .def("close_subscopes", &NameTrie::close_subscopes)
      .def("close_all", &NameTrie::close_all_subscopes)
      .def("begin_journal", &NameTrie::begin_journal)
      .def("rollback", &NameTrie::rollback);

  if (PyModule_AddFunctions(m.ptr(), kFastCalls) != 0) throw py::error_already_set();

}

}  // namespace varstore::bindings
