// Typed errors of the core. The bindings turn each into the Python exception TF raises
// (ValueError or TypeError), with the message text unchanged.
#pragma once

#include <stdexcept>
#include <string>

namespace varstore {

// Base of every error that maps to Python's ValueError.
class ValueError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Base of every error that maps to Python's TypeError.
class TypeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class VariableExistsError : public ValueError {
 public:
  using ValueError::ValueError;
};
class VariableMissingError : public ValueError {
 public:
  using ValueError::ValueError;
};
class ShapeMismatchError : public ValueError {
 public:
  using ValueError::ValueError;
};
class DTypeMismatchError : public ValueError {
 public:
  using ValueError::ValueError;
};
class InvalidNameError : public ValueError {
 public:
  using ValueError::ValueError;
};

}  // namespace varstore
