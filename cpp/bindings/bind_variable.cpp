// varstore._core.store.VariableBase: the storage of tf.Variable's Python wrapper (the class
// itself, with all its methods, is varstore.variables.Variable, a subclass adding nothing to
// an instance). A wrapper is its graph, its store and a 32-bit id: 64 bytes in all, with
// the id inline (an int object for it would cost 32 bytes more per variable), made in C by
// get_variable's fast path.
#include <cstddef>
#include <cstdint>

#include "bindings.hpp"
#include "variable_base.hpp"

#include <structmember.h>  // (after Python.h)

namespace varstore::bindings {
namespace {

PyTypeObject* g_variable_base = nullptr;

int base_traverse(VariableBaseObject* self, visitproc visit, void* arg) {
  Py_VISIT(self->graph);
  Py_VISIT(self->store);
  Py_VISIT(Py_TYPE(self));  // heap type
  return 0;
}

int base_clear(VariableBaseObject* self) {
  Py_CLEAR(self->graph);
  Py_CLEAR(self->store);
  return 0;
}

void base_dealloc(VariableBaseObject* self) {
  PyTypeObject* type = Py_TYPE(self);
  PyObject_GC_UnTrack(self);
  if (self->weakrefs != nullptr) PyObject_ClearWeakRefs(reinterpret_cast<PyObject*>(self));
  base_clear(self);
  type->tp_free(self);
  Py_DECREF(type);
}

PyMemberDef kMembers[] = {
    {"_graph", T_OBJECT_EX, offsetof(VariableBaseObject, graph), 0, "The graph."},
    {"_store", T_OBJECT_EX, offsetof(VariableBaseObject, store), 0, "The graph's store."},
    {"_id", T_UINT, offsetof(VariableBaseObject, id), 0, "The variable's id in the store."},
    {"__weaklistoffset__", T_PYSSIZET, offsetof(VariableBaseObject, weakrefs), READONLY,
     nullptr},
    {nullptr, 0, 0, 0, nullptr}};

}  // namespace

bool is_variable_base(PyTypeObject* type) {
  return g_variable_base != nullptr && PyType_IsSubtype(type, g_variable_base);
}

PyObject* new_variable(PyTypeObject* type, PyObject* graph, PyObject* store, std::uint32_t id) {
  auto* self = reinterpret_cast<VariableBaseObject*>(type->tp_alloc(type, 0));
  if (self == nullptr) return nullptr;
  Py_INCREF(graph);
  self->graph = graph;
  Py_INCREF(store);
  self->store = store;
  self->id = id;
  return reinterpret_cast<PyObject*>(self);
}

void register_variable(py::module_& m) {
  PyType_Slot slots[] = {
      {Py_tp_dealloc, reinterpret_cast<void*>(base_dealloc)},
      {Py_tp_traverse, reinterpret_cast<void*>(base_traverse)},
      {Py_tp_clear, reinterpret_cast<void*>(base_clear)},
      {Py_tp_members, kMembers},
      {Py_tp_new, reinterpret_cast<void*>(PyType_GenericNew)},
      {Py_tp_doc, const_cast<char*>("The storage of a tf.Variable wrapper: graph, store, id.")},
      {0, nullptr}};
  PyType_Spec spec = {"varstore._core.store.VariableBase",
                      static_cast<int>(sizeof(VariableBaseObject)), 0,
                      Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC, slots};
  PyObject* type = PyType_FromSpec(&spec);
  if (type == nullptr) throw py::error_already_set();
  g_variable_base = reinterpret_cast<PyTypeObject*>(type);  // (the module keeps it alive)
  m.add_object("VariableBase", type);
}

}  // namespace varstore::bindings
