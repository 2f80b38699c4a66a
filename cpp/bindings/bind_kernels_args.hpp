// Argument parsing shared by the kernel bindings (bind_kernels.cpp: forward conv and ISA
// switches; bind_kernels_backprop.cpp: the backward kernels). Shapes, dtypes and contiguity are
// checked here, at the binding edge, with ValueError / TypeError messages naming the argument.
#pragma once

#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "varstore/kernels/conv2d_relu.hpp"

namespace varstore::bindings::kernel_args {

namespace vk = varstore::kernels;
using i64 = std::int64_t;
using FloatArray = py::array_t<float, py::array::c_style | py::array::forcecast>;
constexpr i64 kMaxArg = i64{1} << 31;  // strides, dilations, padding

// Every message starts with the operation's name ("conv2d: ...").
struct Op {
  const char* name;
  [[noreturn]] void value_error(const std::string& msg) const { throw py::value_error(std::string(name) + ": " + msg); }
  [[noreturn]] void type_error(const std::string& msg) const { throw py::type_error(std::string(name) + ": " + msg); }
};

inline std::string shape_str(const py::array& a) {
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

// Converts to a C-contiguous float32 array (copying only if needed) or raises TypeError.
inline FloatArray as_float_array(const Op& op, const py::handle& obj, const char* what) {
  if (obj.is_none()) op.type_error(std::string(what) + " must be an array, got None");
  FloatArray a = FloatArray::ensure(obj);
  if (!a) {
    PyErr_Clear();
    op.type_error(std::string(what) + " must be a float32 array (or convertible to one), got " +
                  std::string(py::str(py::type::handle_of(obj).attr("__name__"))));
  }
  return a;
}

inline i64 as_int(const Op& op, const py::handle& h, const char* what) {
  if (py::isinstance<py::bool_>(h) || !py::isinstance<py::int_>(h)) {
    // Accept numpy integer scalars (they implement __index__), not floats or bools.
    if (!py::hasattr(h, "__index__") || py::isinstance<py::bool_>(h)) {
      op.type_error(std::string(what) + " must be integers, got " + std::string(py::repr(h)));
    }
  }
  const auto index = py::reinterpret_steal<py::object>(PyNumber_Index(h.ptr()));
  if (!index) throw py::error_already_set();
  int overflow = 0;
  const long long v = PyLong_AsLongLongAndOverflow(index.ptr(), &overflow);
  if (overflow != 0) op.value_error(std::string(what) + " out of range: " + std::string(py::repr(h)));
  if (v == -1 && PyErr_Occurred()) throw py::error_already_set();
  return static_cast<i64>(v);
}

inline std::vector<i64> int_list(const Op& op, const py::handle& obj, const char* what) {
  std::vector<i64> v;
  if (py::isinstance<py::str>(obj) || !py::isinstance<py::sequence>(obj)) {
    v.push_back(as_int(op, obj, what));
    return v;
  }
  // Hold a reference to each item: a sequence may create its items on access (a NumPy array
  // does), and a bare handle to such a temporary would dangle.
  const auto seq = py::reinterpret_borrow<py::sequence>(obj);
  const std::size_t n = seq.size();
  for (std::size_t i = 0; i < n; ++i) {
    const py::object item = seq[i];
    v.push_back(as_int(op, item, what));
  }
  return v;
}

// strides / dilations: an int or a pair (h, w).
inline std::pair<i64, i64> hw_pair(const Op& op, const py::handle& obj, const char* what) {
  const std::vector<i64> v = int_list(op, obj, what);
  std::pair<i64, i64> r;
  if (v.size() == 1) {
    r = {v[0], v[0]};
  } else if (v.size() == 2) {
    r = {v[0], v[1]};
  } else {
    op.value_error(std::string(what) + " must be an int or a pair (height, width), got " + std::string(py::repr(obj)));
  }
  if (r.first < 1 || r.second < 1) {
    op.value_error(std::string(what) + " must be positive, got (" + std::to_string(r.first) + ", " +
                std::to_string(r.second) + ")");
  }
  if (r.first >= kMaxArg || r.second >= kMaxArg) op.value_error(std::string(what) + " must be < 2^31");
  return r;
}

struct Padding {
  i64 top, bottom, left, right;
};

// padding: (top, bottom, left, right), (pad_h, pad_w), an int, or "SAME" / "VALID" (TF rules).
inline Padding parse_padding(const Op& op, const py::handle& obj, i64 H, i64 W, i64 KH, i64 KW, std::pair<i64, i64> s,
                      std::pair<i64, i64> d) {
  Padding p{0, 0, 0, 0};
  if (py::isinstance<py::str>(obj)) {
    const std::string mode = py::cast<std::string>(obj);
    if (mode == "SAME") {
      vk::conv2d_same_padding(H, KH, s.first, d.first, &p.top, &p.bottom);
      vk::conv2d_same_padding(W, KW, s.second, d.second, &p.left, &p.right);
    } else if (mode != "VALID") {
      op.value_error("padding must be 'SAME', 'VALID' or explicit pixels, got '" + mode + "'");
    }
    return p;
  }
  const std::vector<i64> v = int_list(op, obj, "padding");
  if (v.size() == 4) {
    p = {v[0], v[1], v[2], v[3]};
  } else if (v.size() == 2) {
    p = {v[0], v[0], v[1], v[1]};
  } else if (v.size() == 1) {
    p = {v[0], v[0], v[0], v[0]};
  } else {
    op.value_error("padding must be (top, bottom, left, right), got " + std::string(py::repr(obj)));
  }
  if (p.top >= kMaxArg || p.bottom >= kMaxArg || p.left >= kMaxArg || p.right >= kMaxArg) {
    op.value_error("padding must be < 2^31");
  }
  if (p.top < 0 || p.bottom < 0 || p.left < 0 || p.right < 0) {
    op.value_error("padding must be non-negative, got (" + std::to_string(p.top) + ", " + std::to_string(p.bottom) +
                ", " + std::to_string(p.left) + ", " + std::to_string(p.right) + ")");
  }
  return p;
}

inline bool overlaps(const void* a, std::size_t na, const void* b, std::size_t nb) {
  const auto* pa = static_cast<const char*>(a);
  const auto* pb = static_cast<const char*>(b);
  return pa < pb + nb && pb < pa + na;
}


// TF's output size along one axis; raises TF's "Computed output size would be negative" error.
inline i64 output_size_or_raise(const Op& op, i64 in, i64 k, i64 s, i64 d, i64 before, i64 after) {
  const i64 out = vk::conv2d_output_size(in, k, s, d, before, after);
  if (out < 0) {
    op.value_error("Computed output size would be negative: " + std::to_string(out) + " [input_size: " +
                   std::to_string(in) + ", effective_filter_size: " + std::to_string((k - 1) * d + 1) +
                   ", stride: " + std::to_string(s) + "]");
  }
  return out;
}

// A 4-D float32 array `what` (NHWC / HWIO) as a C-contiguous array; `names` label the dims.
inline FloatArray as_4d(const Op& op, const py::handle& obj, const char* what, const char* layout) {
  FloatArray a = as_float_array(op, obj, what);
  if (a.ndim() != 4) op.value_error(std::string(what) + " must be 4-D " + layout + ", got shape " + shape_str(a));
  return a;
}

// `out` if given (float32, C-contiguous, writeable, of `shape`), else a new array of `shape`.
inline py::array_t<float> output_array(const Op& op, const py::object& out_obj, const std::vector<i64>& shape,
                                       const char* what = "out") {
  if (out_obj.is_none()) return py::array_t<float>(std::vector<py::ssize_t>(shape.begin(), shape.end()));
  if (!py::isinstance<py::array>(out_obj)) op.type_error(std::string(what) + " must be a numpy.ndarray");
  const auto arr = py::reinterpret_borrow<py::array>(out_obj);
  if (!arr.dtype().is(py::dtype::of<float>())) op.type_error(std::string(what) + " must have dtype float32");
  if (!(arr.flags() & py::array::c_style) || !arr.writeable()) {
    op.value_error(std::string(what) + " must be a writeable C-contiguous array");
  }
  bool same = arr.ndim() == static_cast<py::ssize_t>(shape.size());
  for (std::size_t i = 0; same && i < shape.size(); ++i) same = arr.shape(static_cast<py::ssize_t>(i)) == shape[i];
  if (!same) {
    std::string want = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) want += (i ? ", " : "") + std::to_string(shape[i]);
    if (shape.size() == 1) want += ",";
    want += ")";
    op.value_error(std::string(what) + " must have shape " + want + ", got " + shape_str(arr));
  }
  return py::reinterpret_borrow<py::array_t<float>>(out_obj);
}

// Raises if `out` shares memory with any of `inputs` (each may be empty).
inline void check_no_overlap(const Op& op, const py::array& out, std::initializer_list<const py::array*> inputs,
                             const char* what = "out") {
  if (out.nbytes() == 0) return;
  for (const py::array* in : inputs) {
    if (in == nullptr || !*in || in->nbytes() == 0) continue;
    if (overlaps(out.data(), static_cast<std::size_t>(out.nbytes()), in->data(), static_cast<std::size_t>(in->nbytes()))) {
      op.value_error(std::string(what) + " must not share memory with the inputs");
    }
  }
}

// Parses an activation name: "none" / "relu" / "leaky_relu".
inline int parse_activation(const Op& op, const py::handle& obj) {
  if (!py::isinstance<py::str>(obj)) op.type_error("activation must be None or a str, got " + std::string(py::repr(obj)));
  const std::string a = py::cast<std::string>(obj);
  if (a == "none") return vk::kActivationNone;
  if (a == "relu") return vk::kActivationRelu;
  if (a == "leaky_relu") return vk::kActivationLeakyRelu;
  op.value_error("activation must be 'none', 'relu' or 'leaky_relu', got '" + a + "'");
}

// Registers conv2d_backprop_input, conv2d_backprop_filter and bias_add_grad
// (bind_kernels_backprop.cpp); called by register_kernels().
void register_kernels_backprop(py::module_& m);

}  // namespace varstore::bindings::kernel_args
