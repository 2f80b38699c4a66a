// varstore._core.kernels, backward kernels: conv2d_backprop_input (= conv2d_transpose),
// conv2d_backprop_filter and bias_add_grad, each optionally fused with the ReLU / leaky ReLU
// backward mask (y > 0 ? dy : alpha * dy, y = the forward activation output). Shapes, dtypes and
// contiguity are checked here (TensorFlow's rules and messages where it has them); the kernels
// run with the GIL released.
#include <cstdint>
#include <string>
#include <vector>

#include "bind_kernels_args.hpp"
#include "bindings.hpp"
#include "varstore/kernels/conv2d_backprop.hpp"
#include "varstore/kernels/conv2d_relu.hpp"

namespace varstore::bindings::kernel_args {
namespace {

// (N, H, W, C) / (KH, KW, Cin, Cout) from a sequence of 4 non-negative ints.
std::vector<i64> shape4(const Op& op, const py::handle& obj, const char* what) {
  if (py::isinstance<py::str>(obj) || !py::isinstance<py::sequence>(obj)) {
    op.type_error(std::string(what) + " must be a sequence of 4 integers, got " + std::string(py::repr(obj)));
  }
  std::vector<i64> v = int_list(op, obj, what);
  if (v.size() != 4) op.value_error(std::string(what) + " must have 4 elements, got " + std::string(py::repr(obj)));
  for (const i64 d : v) {
    if (d < 0 || d >= kMaxArg) op.value_error(std::string(what) + " must be non-negative (< 2^31), got " + std::string(py::repr(obj)));
  }
  return v;
}

// The optional mask source y: same shape as dy. (A default-constructed array_t is an empty
// array, not a null handle: callers test y_obj.is_none(), never the array.)
FloatArray mask_array(const Op& op, const py::object& y_obj, const FloatArray& dy) {
  FloatArray y;
  if (y_obj.is_none()) return y;
  y = as_float_array(op, y_obj, "y");
  bool same = y.ndim() == dy.ndim();
  for (py::ssize_t i = 0; same && i < dy.ndim(); ++i) same = y.shape(i) == dy.shape(i);
  if (!same) op.value_error("y must have the shape of dy " + shape_str(dy) + ", got " + shape_str(y));
  return y;
}

// TF's check that dy has the forward output size (ConvBackpropComputeDimensionsV2).
void check_out_backprop(const Op& op, const char* label, i64 actual, i64 computed, int dim, i64 in, i64 k, i64 s,
                        i64 d) {
  if (actual != computed) {
    op.value_error(std::string(label) + ": Size of out_backprop doesn't match computed: actual = " +
                   std::to_string(actual) + ", computed = " + std::to_string(computed) + " spatial_dim: " +
                   std::to_string(dim) + " input: " + std::to_string(in) + " filter: " + std::to_string(k) +
                   " output: " + std::to_string(actual) + " stride: " + std::to_string(s) +
                   " dilation: " + std::to_string(d));
  }
}

struct Geometry {
  std::pair<i64, i64> s, d;
  Padding pad;
  i64 OH, OW;
};

Geometry geometry(const Op& op, i64 H, i64 W, i64 KH, i64 KW, const py::object& strides_obj,
                  const py::object& dilations_obj, const py::object& padding_obj) {
  Geometry g{};
  g.s = hw_pair(op, strides_obj, "strides");
  g.d = hw_pair(op, dilations_obj, "dilations");
  if (KH < 1 || KW < 1) {
    op.value_error("filter height and width must be positive, got " + std::to_string(KH) + "x" + std::to_string(KW));
  }
  g.pad = parse_padding(op, padding_obj, H, W, KH, KW, g.s, g.d);
  g.OH = output_size_or_raise(op, H, KH, g.s.first, g.d.first, g.pad.top, g.pad.bottom);
  g.OW = output_size_or_raise(op, W, KW, g.s.second, g.d.second, g.pad.left, g.pad.right);
  return g;
}

double check_alpha(const Op& op, double alpha) {
  if (!(alpha == alpha)) op.value_error("alpha must not be NaN");
  return alpha;
}

py::array conv2d_backprop_input(const py::object& dy_obj, const py::object& w_obj, const py::object& input_shape,
                                const py::object& strides_obj, const py::object& dilations_obj,
                                const py::object& padding_obj, const py::object& y_obj, double alpha,
                                const py::object& out_obj) {
  const Op op{"conv2d_backprop_input"};
  const char* label = "Conv2DBackpropInput";
  FloatArray dy = as_4d(op, dy_obj, "dy", "[batch, out_height, out_width, out_channels] (NHWC)");
  FloatArray w = as_4d(op, w_obj, "filter", "[height, width, in_channels, out_channels] (HWIO)");
  const std::vector<i64> xs = shape4(op, input_shape, "input_shape");
  const i64 N = xs[0], H = xs[1], W = xs[2], Cin = xs[3];
  const i64 KH = w.shape(0), KW = w.shape(1), Cout = w.shape(3);
  if (w.shape(2) != Cin) {
    op.value_error("input_shape channels (" + std::to_string(Cin) + ") do not match filter in_channels (" +
                   std::to_string(w.shape(2)) + ")");
  }
  if (dy.shape(0) != N) {
    op.value_error(std::string(label) + ": input and out_backprop must have the same batch size. Input batch: " +
                   std::to_string(N) + ", outbackprop batch: " + std::to_string(dy.shape(0)));
  }
  if (dy.shape(3) != Cout) {
    op.value_error(std::string(label) + ": filter and out_backprop must have the same out_depth (" +
                   std::to_string(Cout) + " vs " + std::to_string(dy.shape(3)) + ")");
  }
  const Geometry g = geometry(op, H, W, KH, KW, strides_obj, dilations_obj, padding_obj);
  check_out_backprop(op, label, dy.shape(1), g.OH, 1, H, KH, g.s.first, g.d.first);
  check_out_backprop(op, label, dy.shape(2), g.OW, 2, W, KW, g.s.second, g.d.second);
  FloatArray y = mask_array(op, y_obj, dy);
  check_alpha(op, alpha);
  py::array_t<float> out = output_array(op, out_obj, {N, H, W, Cin});
  check_no_overlap(op, out, {&dy, &w, &y});

  vk::Conv2dBackpropInputParams p{};
  p.dy = dy.data();
  p.y = y_obj.is_none() ? nullptr : y.data();
  p.alpha = static_cast<float>(alpha);
  p.weights = w.data();
  p.dx = out.mutable_data();
  p.N = N;
  p.H = H;
  p.W = W;
  p.Cin = Cin;
  p.KH = KH;
  p.KW = KW;
  p.Cout = Cout;
  p.OH = g.OH;
  p.OW = g.OW;
  p.stride_h = g.s.first;
  p.stride_w = g.s.second;
  p.dilation_h = g.d.first;
  p.dilation_w = g.d.second;
  p.pad_top = g.pad.top;
  p.pad_left = g.pad.left;
  {
    py::gil_scoped_release release;
    vk::conv2d_backprop_input(p);
  }
  return std::move(out);
}

py::array conv2d_backprop_filter(const py::object& x_obj, const py::object& dy_obj, const py::object& filter_shape,
                                 const py::object& strides_obj, const py::object& dilations_obj,
                                 const py::object& padding_obj, const py::object& y_obj, double alpha,
                                 const py::object& out_obj, const py::object& bias_out_obj) {
  const Op op{"conv2d_backprop_filter"};
  const char* label = "Conv2DBackpropFilter";
  FloatArray x = as_4d(op, x_obj, "input", "[batch, height, width, in_channels] (NHWC)");
  FloatArray dy = as_4d(op, dy_obj, "dy", "[batch, out_height, out_width, out_channels] (NHWC)");
  const std::vector<i64> fs = shape4(op, filter_shape, "filter_shape");
  const i64 N = x.shape(0), H = x.shape(1), W = x.shape(2), Cin = x.shape(3);
  const i64 KH = fs[0], KW = fs[1], Cout = fs[3];
  if (fs[2] != Cin) {
    op.value_error("input channels (" + std::to_string(Cin) + ") do not match filter_shape in_channels (" +
                   std::to_string(fs[2]) + ")");
  }
  if (dy.shape(0) != N) {
    op.value_error(std::string(label) + ": input and out_backprop must have the same batch size. Input batch: " +
                   std::to_string(N) + ", outbackprop batch: " + std::to_string(dy.shape(0)));
  }
  if (dy.shape(3) != Cout) {
    op.value_error(std::string(label) + ": filter and out_backprop must have the same out_depth (" +
                   std::to_string(Cout) + " vs " + std::to_string(dy.shape(3)) + ")");
  }
  const Geometry g = geometry(op, H, W, KH, KW, strides_obj, dilations_obj, padding_obj);
  check_out_backprop(op, label, dy.shape(1), g.OH, 1, H, KH, g.s.first, g.d.first);
  check_out_backprop(op, label, dy.shape(2), g.OW, 2, W, KW, g.s.second, g.d.second);
  FloatArray y = mask_array(op, y_obj, dy);
  check_alpha(op, alpha);
  py::array_t<float> out = output_array(op, out_obj, {KH, KW, Cin, Cout});
  check_no_overlap(op, out, {&x, &dy, &y});
  py::array_t<float> bias_out;
  if (!bias_out_obj.is_none()) {
    bias_out = output_array(op, bias_out_obj, {Cout}, "bias_out");
    check_no_overlap(op, bias_out, {&x, &dy, &y, &out}, "bias_out");
  }

  vk::Conv2dBackpropFilterParams p{};
  p.x = x.data();
  p.dy = dy.data();
  p.y = y_obj.is_none() ? nullptr : y.data();
  p.alpha = static_cast<float>(alpha);
  p.dw = out.mutable_data();
  p.bias_grad = bias_out_obj.is_none() ? nullptr : bias_out.mutable_data();
  p.N = N;
  p.H = H;
  p.W = W;
  p.Cin = Cin;
  p.KH = KH;
  p.KW = KW;
  p.Cout = Cout;
  p.OH = g.OH;
  p.OW = g.OW;
  p.stride_h = g.s.first;
  p.stride_w = g.s.second;
  p.dilation_h = g.d.first;
  p.dilation_w = g.d.second;
  p.pad_top = g.pad.top;
  p.pad_left = g.pad.left;
  {
    py::gil_scoped_release release;
    vk::conv2d_backprop_filter(p);
    if (p.bias_grad != nullptr && KH * KW * Cin == 0 && Cout > 0) {
      // dw is empty (Cin = 0) but the bias gradient is not: compute it on its own
      vk::BiasAddGradParams b{};
      b.dy = p.dy;
      b.y = p.y;
      b.alpha = p.alpha;
      b.rows = N * g.OH * g.OW;
      b.C = Cout;
      vk::bias_add_grad(b, p.bias_grad);
    }
  }
  return std::move(out);
}

py::array bias_add_grad(const py::object& dy_obj, const py::object& y_obj, double alpha, const py::object& out_obj,
                        const py::object& masked_out_obj) {
  const Op op{"bias_add_grad"};
  FloatArray dy = as_float_array(op, dy_obj, "dy");
  if (dy.ndim() < 2) op.value_error("dy must be at least 2-D (TF's BiasAddGrad), got shape " + shape_str(dy));
  FloatArray y = mask_array(op, y_obj, dy);
  check_alpha(op, alpha);
  const i64 C = dy.shape(dy.ndim() - 1);
  i64 rows = 1;
  for (py::ssize_t i = 0; i + 1 < dy.ndim(); ++i) rows *= dy.shape(i);
  py::array_t<float> out = output_array(op, out_obj, {C});
  check_no_overlap(op, out, {&dy, &y});
  py::array_t<float> masked;
  if (!masked_out_obj.is_none()) {
    std::vector<i64> shape;
    for (py::ssize_t i = 0; i < dy.ndim(); ++i) shape.push_back(dy.shape(i));
    masked = output_array(op, masked_out_obj, shape, "masked_out");
    check_no_overlap(op, masked, {&dy, &y, &out}, "masked_out");
  }
  vk::BiasAddGradParams p{};
  p.dy = dy.data();
  p.y = y_obj.is_none() ? nullptr : y.data();
  p.alpha = static_cast<float>(alpha);
  p.masked_out = masked_out_obj.is_none() ? nullptr : masked.mutable_data();
  p.rows = rows;
  p.C = C;
  {
    py::gil_scoped_release release;
    vk::bias_add_grad(p, out.mutable_data());
  }
  return std::move(out);
}

}  // namespace

void register_kernels_backprop(py::module_& m) {
  m.def("conv2d_backprop_input", &conv2d_backprop_input, py::arg("dy"), py::arg("w"), py::arg("input_shape"),
        py::arg("strides") = 1, py::arg("dilations") = 1, py::arg("padding") = 0, py::kw_only(),
        py::arg("y") = py::none(), py::arg("alpha") = 0.0, py::arg("out") = py::none(),
        "TF's Conv2DBackpropInput (tf.nn.conv2d_transpose): dx [N, H, W, Cin] of conv2d(x, w).\n\n"
        "dy: [N, OH, OW, Cout], which must be the forward output size; w: HWIO [KH, KW, Cin, Cout];\n"
        "input_shape: (N, H, W, Cin); strides, dilations, padding as conv2d_relu. y (optional, the\n"
        "shape of dy): masks dy first, y > 0 ? dy : alpha * dy (ReLU backward for alpha = 0, leaky\n"
        "ReLU backward otherwise; y = the activation output, or its input for alpha outside [0, 1)).\n"
        "Fills `out` if given. Releases the GIL.");
  m.def("conv2d_backprop_filter", &conv2d_backprop_filter, py::arg("x"), py::arg("dy"), py::arg("filter_shape"),
        py::arg("strides") = 1, py::arg("dilations") = 1, py::arg("padding") = 0, py::kw_only(),
        py::arg("y") = py::none(), py::arg("alpha") = 0.0, py::arg("out") = py::none(),
        py::arg("bias_out") = py::none(),
        "TF's Conv2DBackpropFilter: dw HWIO [KH, KW, Cin, Cout] of conv2d(x, w).\n\n"
        "x: [N, H, W, Cin]; dy: [N, OH, OW, Cout] (the forward output size); filter_shape:\n"
        "(KH, KW, Cin, Cout); y / alpha: the fused activation mask as conv2d_backprop_input.\n"
        "bias_out (float32 [Cout]) also receives the bias gradient (sum of the masked dy) from the\n"
        "same pass. Fills `out` if given. Releases the GIL.");
  m.def("bias_add_grad", &bias_add_grad, py::arg("dy"), py::kw_only(), py::arg("y") = py::none(),
        py::arg("alpha") = 0.0, py::arg("out") = py::none(), py::arg("masked_out") = py::none(),
        "TF's BiasAddGrad: dy summed over every axis but the last (float32 accumulation in blocks).\n\n"
        "y / alpha: the fused activation mask as conv2d_backprop_input; masked_out (the shape of\n"
        "dy) also receives the masked dy from the same pass. Releases the GIL.");
}

}  // namespace varstore::bindings::kernel_args
