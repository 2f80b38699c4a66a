// varstore._core.store: the per-graph VariableStore (variables, trie, name uniquifier) and the
// per-thread ScopeCounters (variable_scope default_name counters). Calls are positional and
// coarse: one call per API operation (keyword handling costs ~0.4 us per call in pybind11).
#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
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
  }
  return "float32";
}

PartialShape to_partial_shape(const py::handle& shape) {
  PartialShape out;
  if (shape.is_none()) return out;
  out.known_rank = true;
  for (const auto& d : py::reinterpret_borrow<py::tuple>(shape)) {
    out.dims.push_back(d.is_none() ? -1 : d.cast<std::int64_t>());
  }
  return out;
}

std::vector<std::int64_t> to_dims(const py::tuple& shape) {
  std::vector<std::int64_t> dims;
  dims.reserve(shape.size());
  for (const auto& d : shape) dims.push_back(d.cast<std::int64_t>());
  return dims;
}

py::tuple shape_tuple(const std::vector<std::int64_t>& dims) {
  py::tuple t(dims.size());
  for (std::size_t i = 0; i < dims.size(); ++i) t[i] = py::int_(dims[i]);
  return t;
}

py::array view_of(VariableStore& store, std::uint32_t id, py::handle owner) {
  const Variable& v = store.variable(id);
  std::vector<py::ssize_t> shape(v.shape.begin(), v.shape.end());
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
    auto& store = py::handle(args[0]).cast<VariableStore&>();
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
    auto& store = py::handle(args[0]).cast<VariableStore&>();
    const int mark = PyObject_IsTrue(args[3]);
    if (mark < 0) throw py::error_already_set();
    const std::string out =
        store.names().unique_name(as_view(args[1], "scope"), as_view(args[2], "name"), mark != 0);
    return PyUnicode_FromStringAndSize(out.data(), static_cast<Py_ssize_t>(out.size()));
  });
}

// open_scope(counters, name): variable_scope default_name counter += 1
PyObject* fast_open_scope(PyObject*, PyObject* const* args, Py_ssize_t nargs) {
  if (!check_nargs(nargs, 2, "open_scope")) return nullptr;
  return guarded([&]() -> PyObject* {
    py::handle(args[0]).cast<NameTrie&>().open_scope(as_view(args[1], "name"));
    Py_RETURN_NONE;
  });
}

// close_subscopes(counters, name): counters of name/* = 0
PyObject* fast_close_subscopes(PyObject*, PyObject* const* args, Py_ssize_t nargs) {
  if (!check_nargs(nargs, 2, "close_subscopes")) return nullptr;
  return guarded([&]() -> PyObject* {
    py::handle(args[0]).cast<NameTrie&>().close_subscopes(as_view(args[1], "name"));
    Py_RETURN_NONE;
  });
}

// enter_scope(store, counters, name_stack, name, var_scope_name) -> new name stack: the two
// steps of entering variable_scope("name"): its name scope (made unique) and its counter.
PyObject* fast_enter_scope(PyObject*, PyObject* const* args, Py_ssize_t nargs) {
  if (!check_nargs(nargs, 5, "enter_scope")) return nullptr;
  return guarded([&]() -> PyObject* {
    auto& store = py::handle(args[0]).cast<VariableStore&>();
    auto& counters = py::handle(args[1]).cast<NameTrie&>();
    const std::string stack =
        store.names().unique_name(as_view(args[2], "name_stack"), as_view(args[3], "name"), true);
    counters.open_scope(as_view(args[4], "var_scope_name"));
    return PyUnicode_FromStringAndSize(stack.data(), static_cast<Py_ssize_t>(stack.size()));
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

PyMethodDef kFastCalls[] = {
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
      .def("name", [](const VariableStore& s, std::uint32_t id) { return s.variable(id).name; })
      .def("graph_name",
           [](const VariableStore& s, std::uint32_t id) { return s.variable(id).graph_name; })
      .def("shape",
           [](const VariableStore& s, std::uint32_t id) {
             return shape_tuple(s.variable(id).shape);
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
