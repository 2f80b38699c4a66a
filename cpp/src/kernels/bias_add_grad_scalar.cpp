// BiasAddGrad (optionally masked, optionally writing the masked dy), portable baseline
// implementation: task t sums rows [t * chunk_rows, ...) of [rows, C] into partials + t * C.
//
// ISA-file hygiene (STYLE.md 4): only <cstddef>, <cstdint> and the plain params headers; no
// STL, no shared inline helpers; one exported C-like function.
#include <cstddef>
#include <cstdint>

#include "varstore/kernels/conv2d_backprop.hpp"

namespace varstore::kernels::scalar {

void bias_add_grad_nc_f32__scalar(const BiasAddGradParams* pp, std::int64_t task_begin,
                                  std::int64_t task_end, float* /*scratch*/) {
  using i64 = std::int64_t;
  const BiasAddGradParams& p = *pp;
  for (i64 t = task_begin; t < task_end; ++t) {
    float* part = p.partials + t * p.C;
    for (i64 c = 0; c < p.C; ++c) part[c] = 0.0f;
    const i64 r0 = t * p.chunk_rows;
    const i64 r1 = r0 + p.chunk_rows < p.rows ? r0 + p.chunk_rows : p.rows;
    for (i64 r = r0; r < r1; ++r) {
      for (i64 c = 0; c < p.C; ++c) {
        const i64 i = r * p.C + c;
        float d = p.dy[i];
        if (p.y != nullptr && !(p.y[i] > 0.0f)) d = d * p.alpha;
        if (p.masked_out != nullptr) p.masked_out[i] = d;
        part[c] += d;
      }
    }
  }
}

}  // namespace varstore::kernels::scalar
