// varstore._core.kernels.sparse_dense_matmul_rows: SparseTensorDenseMatMul's row updates
// (sparse_matmul.hpp) for sparse_ops.py, which checks the indices first. Releases the GIL.
#include <cstdint>
#include <string>

#include "bindings.hpp"
#include "varstore/kernels/sparse_matmul.hpp"

namespace varstore::bindings {
namespace {

namespace vk = varstore::kernels;
using i64 = std::int64_t;
using Index = py::array_t<i64, py::array::c_style>;

template <typename T, typename F>
void run(F f, py::array& out, const Index& ms, const Index& ks, const py::array& values,
         const py::array& b) {
  auto o = py::array_t<T, py::array::c_style>::ensure(out);
  auto v = py::array_t<T, py::array::c_style>::ensure(values);
  auto bb = py::array_t<T, py::array::c_style>::ensure(b);
  if (!o || !v || !bb || o.ptr() != out.ptr() || o.ndim() != 2 || bb.ndim() != 2 || v.ndim() != 1)
    throw py::value_error("sparse_dense_matmul_rows: out (2-D, C-contiguous, writable), values "
                          "(1-D) and b (2-D) must share out's dtype");
  const i64 nnz = ms.shape(0);
  if (ks.shape(0) != nnz || v.shape(0) != nnz || bb.shape(1) != o.shape(1))
    throw py::value_error("sparse_dense_matmul_rows: mismatched lengths");
  const i64 n = o.shape(1);
  T* dst = o.mutable_data();
  const i64* mp = ms.data();
  const i64* kp = ks.data();
  const T* vp = v.data();
  const T* bp = bb.data();
  py::gil_scoped_release release;
  f(mp, kp, vp, nnz, bp, n, dst);
}

void rows(py::array out, const Index& ms, const Index& ks, const py::array& values, const py::array& b) {
  if (ms.ndim() != 1 || ks.ndim() != 1) throw py::value_error("sparse_dense_matmul_rows: ms and ks must be 1-D");
  if (out.dtype().is(py::dtype::of<float>())) {
    run<float>(&vk::sparse_dense_matmul_rows_f32, out, ms, ks, values, b);
  } else if (out.dtype().is(py::dtype::of<double>())) {
    run<double>(&vk::sparse_dense_matmul_rows_f64, out, ms, ks, values, b);
  } else {
    throw py::type_error("sparse_dense_matmul_rows: float32 or float64 only, got " +
                         std::string(py::str(out.dtype())));
  }
}

}  // namespace

void register_sparse(py::module_& m) {
  m.def("sparse_dense_matmul_rows", &rows, py::arg("out"), py::arg("ms"), py::arg("ks"),
        py::arg("values"), py::arg("b"),
        "out[ms[i]] += values[i] * b[ks[i]] for i in order (TF's SparseTensorDenseMatMul CPU\n"
        "loop, float32/float64; indices unchecked: the caller checks them). Releases the GIL.");
}

}  // namespace varstore::bindings
