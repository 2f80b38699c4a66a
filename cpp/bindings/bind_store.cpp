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

}  // namespace

void register_store(py::module_& m) {
  py::class_<VariableStore>(m, "VariableStore")
      .def(py::init<>())
      .def(
          "get_or_create",
          [](VariableStore& s, const std::string& name, py::handle shape, int dtype, int reuse,
             bool trainable, int collections, int fill, double fill_value) {
            if (reuse < 0 || reuse > 2) throw TypeError("invalid reuse mode");
            auto r = s.get_or_create(name, to_partial_shape(shape), dtype_from_code(dtype),
                                     static_cast<ReuseMode>(reuse), trainable,
                                     static_cast<std::uint8_t>(collections),
                                     fill == 1 ? Fill::kConstant : Fill::kNone, fill_value);
            return static_cast<std::int64_t>(r.id) * 2 + (r.created ? 1 : 0);
          },
          "get_or_create(name, shape|None, dtype, reuse, trainable, collections, fill, value) -> "
          "id*2 + created")
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
      .def("unique_name",
           [](VariableStore& s, const std::string& scope, const std::string& name, bool mark) {
             return s.names().unique_name(scope, name, mark);
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

  m.def("is_valid_root_name", [](const std::string& n) { return is_valid_root_name(n); });
  m.def("is_valid_scope_name", [](const std::string& n) { return is_valid_scope_name(n); });
}

}  // namespace varstore::bindings
