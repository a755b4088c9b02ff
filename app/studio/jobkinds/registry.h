#pragma once

// The studio's job kinds (registry.cpp is the one list).

#include "app/studio/jobkind.h"

#include <memory>
#include <vector>

namespace lqer {

std::vector<std::unique_ptr<JobKind>> createJobKinds();

} // namespace lqer
