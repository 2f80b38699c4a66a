// C++ errors of the core -> the Python exceptions TF raises, with the message unchanged.
#include "bindings.hpp"
#include "varstore/errors.hpp"

namespace varstore::bindings {

void register_errors(py::module_& /*m*/) {
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const varstore::ValueError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const varstore::TypeError& e) {
      PyErr_SetString(PyExc_TypeError, e.what());
    }
  });
}

}  // namespace varstore::bindings
