// SparseTensorDenseMatMul's row updates (sparse_matmul.hpp). Plain baseline C++: the inner loop
// over the output columns vectorises without changing any sum's order.
#include "varstore/kernels/sparse_matmul.hpp"

namespace varstore::kernels {
namespace {

template <typename T>
void rows_impl(const std::int64_t* ms, const std::int64_t* ks, const T* values, std::int64_t nnz,
               const T* b, std::int64_t n, T* out) {
  for (std::int64_t i = 0; i < nnz; ++i) {
    T* __restrict o = out + ms[i] * n;
    const T* __restrict br = b + ks[i] * n;
    const T a = values[i];
    for (std::int64_t j = 0; j < n; ++j) o[j] += a * br[j];
  }
}

}  // namespace

void sparse_dense_matmul_rows_f32(const std::int64_t* ms, const std::int64_t* ks, const float* values,
                                  std::int64_t nnz, const float* b, std::int64_t n, float* out) {
  rows_impl(ms, ks, values, nnz, b, n, out);
}

void sparse_dense_matmul_rows_f64(const std::int64_t* ms, const std::int64_t* ks, const double* values,
                                  std::int64_t nnz, const double* b, std::int64_t n, double* out) {
  rows_impl(ms, ks, values, nnz, b, n, out);
}

}  // namespace varstore::kernels
