// Direct access to one __slots__ member of the Python classes the fast paths touch on every
// call (the thread's scope state, VariableScope, Variable): the member descriptor's offset is
// looked up once per class, and an object of exactly that class is read or written with one
// load or store (a generic getattr/setattr costs ~30-40 ns each here). Objects of any other
// class (a subclass, a class without that slot) go through PyObject_GetAttr / SetAttr.
#pragma once

#include <Python.h>
#include <structmember.h>

namespace varstore::bindings {

class SlotRef {
 public:
  explicit SlotRef(const char* name) : name_(PyUnicode_InternFromString(name)) {}

  // A new reference, or nullptr with an exception set.
  PyObject* get(PyObject* obj) {
    if (PyObject** slot = find(obj)) {
      if (*slot != nullptr) {
        Py_INCREF(*slot);
        return *slot;
      }
    }
    return PyObject_GetAttr(obj, name_);  // (also raises the AttributeError of an unset slot)
  }

  // obj.<name> = value (value is not consumed); 0, or -1 with an exception set.
  int set(PyObject* obj, PyObject* value) {
    if (PyObject** slot = find(obj)) {
      Py_INCREF(value);
      Py_XSETREF(*slot, value);
      return 0;
    }
    return PyObject_SetAttr(obj, name_, value);
  }

 private:
  PyObject** find(PyObject* obj) {
    PyTypeObject* type = Py_TYPE(obj);
    if (type != type_) {
      if (type_ != nullptr || !learn(type)) return nullptr;
    }
    return reinterpret_cast<PyObject**>(reinterpret_cast<char*>(obj) + offset_);
  }

  // Takes type as the class to serve when `name` is one of its object slots.
  bool learn(PyTypeObject* type) {
    if (name_ == nullptr) return false;
    PyObject* descr = _PyType_Lookup(type, name_);  // borrowed
    if (descr == nullptr || Py_TYPE(descr) != &PyMemberDescr_Type) return false;
    const PyMemberDef* def = reinterpret_cast<PyMemberDescrObject*>(descr)->d_member;
    if (def->type != T_OBJECT_EX || (def->flags & READONLY) != 0) return false;
    Py_INCREF(type);
    type_ = type;
    offset_ = def->offset;
    return true;
  }

  PyObject* name_;
  PyTypeObject* type_ = nullptr;
  Py_ssize_t offset_ = 0;
};

}  // namespace varstore::bindings
