#pragma once

// Run-time CPU checks for the SIMD fast paths, which are compiled under their own target
// attributes (the build targets baseline x86-64) and chosen once per process.

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

namespace decruft::cpu {

// AVX2 with POPCNT (every AVX2 CPU has it; the fast paths count bits of compare masks).
inline bool has_avx2() {
  static const bool has = [] {
    __builtin_cpu_init();  // may run before libgcc's own initialiser did
    return __builtin_cpu_supports("avx2") != 0 && __builtin_cpu_supports("popcnt") != 0;
  }();
  return has;
}

}  // namespace decruft::cpu

#endif
