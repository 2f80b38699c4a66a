// Native tests of the backward kernels (Conv2DBackpropInput, Conv2DBackpropFilter, BiasAddGrad):
// every registry entry (kernels.inc) that this CPU supports, at odd sizes, strides, dilations,
// paddings and misaligned offsets, with and without the fused activation mask, against
// double-precision references written from the definitions; guard words around every output;
// 1 vs 2 threads bit-identical; empty tensors. Runs under ASan/UBSan in .ci/sanitize.sh (ctest).
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "check.hpp"
#include "kernel_impls.hpp"
#include "varstore/kernels/conv2d_backprop.hpp"
#include "varstore/kernels/conv2d_relu.hpp"
#include "varstore/kernels/isa.hpp"

namespace vk = varstore::kernels;
using i64 = std::int64_t;

namespace {

int g_passed = 0;
int g_failed = 0;
int g_skipped = 0;

void run_case(const std::string& name, const std::function<void()>& fn) {
  try {
    fn();
    ++g_passed;
  } catch (const std::exception& e) {
    ++g_failed;
    std::printf("FAIL %s: %s\n", name.c_str(), e.what());
  }
}

struct Impl {
  vk::Isa isa;
  std::uint32_t required;
  vk::KernelSet fns;
};

const Impl kImpls[] = {
#define VARSTORE_KERNEL_IMPL(isa_, required_, fwd_, dx_, dw_, db_) {vk::Isa::isa_, (required_), {&fwd_, &dx_, &dw_, &db_}},
#include "kernels.inc"
#undef VARSTORE_KERNEL_IMPL
};

struct Shape {
  i64 N, H, W, Cin, KH, KW, Cout;
  i64 sh, sw, dh, dw;
  i64 pt, pb, pl, pr;
  bool mask;
  float alpha;
};

std::string describe(const Shape& s) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "N%lld H%lld W%lld Ci%lld k%lldx%lld Co%lld s%lld,%lld d%lld,%lld p%lld,%lld,%lld,%lld%s a%.2f",
                (long long)s.N, (long long)s.H, (long long)s.W, (long long)s.Cin, (long long)s.KH, (long long)s.KW,
                (long long)s.Cout, (long long)s.sh, (long long)s.sw, (long long)s.dh, (long long)s.dw, (long long)s.pt,
                (long long)s.pb, (long long)s.pl, (long long)s.pr, s.mask ? " mask" : "", double(s.alpha));
  return buf;
}

i64 OHof(const Shape& s) { return vk::conv2d_output_size(s.H, s.KH, s.sh, s.dh, s.pt, s.pb); }
i64 OWof(const Shape& s) { return vk::conv2d_output_size(s.W, s.KW, s.sw, s.dw, s.pl, s.pr); }

// A buffer with `misalign` floats of offset and guard words on both sides.
struct Guarded {
  static constexpr i64 kGuard = 24;
  std::vector<float> buf;
  i64 off = 0, n = 0;
  Guarded(i64 size, int misalign) : buf(static_cast<std::size_t>(size + 2 * kGuard + misalign), 12345.0f), off(kGuard + misalign), n(size) {}
  float* data() { return buf.data() + off; }
  void check(const char* what) const {
    for (i64 g = 0; g < kGuard; ++g) {
      CHECK(buf[static_cast<std::size_t>(off - kGuard + g)] == 12345.0f && buf[static_cast<std::size_t>(off + n + g)] == 12345.0f,
            "%s guard overwritten", what);
    }
  }
};

float masked(const std::vector<float>& dy, const std::vector<float>& y, bool mask, float alpha, i64 i) {
  const float d = dy[static_cast<std::size_t>(i)];
  return (mask && !(y[static_cast<std::size_t>(i)] > 0.0f)) ? d * alpha : d;
}

void check_close(const char* what, const Shape& s, const float* got, const std::vector<double>& ref,
                 const std::vector<double>& mag) {
  for (std::size_t i = 0; i < ref.size(); ++i) {
    const double tol = 1e-6 + 3e-6 * mag[i];
    CHECK(std::fabs(got[i] - ref[i]) <= tol, "%s %s: [%zu] = %.8g, reference %.8g", what, describe(s).c_str(), i,
          double(got[i]), ref[i]);
  }
}

// Runs dx, dw (+ bias grad) and bias_add_grad of one ISA on shape s and checks them.
void check_shape(const vk::KernelSet& k, const Shape& s, std::mt19937& rng, int misalign) {
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  const i64 OH = OHof(s), OW = OWof(s);
  CHECK(OH > 0 && OW > 0, "bad test shape %s", describe(s).c_str());
  const i64 nx = s.N * s.H * s.W * s.Cin, ny = s.N * OH * OW * s.Cout, nw = s.KH * s.KW * s.Cin * s.Cout;
  std::vector<float> x(static_cast<std::size_t>(nx)), w(static_cast<std::size_t>(nw)), dy(static_cast<std::size_t>(ny)),
      y(static_cast<std::size_t>(ny));
  for (auto& v : x) v = dist(rng);
  for (auto& v : w) v = dist(rng);
  for (auto& v : dy) v = dist(rng);
  for (auto& v : y) v = dist(rng);
  // misaligned copies of the inputs
  Guarded gx(nx, misalign), gw(nw, misalign), gdy(ny, misalign), gy(ny, misalign);
  std::memcpy(gx.data(), x.data(), x.size() * 4);
  std::memcpy(gw.data(), w.data(), w.size() * 4);
  std::memcpy(gdy.data(), dy.data(), dy.size() * 4);
  std::memcpy(gy.data(), y.data(), y.size() * 4);

  // references (double), from the definitions
  std::vector<double> rdx(static_cast<std::size_t>(nx), 0.0), mdx(rdx.size(), 0.0);
  std::vector<double> rdw(static_cast<std::size_t>(nw), 0.0), mdw(rdw.size(), 0.0);
  std::vector<double> rdb(static_cast<std::size_t>(s.Cout), 0.0), mdb(rdb.size(), 0.0);
  for (i64 n = 0; n < s.N; ++n)
    for (i64 oh = 0; oh < OH; ++oh)
      for (i64 ow = 0; ow < OW; ++ow)
        for (i64 co = 0; co < s.Cout; ++co) {
          const i64 yi = ((n * OH + oh) * OW + ow) * s.Cout + co;
          const double m = masked(dy, y, s.mask, s.alpha, yi);
          rdb[static_cast<std::size_t>(co)] += m;
          mdb[static_cast<std::size_t>(co)] += std::fabs(m);
          for (i64 kh = 0; kh < s.KH; ++kh) {
            const i64 ih = oh * s.sh + kh * s.dh - s.pt;
            if (ih < 0 || ih >= s.H) continue;
            for (i64 kw = 0; kw < s.KW; ++kw) {
              const i64 iw = ow * s.sw + kw * s.dw - s.pl;
              if (iw < 0 || iw >= s.W) continue;
              for (i64 ci = 0; ci < s.Cin; ++ci) {
                const std::size_t xi = static_cast<std::size_t>(((n * s.H + ih) * s.W + iw) * s.Cin + ci);
                const std::size_t wi = static_cast<std::size_t>(((kh * s.KW + kw) * s.Cin + ci) * s.Cout + co);
                rdx[xi] += m * w[wi];
                mdx[xi] += std::fabs(m * w[wi]);
                rdw[wi] += m * x[xi];
                mdw[wi] += std::fabs(m * x[xi]);
              }
            }
          }
        }

  // dx
  {
    Guarded out(nx, misalign);
    vk::Conv2dBackpropInputParams p{};
    p.dy = gdy.data();
    p.y = s.mask ? gy.data() : nullptr;
    p.alpha = s.alpha;
    p.weights = gw.data();
    p.dx = out.data();
    p.N = s.N; p.H = s.H; p.W = s.W; p.Cin = s.Cin; p.KH = s.KH; p.KW = s.KW; p.Cout = s.Cout; p.OH = OH; p.OW = OW;
    p.stride_h = s.sh; p.stride_w = s.sw; p.dilation_h = s.dh; p.dilation_w = s.dw; p.pad_top = s.pt; p.pad_left = s.pl;
    vk::conv2d_backprop_input_with(p, k.conv2d_backprop_input);
    out.check("dx");
    check_close("dx", s, out.data(), rdx, mdx);
  }
  // dw + bias grad
  {
    Guarded out(nw, misalign), bout(s.Cout, misalign);
    vk::Conv2dBackpropFilterParams p{};
    p.x = gx.data();
    p.dy = gdy.data();
    p.y = s.mask ? gy.data() : nullptr;
    p.alpha = s.alpha;
    p.dw = out.data();
    p.bias_grad = bout.data();
    p.N = s.N; p.H = s.H; p.W = s.W; p.Cin = s.Cin; p.KH = s.KH; p.KW = s.KW; p.Cout = s.Cout; p.OH = OH; p.OW = OW;
    p.stride_h = s.sh; p.stride_w = s.sw; p.dilation_h = s.dh; p.dilation_w = s.dw; p.pad_top = s.pt; p.pad_left = s.pl;
    vk::conv2d_backprop_filter_with(p, k.conv2d_backprop_filter);
    out.check("dw");
    bout.check("bias_grad");
    check_close("dw", s, out.data(), rdw, mdw);
    check_close("dw bias_grad", s, bout.data(), rdb, mdb);
  }
  // bias_add_grad, also writing the masked dy
  {
    Guarded out(s.Cout, misalign), mout(ny, misalign);
    vk::BiasAddGradParams p{};
    p.dy = gdy.data();
    p.y = s.mask ? gy.data() : nullptr;
    p.alpha = s.alpha;
    p.masked_out = mout.data();
    p.rows = s.N * OH * OW;
    p.C = s.Cout;
    vk::bias_add_grad_with(p, out.data(), k.bias_add_grad);
    out.check("bias_add_grad");
    mout.check("masked_out");
    check_close("bias_add_grad", s, out.data(), rdb, mdb);
    for (i64 i = 0; i < ny; ++i) {
      CHECK(mout.data()[i] == masked(dy, y, s.mask, s.alpha, i), "masked_out[%lld] differs", (long long)i);
    }
  }
}

std::vector<Shape> sweep_shapes() {
  std::vector<Shape> v;
  // widths below / at / above the register tiles, channel tails of 8 / 16 / 64, strides 1-3,
  // dilations, asymmetric and large padding, 1x1 .. 7x7, masks with alpha 0 and 0.2
  const i64 widths[] = {1, 2, 5, 6, 7, 12, 13, 19};
  const i64 chans[] = {1, 3, 7, 8, 16, 17, 33, 64, 70};
  int i = 0;
  for (i64 wd : widths)
    for (i64 c : chans) {
      const i64 cin = chans[(i * 5 + 3) % 9];
      const i64 k = (i % 4 == 0) ? 1 : (i % 4 == 1) ? 3 : (i % 4 == 2) ? 5 : 2;
      const i64 s = 1 + i % 3;
      const i64 d = (i % 5 == 4) ? 2 : 1;
      const i64 pad = (i % 2 == 0) ? (k - 1) * d / 2 : (i % 3);
      Shape sh{1 + i % 2, 3 + i % 6, wd, cin, k, k == 2 ? 3 : k, c, s, (i % 7 == 3) ? 1 : s, d, d,
               pad, pad + (i % 3 == 0), pad, pad + (i % 5 == 0), i % 3 != 2, (i % 2) ? 0.2f : 0.0f};
      if (OHof(sh) > 0 && OWof(sh) > 0) v.push_back(sh);
      ++i;
    }
  v.push_back({2, 17, 17, 3, 7, 7, 64, 2, 2, 1, 1, 2, 3, 2, 3, true, 0.2f});     // 7x7 s2 SAME, Cin 3
  v.push_back({2, 16, 16, 3, 5, 5, 64, 2, 2, 1, 1, 1, 2, 1, 2, true, 0.2f});     // DCGAN d1 (small)
  v.push_back({2, 8, 8, 64, 5, 5, 40, 2, 2, 1, 1, 1, 2, 1, 2, true, 0.2f});      // DCGAN d2 (small)
  v.push_back({1, 11, 10, 20, 3, 3, 24, 3, 2, 1, 1, 1, 1, 0, 2, false, 0.0f});   // H not divisible
  v.push_back({1, 12, 12, 9, 3, 3, 10, 2, 2, 2, 2, 2, 2, 2, 2, true, 0.0f});     // s2 d2: empty phases
  v.push_back({1, 9, 9, 5, 3, 3, 6, 2, 3, 3, 2, 3, 3, 3, 3, true, 0.0f});        // gcd(s, d) = 1 mixes
  v.push_back({1, 3, 3, 4, 3, 3, 5, 1, 1, 1, 1, 4, 4, 4, 4, false, 0.0f});       // pad > kernel
  v.push_back({2, 7, 9, 64, 1, 1, 130, 1, 1, 1, 1, 0, 0, 0, 0, true, 0.0f});     // 1x1 GEMM
  v.push_back({1, 6, 30, 130, 2, 3, 81, 2, 1, 2, 1, 1, 1, 2, 2, true, 0.2f});    // Cin 130, Cout 81
  v.push_back({2, 6, 7, 20, 3, 3, 300, 1, 1, 1, 1, 1, 1, 1, 1, true, 0.2f});     // K-blocked dx
  v.push_back({1, 9, 9, 12, 5, 5, 180, 2, 2, 1, 1, 1, 2, 1, 2, false, 0.0f});    // K-blocked, phases
  v.push_back({5, 3, 3, 70, 3, 3, 240, 1, 1, 1, 1, 1, 1, 1, 1, true, 0.2f});     // filter >> dy:
  v.push_back({3, 4, 5, 140, 5, 5, 60, 2, 2, 1, 1, 1, 2, 1, 2, true, 0.0f});     // multi-image tasks
  return v;
}

template <typename F>
bool throws(F&& f) {
  try {
    f();
  } catch (const std::invalid_argument&) {
    return true;
  }
  return false;
}

}  // namespace

int main() {
  const std::uint32_t features = vk::cpu_features();
  std::printf("CPU: %s; supported:", vk::cpu_brand().c_str());
  for (const vk::Isa i : vk::supported_isas()) std::printf(" %s", vk::isa_name(i));
  std::printf("\n");
  const std::vector<Shape> shapes = sweep_shapes();
  for (const Impl& impl : kImpls) {
    const std::string name = vk::isa_name(impl.isa);
    if ((features & impl.required) != impl.required) {
      ++g_skipped;
      std::printf("SKIP %s: this CPU lacks the required features\n", name.c_str());
      continue;
    }
    for (int threads : {1, 2}) {
      run_case(name + " backprop sweep threads=" + std::to_string(threads), [&] {
        vk::set_num_threads(threads);
        std::mt19937 rng(4321);
        int idx = 0;
        for (const Shape& s : shapes) check_shape(impl.fns, s, rng, (idx++ % 3 == 0) ? 1 : 0);
      });
    }
    run_case(name + " backprop 1 vs 2 threads bit-identical", [&] {
      const Shape s{3, 20, 21, 19, 3, 3, 70, 1, 1, 1, 1, 1, 1, 1, 1, true, 0.2f};
      const i64 OH = OHof(s), OW = OWof(s);
      std::mt19937 rng(5);
      std::uniform_real_distribution<float> d(-1, 1);
      std::vector<float> x(static_cast<std::size_t>(s.N * s.H * s.W * s.Cin)), w(static_cast<std::size_t>(9 * s.Cin * s.Cout)),
          dy(static_cast<std::size_t>(s.N * OH * OW * s.Cout)), y(dy.size());
      for (auto* v : {&x, &w, &dy, &y})
        for (auto& e : *v) e = d(rng);
      std::vector<float> dx1(x.size()), dx2(x.size()), dw1(w.size()), dw2(w.size()), b1(70), b2(70);
      for (int t : {1, 2}) {
        vk::set_num_threads(t);
        vk::Conv2dBackpropInputParams pi{};
        pi.dy = dy.data(); pi.y = y.data(); pi.alpha = 0.2f; pi.weights = w.data(); pi.dx = (t == 1 ? dx1 : dx2).data();
        pi.N = s.N; pi.H = s.H; pi.W = s.W; pi.Cin = s.Cin; pi.KH = 3; pi.KW = 3; pi.Cout = s.Cout; pi.OH = OH; pi.OW = OW;
        pi.stride_h = pi.stride_w = pi.dilation_h = pi.dilation_w = 1; pi.pad_top = pi.pad_left = 1;
        vk::conv2d_backprop_input_with(pi, impl.fns.conv2d_backprop_input);
        vk::Conv2dBackpropFilterParams pf{};
        pf.x = x.data(); pf.dy = dy.data(); pf.y = y.data(); pf.alpha = 0.2f; pf.dw = (t == 1 ? dw1 : dw2).data();
        pf.bias_grad = (t == 1 ? b1 : b2).data();
        pf.N = s.N; pf.H = s.H; pf.W = s.W; pf.Cin = s.Cin; pf.KH = 3; pf.KW = 3; pf.Cout = s.Cout; pf.OH = OH; pf.OW = OW;
        pf.stride_h = pf.stride_w = pf.dilation_h = pf.dilation_w = 1; pf.pad_top = pf.pad_left = 1;
        vk::conv2d_backprop_filter_with(pf, impl.fns.conv2d_backprop_filter);
      }
      CHECK(std::memcmp(dx1.data(), dx2.data(), dx1.size() * 4) == 0, "dx differs");
      CHECK(std::memcmp(dw1.data(), dw2.data(), dw1.size() * 4) == 0, "dw differs");
      CHECK(std::memcmp(b1.data(), b2.data(), b1.size() * 4) == 0, "bias grad differs");
    });
    run_case(name + " backprop NaN / Inf propagate", [&] {
      // NaN in dy reaches every dx pixel under its taps and every dw entry; the mask keeps it
      const Shape s{1, 6, 7, 5, 3, 3, 9, 1, 1, 1, 1, 1, 1, 1, 1, true, 0.0f};
      const i64 OH = OHof(s), OW = OWof(s);
      std::vector<float> x(static_cast<std::size_t>(6 * 7 * 5), 0.5f), w(static_cast<std::size_t>(9 * 5 * 9), 0.25f),
          dy(static_cast<std::size_t>(OH * OW * 9), 1.0f), y(dy.size(), -1.0f);
      dy[static_cast<std::size_t>((2 * OW + 3) * 9 + 4)] = std::numeric_limits<float>::quiet_NaN();
      std::vector<float> dx(x.size()), dw(w.size()), db(9);
      vk::Conv2dBackpropInputParams pi{};
      pi.dy = dy.data(); pi.y = y.data(); pi.alpha = 0.0f; pi.weights = w.data(); pi.dx = dx.data();
      pi.N = 1; pi.H = 6; pi.W = 7; pi.Cin = 5; pi.KH = 3; pi.KW = 3; pi.Cout = 9; pi.OH = OH; pi.OW = OW;
      pi.stride_h = pi.stride_w = pi.dilation_h = pi.dilation_w = 1; pi.pad_top = pi.pad_left = 1;
      vk::conv2d_backprop_input_with(pi, impl.fns.conv2d_backprop_input);
      for (i64 ih = 0; ih < 6; ++ih)
        for (i64 iw = 0; iw < 7; ++iw) {
          const bool under = ih >= 1 && ih <= 3 && iw >= 2 && iw <= 4;  // dy pixel (2, 3), 3x3, pad 1
          for (i64 c = 0; c < 5; ++c) {
            const float v = dx[static_cast<std::size_t>((ih * 7 + iw) * 5 + c)];
            CHECK(under ? std::isnan(v) : v == 0.0f, "dx[%lld,%lld,%lld] = %g", (long long)ih, (long long)iw, (long long)c, double(v));
          }
        }
      vk::Conv2dBackpropFilterParams pf{};
      pf.x = x.data(); pf.dy = dy.data(); pf.y = y.data(); pf.alpha = 0.0f; pf.dw = dw.data(); pf.bias_grad = db.data();
      pf.N = 1; pf.H = 6; pf.W = 7; pf.Cin = 5; pf.KH = 3; pf.KW = 3; pf.Cout = 9; pf.OH = OH; pf.OW = OW;
      pf.stride_h = pf.stride_w = pf.dilation_h = pf.dilation_w = 1; pf.pad_top = pf.pad_left = 1;
      vk::conv2d_backprop_filter_with(pf, impl.fns.conv2d_backprop_filter);
      for (std::size_t i = 0; i < dw.size(); ++i) {
        CHECK((i % 9 == 4) ? std::isnan(dw[i]) : dw[i] == 0.0f, "dw[%zu] = %g", i, double(dw[i]));
      }
      for (i64 c = 0; c < 9; ++c) CHECK((c == 4) ? std::isnan(db[static_cast<std::size_t>(c)]) : db[static_cast<std::size_t>(c)] == 0.0f, "db[%lld]", (long long)c);
    });
  }

  run_case("backprop: empty tensors and argument checks", [] {
    std::vector<float> buf(64, 7.0f);
    vk::Conv2dBackpropInputParams pi{};
    pi.dy = buf.data(); pi.weights = buf.data(); pi.dx = buf.data();
    pi.N = 1; pi.H = 2; pi.W = 2; pi.Cin = 3; pi.KH = 1; pi.KW = 1; pi.Cout = 0; pi.OH = 2; pi.OW = 2;
    pi.stride_h = pi.stride_w = pi.dilation_h = pi.dilation_w = 1;
    vk::conv2d_backprop_input(pi);  // Cout = 0: dx is zeros
    for (int i = 0; i < 12; ++i) CHECK(buf[static_cast<std::size_t>(i)] == 0.0f, "dx not zeroed");
    CHECK(buf[12] == 7.0f, "wrote past dx");
    auto bad = pi;
    bad.stride_h = 0;
    CHECK(throws([&] { vk::conv2d_backprop_input(bad); }), "stride 0 accepted");
    bad = pi;
    bad.KH = 0;
    CHECK(throws([&] { vk::conv2d_backprop_input(bad); }), "KH 0 accepted");
    std::fill(buf.begin(), buf.end(), 7.0f);
    vk::Conv2dBackpropFilterParams pf{};
    pf.x = buf.data(); pf.dy = buf.data(); pf.dw = buf.data();
    pf.N = 0; pf.H = 2; pf.W = 2; pf.Cin = 2; pf.KH = 1; pf.KW = 2; pf.Cout = 3; pf.OH = 2; pf.OW = 1;
    pf.stride_h = pf.stride_w = pf.dilation_h = pf.dilation_w = 1;
    vk::conv2d_backprop_filter(pf);  // N = 0: dw is zeros
    for (int i = 0; i < 12; ++i) CHECK(buf[static_cast<std::size_t>(i)] == 0.0f, "dw not zeroed");
    CHECK(buf[12] == 7.0f, "wrote past dw");
    float out[3] = {5, 5, 5};
    vk::BiasAddGradParams pb{};
    pb.dy = buf.data(); pb.rows = 0; pb.C = 3;
    vk::bias_add_grad(pb, out);
    CHECK(out[0] == 0.0f && out[2] == 0.0f, "empty bias grad not zero");
  });

  std::printf("%d passed, %d failed, %d skipped\n", g_passed, g_failed, g_skipped);
  return g_failed == 0 ? 0 : 1;
}
