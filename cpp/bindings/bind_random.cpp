// varstore._core.kernels: TF's Philox blocks and its normal / truncated-normal samplers
// (philox.hpp), for random_philox.py. The GIL is released while they run.
#include <cstdint>
#include <string>

#include "bindings.hpp"
#include "varstore/kernels/philox.hpp"

namespace varstore::bindings {
namespace {

namespace vk = varstore::kernels;
using i64 = std::int64_t;
using u64 = std::uint64_t;

i64 checked_count(const char* fn, i64 n) {
  if (n < 0) throw py::value_error(std::string(fn) + ": n must be >= 0, got " + std::to_string(n));
  return n;
}

// float32 (the float and half samplers) or float64.
bool is_double(const char* fn, const std::string& dtype) {
  if (dtype == "float64") return true;
  if (dtype == "float32") return false;
  throw py::value_error(std::string(fn) + ": dtype must be 'float32' or 'float64', got '" + dtype + "'");
}

py::array blocks(u64 key, u64 counter_lo, u64 counter_hi,
                 const py::array_t<u64, py::array::c_style | py::array::forcecast>& offsets) {
  if (offsets.ndim() != 1) throw py::value_error("philox_blocks: offsets must be 1-D");
  const i64 n = offsets.shape(0);
  py::array_t<std::uint32_t> out({n, i64{4}});
  const vk::PhiloxState s{key, counter_lo, counter_hi};
  const u64* off = offsets.data();
  std::uint32_t* dst = out.mutable_data();
  {
    py::gil_scoped_release release;
    vk::philox_blocks(s, off, n, dst);
  }
  return std::move(out);
}

template <typename F32, typename F64>
py::array sample(const char* fn, F32 f32, F64 f64, u64 key, u64 counter_lo, u64 counter_hi, i64 n,
                 const std::string& dtype) {
  checked_count(fn, n);
  const vk::PhiloxState s{key, counter_lo, counter_hi};
  if (is_double(fn, dtype)) {
    py::array_t<double> out(n);
    double* dst = out.mutable_data();
    py::gil_scoped_release release;
    f64(s, n, dst);
    return std::move(out);
  }
  py::array_t<float> out(n);
  float* dst = out.mutable_data();
  py::gil_scoped_release release;
  f32(s, n, dst);
  return std::move(out);
}

}  // namespace

void register_random(py::module_& m) {
  m.def("philox_blocks", &blocks, py::arg("key"), py::arg("counter_lo"), py::arg("counter_hi"),
        py::arg("offsets"),
        "Philox-4x32-10 blocks, (len(offsets), 4) uint32: row i at the 128-bit counter\n"
        "(counter_hi << 64 | counter_lo) + offsets[i] under the 64-bit key. Releases the GIL.");
  m.def(
      "philox_normal",
      [](u64 key, u64 counter_lo, u64 counter_hi, i64 n, const std::string& dtype) {
        return sample("philox_normal", &vk::philox_normal_f32, &vk::philox_normal_f64, key,
                      counter_lo, counter_hi, n, dtype);
      },
      py::arg("key"), py::arg("counter_lo"), py::arg("counter_hi"), py::arg("n"), py::arg("dtype"),
      "TF's RandomStandardNormal: n Box-Muller values ('float32': 4 a block, TF's float and half\n"
      "values before the half cast; 'float64': 2 a block) from the counter on. Releases the GIL.");
  m.def(
      "philox_truncated_normal",
      [](u64 key, u64 counter_lo, u64 counter_hi, i64 n, const std::string& dtype) {
        return sample("philox_truncated_normal", &vk::philox_truncated_normal_f32,
                      &vk::philox_truncated_normal_f64, key, counter_lo, counter_hi, n, dtype);
      },
      py::arg("key"), py::arg("counter_lo"), py::arg("counter_hi"), py::arg("n"), py::arg("dtype"),
      "TF's TruncatedNormal: n Box-Muller values with |x| < 2, each group of 4 floats (2\n"
      "doubles) from its own run of 256 (128) counters from the counter on. Releases the GIL.");
}

}  // namespace varstore::bindings
