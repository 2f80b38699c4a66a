// Common includes for the pybind11 bindings of varstore._core.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

namespace py = pybind11;

namespace varstore::bindings {

void register_errors(py::module_& m);
void register_store(py::module_& m);
void register_scopes(py::module_& m);
void register_kernels(py::module_& m);

}  // namespace varstore::bindings
