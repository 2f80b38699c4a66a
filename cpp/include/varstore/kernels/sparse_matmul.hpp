// TF's SparseTensorDenseMatMul CPU kernel (tensorflow/core/kernels/sparse_tensor_dense_matmul_op.cc)
// for float and double: out.row(m) += a_value * b.row(k), entry by entry in index order. The
// order and the separate multiply and add are what make the sums round as TF's do, so the
// file is compiled without FMA contraction. Bounds are checked by the caller.
#pragma once

#include <cstdint>

namespace varstore::kernels {

// out (out_rows x n, row-major, zeroed by the caller) += for i < nnz:
//   values[i] * b[ks[i] * n .. ks[i] * n + n) into row ms[i].
void sparse_dense_matmul_rows_f32(const std::int64_t* ms, const std::int64_t* ks, const float* values,
                                  std::int64_t nnz, const float* b, std::int64_t n, float* out);
void sparse_dense_matmul_rows_f64(const std::int64_t* ms, const std::int64_t* ks, const double* values,
                                  std::int64_t nnz, const double* b, std::int64_t n, double* out);

}  // namespace varstore::kernels
