// varstore._core.kernels: the fused conv2d + bias + activation kernel, its packed filters, the
// ISA switches and the thread count (the backward kernels: bind_kernels_backprop.cpp). Shapes, dtypes and contiguity are checked here, at the binding
// edge; the kernel runs with the GIL released.
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "bind_kernels_args.hpp"
#include "bindings.hpp"
#include "varstore/kernels/conv2d_relu.hpp"
#include "varstore/kernels/isa.hpp"
#include "varstore/kernels/peak.hpp"

namespace varstore::bindings {
namespace {

using namespace kernel_args;  // NOLINT(google-build-using-namespace): this file's helpers

// A filter packed once into the kernels' blocked layout (see conv2d_relu.hpp).
class PackedFilter {
 public:
  explicit PackedFilter(const py::object& w) {
    const Op op{"PackedFilter"};
    FloatArray a = as_4d(op, w, "filter", "[height, width, in_channels, out_channels] (HWIO)");
    for (int i = 0; i < 4; ++i) {
      if (a.shape(i) < 1) op.value_error("filter has a zero-sized dimension, shape " + shape_str(a));
    }
    kh_ = a.shape(0);
    kw_ = a.shape(1);
    cin_ = a.shape(2);
    cout_ = a.shape(3);
    data_.resize(vk::packed_filter_floats(kh_, kw_, cin_, cout_));
    py::gil_scoped_release release;
    vk::pack_filter_hwio(a.data(), kh_, kw_, cin_, cout_, data_.data());
    finite_ = vk::all_finite(a.data(), static_cast<std::size_t>(a.size()));
  }
  py::tuple shape() const { return py::make_tuple(kh_, kw_, cin_, cout_); }
  const float* data() const { return data_.data(); }
  i64 kh() const { return kh_; }
  i64 kw() const { return kw_; }
  i64 cin() const { return cin_; }
  i64 cout() const { return cout_; }
  int finite() const { return finite_; }
  std::size_t nbytes() const { return data_.size() * sizeof(float); }

 private:
  std::vector<float> data_;
  i64 kh_ = 0, kw_ = 0, cin_ = 0, cout_ = 0;
  int finite_ = 0;
};

py::array conv2d_relu(const py::object& x_obj, const py::object& w_obj, const py::object& bias_obj,
                      const py::object& strides_obj, const py::object& dilations_obj,
                      const py::object& padding_obj, bool relu, const py::object& out_obj,
                      const py::object& activation_obj, double alpha) {
  const Op op{"conv2d"};
  FloatArray x = as_4d(op, x_obj, "input", "[batch, height, width, channels] (NHWC)");
  const i64 N = x.shape(0), H = x.shape(1), W = x.shape(2), Cin = x.shape(3);

  vk::Conv2dReluParams p{};
  FloatArray w;  // keeps a converted filter alive
  i64 KH = 0, KW = 0, FCin = 0, Cout = 0;
  if (py::isinstance<PackedFilter>(w_obj)) {
    const auto& packed = py::cast<const PackedFilter&>(w_obj);
    KH = packed.kh();
    KW = packed.kw();
    FCin = packed.cin();
    Cout = packed.cout();
    p.weights = packed.data();
    p.weights_packed = 1;
    p.weights_finite = packed.finite();
  } else {
    w = as_4d(op, w_obj, "filter", "[height, width, in_channels, out_channels] (HWIO)");
    KH = w.shape(0);
    KW = w.shape(1);
    FCin = w.shape(2);
    Cout = w.shape(3);
    p.weights = w.data();
  }
  if (FCin != Cin) {
    op.value_error("input channels (" + std::to_string(Cin) + ") do not match filter in_channels (" +
                   std::to_string(FCin) + ")");
  }
  if (KH < 1 || KW < 1) op.value_error("filter height and width must be positive, got " + std::to_string(KH) + "x" + std::to_string(KW));
  FloatArray b;
  if (!bias_obj.is_none()) {
    b = as_float_array(op, bias_obj, "bias");
    if (b.ndim() != 1 || b.shape(0) != Cout) {
      op.value_error("bias must be 1-D of length out_channels (" + std::to_string(Cout) + "), got shape " + shape_str(b));
    }
    p.bias = b.data();
  }
  int activation = relu ? vk::kActivationRelu : vk::kActivationNone;
  if (!activation_obj.is_none()) activation = parse_activation(op, activation_obj);
  const auto s = hw_pair(op, strides_obj, "strides");
  const auto d = hw_pair(op, dilations_obj, "dilations");
  const Padding pad = parse_padding(op, padding_obj, H, W, KH, KW, s, d);
  const i64 OH = output_size_or_raise(op, H, KH, s.first, d.first, pad.top, pad.bottom);
  const i64 OW = output_size_or_raise(op, W, KW, s.second, d.second, pad.left, pad.right);

  py::array_t<float> out = output_array(op, out_obj, {N, OH, OW, Cout});
  check_no_overlap(op, out, {&x, &w, &b});

  p.input = x.data();
  p.output = out.mutable_data();
  p.N = N;
  p.H = H;
  p.W = W;
  p.Cin = Cin;
  p.KH = KH;
  p.KW = KW;
  p.Cout = Cout;
  p.OH = OH;
  p.OW = OW;
  p.stride_h = s.first;
  p.stride_w = s.second;
  p.dilation_h = d.first;
  p.dilation_w = d.second;
  p.pad_top = pad.top;
  p.pad_left = pad.left;
  p.activation = activation;
  p.alpha = static_cast<float>(alpha);
  {
    py::gil_scoped_release release;
    vk::conv2d_relu(p);  // std::invalid_argument -> ValueError
  }
  return std::move(out);
}

std::vector<std::string> names(const std::vector<vk::Isa>& isas) {
  std::vector<std::string> v;
  for (const vk::Isa i : isas) v.emplace_back(vk::isa_name(i));
  return v;
}

}  // namespace

void register_kernels(py::module_& m) {
  kernel_args::register_kernels_backprop(m);
  py::class_<PackedFilter>(m, "PackedFilter",
                           "An HWIO float32 filter packed once into the kernels' blocked layout.\n\n"
                           "Pass it to conv2d_relu() in place of the filter array to skip re-packing; "
                           "it does not track later changes of the source array (re-pack then).")
      .def(py::init<const py::object&>(), py::arg("w"))
      .def_property_readonly("shape", &PackedFilter::shape, "(height, width, in_channels, out_channels)")
      .def_property_readonly("nbytes", &PackedFilter::nbytes)
      .def("__repr__", [](const PackedFilter& f) {
        return "PackedFilter(shape=" + std::string(py::str(f.shape())) + ")";
      });

  m.def("conv2d_relu", &conv2d_relu, py::arg("x"), py::arg("w"), py::arg("bias") = py::none(),
        py::arg("strides") = py::make_tuple(1, 1), py::arg("dilations") = py::make_tuple(1, 1),
        py::arg("padding") = py::make_tuple(0, 0, 0, 0), py::arg("relu") = true, py::kw_only(),
        py::arg("out") = py::none(), py::arg("activation") = py::none(), py::arg("alpha") = 0.2,
        "Fused conv2d + bias + activation: act(conv2d(x, w) + bias), written once.\n\n"
        "x: float32 NHWC [N, H, W, Cin]; w: float32 HWIO [KH, KW, Cin, Cout] or a PackedFilter;\n"
        "bias: [Cout] or None; strides, dilations: (h, w); padding: (top, bottom, left, right)\n"
        "pixels, or 'SAME' / 'VALID' (TensorFlow rules). activation: 'none', 'relu' or\n"
        "'leaky_relu' (slope alpha, TF's LeakyRelu); None uses the relu flag.\n"
        "Returns a new C-contiguous float32 [N, OH, OW, Cout] array, or fills `out`.\n"
        "Other dtypes / non-contiguous inputs are converted. Releases the GIL.");
  m.def("same_padding",
        [](i64 in_size, i64 k, i64 stride, i64 dilation) {
          i64 a = 0, b = 0;
          vk::conv2d_same_padding(in_size, k, stride, dilation, &a, &b);
          return py::make_tuple(a, b);
        },
        py::arg("in_size"), py::arg("k"), py::arg("stride") = 1, py::arg("dilation") = 1,
        "TensorFlow 'SAME' padding of one axis: (before, after); after may exceed before by one.");
  m.def("output_size", &vk::conv2d_output_size, py::arg("in_size"), py::arg("k"), py::arg("stride") = 1,
        py::arg("dilation") = 1, py::arg("pad_before") = 0, py::arg("pad_after") = 0,
        "Output size of one axis for explicit padding, by TF's rule (0: empty; < 0: TF's error).");

  m.def("active_isa", [] { return std::string(vk::isa_name(vk::active_isa())); },
        "ISA of the implementation in use: 'avx512', 'avx2' or 'scalar'.");
  m.def("supported_isas", [] { return names(vk::supported_isas()); },
        "ISAs compiled in AND supported by this CPU/OS, best first.");
  m.def("compiled_isas", [] { return names(vk::compiled_isas()); }, "ISAs compiled into this build, best first.");
  m.def("force_isa", [](const std::string& name) { vk::force_isa(name); }, py::arg("name"),
        "Use this ISA from now on; ValueError if unknown, not compiled or not supported.");
  m.def("reset_isa", &vk::reset_isa, "Drop force_isa(); select as on first use (honours VARSTORE_FORCE_ISA).");
  m.def("set_num_threads", &vk::set_num_threads, py::arg("n"), "Threads used by the kernels (caller included).");
  m.def("get_num_threads", &vk::get_num_threads);
  m.def("cpu_brand", &vk::cpu_brand, "The CPU's brand string.");
  m.def(
      "measure_peak_gflops",
      [](double seconds) {
        if (!(seconds > 0.0 && seconds <= 10.0)) {
          throw py::value_error("measure_peak_gflops: seconds must be in (0, 10], got " +
                                std::to_string(seconds));
        }
        py::gil_scoped_release release;
        return vk::measure_peak_gflops(seconds);
      },
      py::arg("seconds") = 0.05,
      "FP32 GFLOP/s of an FMA-throughput loop on this thread with the widest supported ISA "
      "(best of a few samples); 0.0 without SIMD.");
}

}  // namespace varstore::bindings
