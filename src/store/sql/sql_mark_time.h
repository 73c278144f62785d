// Times stored in "happened at" columns (used_at, spent_at, revoked_at) where 0 means "not
// yet": a clock at 0 must not make a mark invisible, so marks are stored as at least 1.
#pragma once

#include <algorithm>
#include <cstdint>

namespace countersign {

inline int64_t MarkTime(int64_t now) { return std::max<int64_t>(now, 1); }

}  // namespace countersign
