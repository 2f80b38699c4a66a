// varstore._core.kernels: the fused conv2d + bias + ReLU kernel, its packed filters, the ISA
// switches and the thread count. Shapes, dtypes and contiguity are checked here, at the binding
// edge; the kernel runs with the GIL released.
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "varstore/kernels/conv2d_relu.hpp"
#include "varstore/kernels/isa.hpp"
#include "varstore/kernels/peak.hpp"

namespace varstore::bindings {
namespace {

namespace vk = varstore::kernels;
using i64 = std::int64_t;
using FloatArray = py::array_t<float, py::array::c_style | py::array::forcecast>;
constexpr i64 kMaxArg = i64{1} << 31;  // strides, dilations, padding

std::string shape_str(const py::array& a) {
  std::ostringstream s;
  s << '(';
  for (py::ssize_t i = 0; i < a.ndim(); ++i) {
    if (i != 0) s << ", ";
    s << a.shape(i);
  }
  if (a.ndim() == 1) s << ',';
  s << ')';
  return s.str();
}

[[noreturn]] void value_error(const std::string& msg) { throw py::value_error("conv2d: " + msg); }

// Converts to a C-contiguous float32 array (copying only if needed) or raises TypeError.
FloatArray as_float_array(const py::handle& obj, const char* what) {
  if (obj.is_none()) throw py::type_error(std::string("conv2d: ") + what + " must be an array, got None");
  FloatArray a = FloatArray::ensure(obj);
  if (!a) {
    throw py::type_error(std::string("conv2d: ") + what + " must be a float32 array (or convertible to one), got " +
                         std::string(py::str(py::type::handle_of(obj).attr("__name__"))));
  }
  return a;
}

i64 as_int(const py::handle& h, const char* what) {
  if (py::isinstance<py::bool_>(h) || !py::isinstance<py::int_>(h)) {
    // Accept numpy integer scalars (they implement __index__), not floats or bools.
    if (!py::hasattr(h, "__index__") || py::isinstance<py::bool_>(h)) {
      throw py::type_error(std::string("conv2d: ") + what + " must be integers, got " +
                           std::string(py::repr(h)));
    }
  }
  const auto index = py::reinterpret_steal<py::object>(PyNumber_Index(h.ptr()));
  if (!index) throw py::error_already_set();
  int overflow = 0;
  const long long v = PyLong_AsLongLongAndOverflow(index.ptr(), &overflow);
  if (overflow != 0) value_error(std::string(what) + " out of range: " + std::string(py::repr(h)));
  if (v == -1 && PyErr_Occurred()) throw py::error_already_set();
  return static_cast<i64>(v);
}

std::vector<i64> int_list(const py::handle& obj, const char* what) {
  std::vector<i64> v;
  if (py::isinstance<py::str>(obj) || !py::isinstance<py::sequence>(obj)) {
    v.push_back(as_int(obj, what));
    return v;
  }
  // Hold a reference to each item: a sequence may create its items on access (a NumPy array
  // does), and a bare handle to such a temporary would dangle.
  const auto seq = py::reinterpret_borrow<py::sequence>(obj);
  const std::size_t n = seq.size();
  for (std::size_t i = 0; i < n; ++i) {
    const py::object item = seq[i];
    v.push_back(as_int(item, what));
  }
  return v;
}

// strides / dilations: an int or a pair (h, w).
std::pair<i64, i64> hw_pair(const py::handle& obj, const char* what) {
  const std::vector<i64> v = int_list(obj, what);
  std::pair<i64, i64> r;
  if (v.size() == 1) {
    r = {v[0], v[0]};
  } else if (v.size() == 2) {
    r = {v[0], v[1]};
  } else {
    value_error(std::string(what) + " must be an int or a pair (height, width), got " + std::string(py::repr(obj)));
  }
  if (r.first < 1 || r.second < 1) {
    value_error(std::string(what) + " must be positive, got (" + std::to_string(r.first) + ", " +
                std::to_string(r.second) + ")");
  }
  if (r.first >= kMaxArg || r.second >= kMaxArg) value_error(std::string(what) + " must be < 2^31");
  return r;
}

struct Padding {
  i64 top, bottom, left, right;
};

// padding: (top, bottom, left, right), (pad_h, pad_w), an int, or "SAME" / "VALID" (TF rules).
Padding parse_padding(const py::handle& obj, i64 H, i64 W, i64 KH, i64 KW, std::pair<i64, i64> s,
                      std::pair<i64, i64> d) {
  Padding p{0, 0, 0, 0};
  if (py::isinstance<py::str>(obj)) {
    const std::string mode = py::cast<std::string>(obj);
    if (mode == "SAME") {
      vk::conv2d_same_padding(H, KH, s.first, d.first, &p.top, &p.bottom);
      vk::conv2d_same_padding(W, KW, s.second, d.second, &p.left, &p.right);
    } else if (mode != "VALID") {
      value_error("padding must be 'SAME', 'VALID' or explicit pixels, got '" + mode + "'");
    }
    return p;
  }
  const std::vector<i64> v = int_list(obj, "padding");
  if (v.size() == 4) {
    p = {v[0], v[1], v[2], v[3]};
  } else if (v.size() == 2) {
    p = {v[0], v[0], v[1], v[1]};
  } else if (v.size() == 1) {
    p = {v[0], v[0], v[0], v[0]};
  } else {
    value_error("padding must be (top, bottom, left, right), got " + std::string(py::repr(obj)));
  }
  if (p.top >= kMaxArg || p.bottom >= kMaxArg || p.left >= kMaxArg || p.right >= kMaxArg) {
    value_error("padding must be < 2^31");
  }
  if (p.top < 0 || p.bottom < 0 || p.left < 0 || p.right < 0) {
    value_error("padding must be non-negative, got (" + std::to_string(p.top) + ", " + std::to_string(p.bottom) +
                ", " + std::to_string(p.left) + ", " + std::to_string(p.right) + ")");
  }
  return p;
}

// A filter packed once into the kernels' blocked layout (see conv2d_relu.hpp).
class PackedFilter {
 public:
  explicit PackedFilter(const py::object& w) {
    FloatArray a = as_float_array(w, "filter");
    if (a.ndim() != 4) {
      throw py::value_error("PackedFilter: filter must be 4-D [height, width, in_channels, out_channels] (HWIO), got shape " +
                            shape_str(a));
    }
    for (int i = 0; i < 4; ++i) {
      if (a.shape(i) < 1) throw py::value_error("PackedFilter: filter has a zero-sized dimension, shape " + shape_str(a));
    }
    kh_ = a.shape(0);
    kw_ = a.shape(1);
    cin_ = a.shape(2);
    cout_ = a.shape(3);
    data_.resize(vk::packed_filter_floats(kh_, kw_, cin_, cout_));
    py::gil_scoped_release release;
    vk::pack_filter_hwio(a.data(), kh_, kw_, cin_, cout_, data_.data());
  }
  py::tuple shape() const { return py::make_tuple(kh_, kw_, cin_, cout_); }
  const float* data() const { return data_.data(); }
  i64 kh() const { return kh_; }
  i64 kw() const { return kw_; }
  i64 cin() const { return cin_; }
  i64 cout() const { return cout_; }
  std::size_t nbytes() const { return data_.size() * sizeof(float); }

 private:
  std::vector<float> data_;
  i64 kh_ = 0, kw_ = 0, cin_ = 0, cout_ = 0;
};

bool overlaps(const void* a, std::size_t na, const void* b, std::size_t nb) {
  const auto* pa = static_cast<const char*>(a);
  const auto* pb = static_cast<const char*>(b);
  return pa < pb + nb && pb < pa + na;
}

py::array conv2d_relu(const py::object& x_obj, const py::object& w_obj, const py::object& bias_obj,
                      const py::object& strides_obj, const py::object& dilations_obj,
                      const py::object& padding_obj, bool relu, const py::object& out_obj) {
  FloatArray x = as_float_array(x_obj, "input");
  if (x.ndim() != 4) value_error("input must be 4-D [batch, height, width, channels] (NHWC), got shape " + shape_str(x));
  for (int i = 0; i < 4; ++i) {
    if (x.shape(i) < 1) value_error("input has a zero-sized dimension, shape " + shape_str(x));
  }
  const i64 N = x.shape(0), H = x.shape(1), W = x.shape(2), Cin = x.shape(3);

  vk::Conv2dReluParams p{};
  FloatArray w;  // keeps a converted filter alive
  const PackedFilter* packed = nullptr;
  i64 KH = 0, KW = 0, FCin = 0, Cout = 0;
  if (py::isinstance<PackedFilter>(w_obj)) {
    packed = &py::cast<const PackedFilter&>(w_obj);
    KH = packed->kh();
    KW = packed->kw();
    FCin = packed->cin();
    Cout = packed->cout();
    p.weights = packed->data();
    p.weights_packed = 1;
  } else {
    w = as_float_array(w_obj, "filter");
    if (w.ndim() != 4) {
      value_error("filter must be 4-D [height, width, in_channels, out_channels] (HWIO), got shape " + shape_str(w));
    }
    for (int i = 0; i < 4; ++i) {
      if (w.shape(i) < 1) value_error("filter has a zero-sized dimension, shape " + shape_str(w));
    }
    KH = w.shape(0);
    KW = w.shape(1);
    FCin = w.shape(2);
    Cout = w.shape(3);
    p.weights = w.data();
  }
  if (FCin != Cin) {
    value_error("input channels (" + std::to_string(Cin) + ") do not match filter in_channels (" +
                std::to_string(FCin) + ")");
  }
  FloatArray b;
  if (!bias_obj.is_none()) {
    b = as_float_array(bias_obj, "bias");
    if (b.ndim() != 1 || b.shape(0) != Cout) {
      value_error("bias must be 1-D of length out_channels (" + std::to_string(Cout) + "), got shape " + shape_str(b));
    }
    p.bias = b.data();
  }
  const auto s = hw_pair(strides_obj, "strides");
  const auto d = hw_pair(dilations_obj, "dilations");
  const Padding pad = parse_padding(padding_obj, H, W, KH, KW, s, d);
  const i64 OH = vk::conv2d_output_size(H, KH, s.first, d.first, pad.top, pad.bottom);
  const i64 OW = vk::conv2d_output_size(W, KW, s.second, d.second, pad.left, pad.right);
  if (OH < 1 || OW < 1) {
    value_error("empty output: input " + std::to_string(H) + "x" + std::to_string(W) + " with filter " +
                std::to_string(KH) + "x" + std::to_string(KW) + ", dilations (" + std::to_string(d.first) + ", " +
                std::to_string(d.second) + "), strides (" + std::to_string(s.first) + ", " +
                std::to_string(s.second) + ") and padding (" + std::to_string(pad.top) + ", " +
                std::to_string(pad.bottom) + ", " + std::to_string(pad.left) + ", " + std::to_string(pad.right) +
                ") has no output pixels");
  }

  py::array_t<float> out;
  if (out_obj.is_none()) {
    out = py::array_t<float>({N, OH, OW, Cout});
  } else {
    if (!py::isinstance<py::array>(out_obj)) throw py::type_error("conv2d: out must be a numpy.ndarray");
    const auto arr = py::reinterpret_borrow<py::array>(out_obj);
    if (!arr.dtype().is(py::dtype::of<float>())) throw py::type_error("conv2d: out must have dtype float32");
    if (!(arr.flags() & py::array::c_style) || !arr.writeable()) {
      value_error("out must be a writeable C-contiguous array");
    }
    if (arr.ndim() != 4 || arr.shape(0) != N || arr.shape(1) != OH || arr.shape(2) != OW || arr.shape(3) != Cout) {
      value_error("out must have shape (" + std::to_string(N) + ", " + std::to_string(OH) + ", " + std::to_string(OW) +
                  ", " + std::to_string(Cout) + "), got " + shape_str(arr));
    }
    out = py::reinterpret_borrow<py::array_t<float>>(out_obj);
  }
  float* out_ptr = out.mutable_data();
  const std::size_t out_bytes = static_cast<std::size_t>(out.nbytes());
  if (overlaps(out_ptr, out_bytes, x.data(), static_cast<std::size_t>(x.nbytes())) ||
      (w && overlaps(out_ptr, out_bytes, w.data(), static_cast<std::size_t>(w.nbytes()))) ||
      (b && overlaps(out_ptr, out_bytes, b.data(), static_cast<std::size_t>(b.nbytes())))) {
    value_error("out must not share memory with the input, filter or bias");
  }

  p.input = x.data();
  p.output = out_ptr;
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
  p.relu = relu ? 1 : 0;
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
        py::arg("out") = py::none(),
        "Fused conv2d + bias + ReLU: relu(conv2d(x, w) + bias), written once.\n\n"
        "x: float32 NHWC [N, H, W, Cin]; w: float32 HWIO [KH, KW, Cin, Cout] or a PackedFilter;\n"
        "bias: [Cout] or None; strides, dilations: (h, w); padding: (top, bottom, left, right)\n"
        "pixels, or 'SAME' / 'VALID' (TensorFlow rules). relu=False skips the activation.\n"
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
        "Output size of one axis for explicit padding (<= 0: empty).");

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
