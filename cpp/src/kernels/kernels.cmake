# Kernel sources and their per-file ISA flags (owned by the kernel work; see kernels.inc).
#
# include()d from cpp/CMakeLists.txt before varstore_core is created. Appends absolute paths to
# VARSTORE_KERNEL_SOURCES. Only the <kernel>_avx2.cpp / <kernel>_avx512.cpp files (and the FMA
# peak loops) get ISA flags, as per-source COMPILE_OPTIONS, each only on x86, with its
# VARSTORE_ENABLE_* option on and the compiler accepting the flags. The whole rest of the
# project is compiled for the baseline.
#
# Which ISA files were compiled is published as compile definitions
# (VARSTORE_KERNEL_HAVE_AVX2 / VARSTORE_KERNEL_HAVE_AVX512) in the GLOBAL property
# VARSTORE_KERNEL_DEFINITIONS, used by dispatch.cpp and by the native test and benchmark, which
# include the registry kernels.inc.
include(CheckCXXCompilerFlag)

set(_vk_dir ${CMAKE_CURRENT_LIST_DIR})
list(APPEND VARSTORE_KERNEL_SOURCES
  ${_vk_dir}/cpu_features.cpp
  ${_vk_dir}/dispatch.cpp
  ${_vk_dir}/thread_pool.cpp
  ${_vk_dir}/conv2d_relu.cpp
  ${_vk_dir}/conv2d_backprop.cpp
  ${_vk_dir}/conv2d_relu_scalar.cpp
  ${_vk_dir}/conv2d_backprop_input_scalar.cpp
  ${_vk_dir}/conv2d_backprop_filter_scalar.cpp
  ${_vk_dir}/bias_add_grad_scalar.cpp
  ${_vk_dir}/fma_peak.cpp
  ${_vk_dir}/philox_normal.cpp
  ${_vk_dir}/sparse_matmul.cpp
)
# TF's random values depend on each float operation rounding on its own: no FMA contraction in
# the Philox samplers, whatever the target's baseline (no ISA flags: it is plain scalar code).
if(NOT MSVC)
  set_source_files_properties(${_vk_dir}/philox_normal.cpp PROPERTIES COMPILE_OPTIONS -ffp-contract=off)
  # SparseTensorDenseMatMul's sums must round as TF's separate multiply and add do.
  set_source_files_properties(${_vk_dir}/sparse_matmul.cpp PROPERTIES COMPILE_OPTIONS -ffp-contract=off)
endif()
# One translation unit per (kernel, ISA); the kernel bodies are shared (simd/*_simd.inc).
set(_vk_kernels conv2d_relu conv2d_backprop_input conv2d_backprop_filter bias_add_grad)

set(_vk_defs "")
set(_vk_x86 OFF)
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64|x64|i[3-6]86|x86)$")
  set(_vk_x86 ON)
endif()

if(_vk_x86)
  if(MSVC)
    set(_vk_avx2_flags /arch:AVX2)
    set(_vk_avx512_flags /arch:AVX512)
  else()
    # The ISA kernels never throw: without exception tables no EH personality reference (a weak
    # DW.ref.__gxx_personality_v0, emitted under ASan for the stack-unpoisoning cleanups) can
    # appear in an ISA object.
    set(_vk_avx2_flags -mavx2 -mfma -fno-exceptions)
    set(_vk_avx512_flags -mavx512f -mavx512bw -mavx512vl -mavx512dq -mavx2 -mfma -fno-exceptions)
  endif()

  if(VARSTORE_ENABLE_AVX2)
    string(REPLACE ";" " " _vk_flag_str "${_vk_avx2_flags}")
    check_cxx_compiler_flag("${_vk_flag_str}" VARSTORE_CXX_HAS_AVX2_FLAGS)
    if(VARSTORE_CXX_HAS_AVX2_FLAGS)
      set(_vk_files ${_vk_dir}/fma_peak_avx2.cpp)
      foreach(_k IN LISTS _vk_kernels)
        list(APPEND _vk_files ${_vk_dir}/${_k}_avx2.cpp)
      endforeach()
      list(APPEND VARSTORE_KERNEL_SOURCES ${_vk_files})
      set_source_files_properties(${_vk_files} PROPERTIES COMPILE_OPTIONS "${_vk_avx2_flags}")
      list(APPEND _vk_defs VARSTORE_KERNEL_HAVE_AVX2=1)
    endif()
  endif()

  if(VARSTORE_ENABLE_AVX512)
    string(REPLACE ";" " " _vk_flag_str "${_vk_avx512_flags}")
    check_cxx_compiler_flag("${_vk_flag_str}" VARSTORE_CXX_HAS_AVX512_FLAGS)
    if(VARSTORE_CXX_HAS_AVX512_FLAGS)
      set(_vk_files ${_vk_dir}/fma_peak_avx512.cpp)
      foreach(_k IN LISTS _vk_kernels)
        list(APPEND _vk_files ${_vk_dir}/${_k}_avx512.cpp)
      endforeach()
      list(APPEND VARSTORE_KERNEL_SOURCES ${_vk_files})
      set_source_files_properties(${_vk_files} PROPERTIES COMPILE_OPTIONS "${_vk_avx512_flags}")
      list(APPEND _vk_defs VARSTORE_KERNEL_HAVE_AVX512=1)
    endif()
  endif()
endif()

set_source_files_properties(${_vk_dir}/dispatch.cpp ${_vk_dir}/fma_peak.cpp
  PROPERTIES COMPILE_DEFINITIONS "${_vk_defs}")
set_property(GLOBAL PROPERTY VARSTORE_KERNEL_DEFINITIONS "${_vk_defs}")
set_property(GLOBAL PROPERTY VARSTORE_KERNEL_SOURCE_DIR "${_vk_dir}")
message(STATUS "varstore kernels: scalar + [${_vk_defs}]")

unset(_vk_dir)
unset(_vk_x86)
unset(_vk_flag_str)
unset(_vk_defs)
unset(_vk_kernels)
unset(_vk_files)

