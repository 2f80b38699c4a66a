// Native tests of the conv2d + bias + ReLU kernels: one case per registry entry
// (conv2d_relu.inc) that this CPU supports, compared with a double-precision reference; plus the
// dispatch switches and argument checks. Self-contained harness: prints "N passed, N failed".
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernel_impls.hpp"
#include "varstore/kernels/conv2d_relu.hpp"
#include "varstore/kernels/isa.hpp"

namespace vk = varstore::kernels;
using i64 = std::int64_t;

namespace {

int g_passed = 0;
int g_failed = 0;
int g_skipped = 0;

#define CHECK(cond, ...)                                   \
  do {                                                     \
    if (!(cond)) {                                         \
      std::printf("  CHECK failed at line %d: ", __LINE__); \
      std::printf(__VA_ARGS__);                            \
      std::printf("\n");                                   \
      throw std::runtime_error("check failed");            \
    }                                                      \
  } while (0)

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
  vk::Conv2dReluKernelFn fn;
  std::uint32_t required;
};

const Impl kImpls[] = {
#define VARSTORE_KERNEL_IMPL(isa_, required_, fwd_, dx_, dw_, db_) {vk::Isa::isa_, &fwd_, (required_)},
#include "kernels.inc"
#undef VARSTORE_KERNEL_IMPL
};

struct Shape {
  i64 N, H, W, Cin, KH, KW, Cout;
  i64 sh, sw, dh, dw;
  i64 pt, pb, pl, pr;
  bool bias, relu;
};

std::string describe(const Shape& s) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "N%lld H%lld W%lld Ci%lld k%lldx%lld Co%lld s%lld,%lld d%lld,%lld p%lld,%lld,%lld,%lld%s%s",
                (long long)s.N, (long long)s.H, (long long)s.W, (long long)s.Cin, (long long)s.KH,
                (long long)s.KW, (long long)s.Cout, (long long)s.sh, (long long)s.sw, (long long)s.dh,
                (long long)s.dw, (long long)s.pt, (long long)s.pb, (long long)s.pl, (long long)s.pr,
                s.bias ? " bias" : "", s.relu ? " relu" : "");
  return buf;
}

i64 out_size(i64 in, i64 k, i64 s, i64 d, i64 a, i64 b) { return vk::conv2d_output_size(in, k, s, d, a, b); }

// Reference in double; also returns sum |x*w| per output for the tolerance.
void reference(const Shape& s, const std::vector<float>& x, const std::vector<float>& w,
               const std::vector<float>& b, std::vector<double>& out, std::vector<double>& mag) {
  const i64 OH = out_size(s.H, s.KH, s.sh, s.dh, s.pt, s.pb);
  const i64 OW = out_size(s.W, s.KW, s.sw, s.dw, s.pl, s.pr);
  out.assign(static_cast<std::size_t>(s.N * OH * OW * s.Cout), 0.0);
  mag.assign(out.size(), 0.0);
  for (i64 n = 0; n < s.N; ++n)
    for (i64 oh = 0; oh < OH; ++oh)
      for (i64 ow = 0; ow < OW; ++ow)
        for (i64 co = 0; co < s.Cout; ++co) {
          double acc = s.bias ? b[co] : 0.0, m = std::fabs(acc);
          for (i64 kh = 0; kh < s.KH; ++kh) {
            const i64 ih = oh * s.sh + kh * s.dh - s.pt;
            if (ih < 0 || ih >= s.H) continue;
            for (i64 kw = 0; kw < s.KW; ++kw) {
              const i64 iw = ow * s.sw + kw * s.dw - s.pl;
              if (iw < 0 || iw >= s.W) continue;
              for (i64 ci = 0; ci < s.Cin; ++ci) {
                const double p = double(x[((n * s.H + ih) * s.W + iw) * s.Cin + ci]) *
                                 double(w[((kh * s.KW + kw) * s.Cin + ci) * s.Cout + co]);
                acc += p;
                m += std::fabs(p);
              }
            }
          }
          const std::size_t o = static_cast<std::size_t>(((n * OH + oh) * OW + ow) * s.Cout + co);
          out[o] = (s.relu && !(acc > 0)) ? 0.0 : acc;
          mag[o] = m;
        }
}

// Runs `fn` on shape s (weights packed or not, pointers offset by `misalign` floats) and checks
// against the reference, and that the guard words around the output are untouched.
void check_shape(vk::Conv2dReluKernelFn fn, const Shape& s, std::mt19937& rng, bool packed,
                 int misalign, float input_bias = 0.0f) {
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  const i64 OH = out_size(s.H, s.KH, s.sh, s.dh, s.pt, s.pb);
  const i64 OW = out_size(s.W, s.KW, s.sw, s.dw, s.pl, s.pr);
  CHECK(OH > 0 && OW > 0, "bad test shape %s", describe(s).c_str());
  std::vector<float> xs(static_cast<std::size_t>(s.N * s.H * s.W * s.Cin + misalign));
  std::vector<float> ws(static_cast<std::size_t>(s.KH * s.KW * s.Cin * s.Cout + misalign));
  std::vector<float> bs(static_cast<std::size_t>(s.Cout + misalign));
  for (auto& v : xs) v = dist(rng) + input_bias;
  for (auto& v : ws) v = dist(rng);
  for (auto& v : bs) v = dist(rng) + input_bias;
  std::vector<float> x(xs.begin() + misalign, xs.end()), w(ws.begin() + misalign, ws.end()),
      b(bs.begin() + misalign, bs.end());
  const i64 guard = 32;
  const std::size_t osize = static_cast<std::size_t>(s.N * OH * OW * s.Cout);
  std::vector<float> outbuf(osize + 2 * guard + misalign, 12345.0f);
  float* out = outbuf.data() + guard + misalign;

  std::vector<float> packed_w;
  vk::Conv2dReluParams p{};
  p.input = xs.data() + misalign;
  if (packed) {
    packed_w.resize(vk::packed_filter_floats(s.KH, s.KW, s.Cin, s.Cout));
    vk::pack_filter_hwio(ws.data() + misalign, s.KH, s.KW, s.Cin, s.Cout, packed_w.data());
    p.weights = packed_w.data();
    p.weights_packed = 1;
  } else {
    p.weights = ws.data() + misalign;
  }
  p.bias = s.bias ? bs.data() + misalign : nullptr;
  p.output = out;
  p.N = s.N; p.H = s.H; p.W = s.W; p.Cin = s.Cin;
  p.KH = s.KH; p.KW = s.KW; p.Cout = s.Cout; p.OH = OH; p.OW = OW;
  p.stride_h = s.sh; p.stride_w = s.sw; p.dilation_h = s.dh; p.dilation_w = s.dw;
  p.pad_top = s.pt; p.pad_left = s.pl; p.activation = s.relu ? vk::kActivationRelu : vk::kActivationNone;
  vk::conv2d_relu_with(p, fn);

  std::vector<double> ref, mag;
  reference(s, x, w, b, ref, mag);
  for (i64 g = 0; g < guard; ++g) {
    CHECK(outbuf[misalign + g] == 12345.0f && outbuf[guard + misalign + osize + g] == 12345.0f,
          "guard overwritten, %s", describe(s).c_str());
  }
  for (std::size_t i = 0; i < osize; ++i) {
    const double tol = 1e-6 + 2e-6 * mag[i];
    CHECK(std::fabs(out[i] - ref[i]) <= tol, "%s: out[%zu]=%.8g ref=%.8g (packed=%d misalign=%d)",
          describe(s).c_str(), i, double(out[i]), ref[i], int(packed), misalign);
  }
}

std::vector<Shape> sweep_shapes() {
  std::vector<Shape> v;
  // Widths below, equal to and above the register tiles (6, 8, 12), odd channel counts,
  // Cout = 1..130 (tails of 8/16 and of the 64-channel block), strides, dilations, paddings.
  const i64 widths[] = {1, 3, 5, 6, 7, 8, 12, 13, 25};
  const i64 couts[] = {1, 7, 8, 15, 16, 17, 24, 31, 32, 33, 48, 63, 64, 65, 96, 130};
  const i64 cins[] = {1, 2, 3, 5, 16, 17};
  int i = 0;
  for (i64 w : widths)
    for (i64 co : couts) {
      const i64 ci = cins[i % 6];
      const i64 k = (i % 4 == 0) ? 1 : (i % 4 == 1) ? 3 : (i % 4 == 2) ? 5 : 2;
      const i64 s = (i % 3 == 2) ? 2 : 1;
      const i64 d = (i % 5 == 4) ? 2 : 1;
      const i64 pad = (i % 2 == 0) ? (k - 1) * d / 2 : 0;
      const i64 H = 4 + i % 5;
      Shape sh{1 + i % 2, H, w, ci, k, k == 2 ? 3 : k, co, s, s, d, d, pad, pad + (i % 3 == 0), pad, pad + (i % 7 == 0),
               i % 3 != 1, i % 4 != 3};
      if (out_size(sh.H, sh.KH, sh.sh, sh.dh, sh.pt, sh.pb) > 0 &&
          out_size(sh.W, sh.KW, sh.sw, sh.dw, sh.pl, sh.pr) > 0)
        v.push_back(sh);
      ++i;
    }
  // Named cases from the issue: 1x1, 3x3, 5x5, 7x7 s2 SAME (asymmetric), Cin 1 and 3.
  v.push_back({2, 9, 11, 3, 7, 7, 64, 2, 2, 1, 1, 2, 3, 2, 3, true, true});
  v.push_back({1, 16, 16, 1, 3, 3, 16, 1, 1, 1, 1, 1, 1, 1, 1, true, true});
  v.push_back({1, 12, 12, 32, 5, 5, 32, 1, 1, 1, 1, 2, 2, 2, 2, true, true});
  v.push_back({2, 7, 9, 64, 1, 1, 256, 1, 1, 1, 1, 0, 0, 0, 0, true, true});
  v.push_back({1, 10, 10, 32, 3, 3, 32, 1, 1, 2, 2, 2, 2, 2, 2, true, false});
  v.push_back({1, 11, 11, 64, 3, 3, 128, 2, 2, 1, 1, 0, 0, 0, 0, false, true});
  v.push_back({3, 8, 8, 16, 3, 3, 16, 1, 1, 1, 1, 1, 1, 1, 1, true, true});
  v.push_back({1, 5, 40, 8, 3, 3, 40, 1, 3, 1, 3, 0, 4, 5, 1, true, true});   // stride 3, dil 3
  v.push_back({1, 3, 3, 4, 3, 3, 20, 1, 1, 1, 1, 4, 4, 4, 4, true, true});    // pad > kernel: all-pad pixels
  v.push_back({1, 6, 6, 3, 1, 1, 5, 2, 2, 1, 1, 1, 0, 0, 1, true, true});     // strided padded 1x1
  v.push_back({1, 6, 40, 70, 3, 7, 20, 1, 3, 1, 3, 1, 1, 9, 9, true, true});  // wide edge windows
  v.push_back({2, 5, 33, 130, 2, 3, 81, 2, 1, 2, 1, 1, 1, 2, 2, true, true}); // Cin 130, Cout 81
  v.push_back({2, 7, 9, 150, 3, 3, 40, 1, 1, 1, 1, 1, 1, 1, 1, true, true});  // K-blocked, padded
  v.push_back({3, 4, 4, 120, 3, 3, 70, 2, 2, 1, 1, 1, 1, 1, 1, true, false}); // K-blocked, 2x2 out
  v.push_back({1, 6, 6, 200, 3, 3, 33, 1, 1, 2, 2, 0, 0, 0, 0, true, true});  // K-blocked, VALID d2
  v.push_back({2, 5, 5, 64, 3, 3, 240, 1, 1, 1, 1, 1, 1, 1, 1, true, true}); // filter >> input:
  v.push_back({3, 3, 4, 50, 5, 5, 130, 2, 2, 1, 1, 2, 2, 2, 2, true, false}); // channel-block tasks
  return v;
}

}  // namespace

int main() {
  const std::uint32_t features = vk::cpu_features();
  std::printf("CPU: %s; compiled:", vk::cpu_brand().c_str());
  for (const vk::Isa i : vk::compiled_isas()) std::printf(" %s", vk::isa_name(i));
  std::printf("; supported:");
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
      run_case(name + " sweep threads=" + std::to_string(threads), [&] {
        vk::set_num_threads(threads);
        std::mt19937 rng(1234);
        int idx = 0;
        for (const Shape& s : shapes) {
          check_shape(impl.fn, s, rng, idx % 2 == 0, idx % 3 == 0 ? 1 : 0);
          ++idx;
        }
      });
    }
    run_case(name + " all-negative input clamps to zero", [&] {
      std::mt19937 rng(7);
      Shape s{2, 9, 10, 5, 3, 3, 37, 1, 1, 1, 1, 1, 1, 1, 1, true, true};
      check_shape(impl.fn, s, rng, false, 0, -3.0f);  // x in [-4,-2], w in [-1,1], b in [-4,-2]
    });
    run_case(name + " 1 vs 2 threads bit-identical", [&] {
      std::mt19937 rng(99);
      Shape s{2, 20, 23, 19, 3, 3, 70, 1, 1, 1, 1, 1, 1, 1, 1, true, true};
      const i64 OH = 20, OW = 23;
      std::vector<float> x(2 * 20 * 23 * 19), w(9 * 19 * 70), b(70);
      std::uniform_real_distribution<float> d(-1, 1);
      for (auto& v : x) v = d(rng);
      for (auto& v : w) v = d(rng);
      for (auto& v : b) v = d(rng);
      std::vector<float> o1(2 * OH * OW * 70), o2(o1.size());
      vk::Conv2dReluParams p{};
      p.input = x.data(); p.weights = w.data(); p.bias = b.data();
      p.N = 2; p.H = 20; p.W = 23; p.Cin = 19; p.KH = 3; p.KW = 3; p.Cout = 70; p.OH = OH; p.OW = OW;
      p.pad_top = 1; p.pad_left = 1;
      p.stride_h = p.stride_w = p.dilation_h = p.dilation_w = 1; p.activation = vk::kActivationRelu;
      vk::set_num_threads(1);
      p.output = o1.data();
      vk::conv2d_relu_with(p, impl.fn);
      vk::set_num_threads(2);
      p.output = o2.data();
      vk::conv2d_relu_with(p, impl.fn);
      CHECK(std::memcmp(o1.data(), o2.data(), o1.size() * sizeof(float)) == 0, "results differ");
      (void)s;
    });
    run_case(name + " force_isa / active_isa", [&] {
      vk::force_isa(name);
      CHECK(vk::active_isa() == impl.isa, "active_isa() is %s after force_isa(%s)",
            vk::isa_name(vk::active_isa()), name.c_str());
      CHECK(vk::active_kernel() == impl.fn, "active kernel is not the registry entry");
      vk::reset_isa();
    });
  }

  run_case("dispatch: unknown names are errors", [] {
    for (const char* bad : {"", "AVX512", "sse2", "avx512 ", "neon"}) {
      bool threw = false;
      try {
        vk::force_isa(bad);
      } catch (const std::invalid_argument&) {
        threw = true;
      }
      CHECK(threw, "force_isa('%s') did not throw", bad);
    }
  });
  run_case("dispatch: default is the best supported", [] {
    vk::reset_isa();
    if (std::getenv("VARSTORE_FORCE_ISA") == nullptr) {
      CHECK(vk::active_isa() == vk::supported_isas().front(), "default is not the first supported");
    }
  });
  run_case("same padding (TF split)", [] {
    i64 a = 0, b = 0;
    vk::conv2d_same_padding(224, 7, 2, 1, &a, &b);
    CHECK(a == 2 && b == 3, "224/7/s2 -> %lld,%lld", (long long)a, (long long)b);
    vk::conv2d_same_padding(32, 5, 1, 1, &a, &b);
    CHECK(a == 2 && b == 2, "32/5/s1");
    vk::conv2d_same_padding(64, 3, 1, 2, &a, &b);
    CHECK(a == 2 && b == 2, "64/3/d2");
    vk::conv2d_same_padding(5, 1, 2, 1, &a, &b);
    CHECK(a == 0 && b == 0, "5/1/s2");
  });
  run_case("argument checks throw invalid_argument", [] {
    std::vector<float> x(64, 1.0f), w(64, 1.0f), o(64);
    auto make = [&] {
      vk::Conv2dReluParams p{};
      p.input = x.data(); p.weights = w.data(); p.output = o.data();
      p.N = 1; p.H = 4; p.W = 4; p.Cin = 1; p.KH = 3; p.KW = 3; p.Cout = 1; p.OH = 2; p.OW = 2;
      p.stride_h = p.stride_w = p.dilation_h = p.dilation_w = 1; p.activation = vk::kActivationRelu;
      return p;
    };
    auto expect_throw = [](const vk::Conv2dReluParams& p, const char* what) {
      bool threw = false;
      try {
        vk::conv2d_relu(p);
      } catch (const std::invalid_argument&) {
        threw = true;
      }
      CHECK(threw, "%s did not throw", what);
    };
    vk::conv2d_relu(make());  // valid
    auto p = make(); p.stride_h = 0; expect_throw(p, "stride 0");
    p = make(); p.dilation_w = -1; expect_throw(p, "dilation -1");
    p = make(); p.pad_top = -1; expect_throw(p, "negative padding");
    p = make(); p.OW = -1; expect_throw(p, "negative output size");
    p = make(); p.KH = 0; expect_throw(p, "zero filter height");
    p = make(); p.activation = 7; expect_throw(p, "unknown activation");
    p = make(); p.input = nullptr; expect_throw(p, "null input");
    bool threw = false;
    try { vk::set_num_threads(0); } catch (const std::invalid_argument&) { threw = true; }
    CHECK(threw, "set_num_threads(0) did not throw");
  });

  std::printf("%d passed, %d failed, %d skipped\n", g_passed, g_failed, g_skipped);
  return g_failed == 0 ? 0 : 1;
}
