#pragma once
// Fixture for the include check: linalg sits below lqer, so this include must be rejected.
#include "core/common/tensor.h"
#include "core/lqer/lqer.h"
