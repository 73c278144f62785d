// Password rules for every password a person chooses (sign-up, setting a password from an
// emailed link, the operator's `account create`): at least kMinPasswordLength characters, at
// most 1024 bytes, not one of the most common passwords (a small embedded list, compared
// case-insensitively), not one character repeated, and not containing the local part of the
// account's email address. Following NIST SP 800-63B §5.1.1.2: length and a blocklist, no
// composition rules. Thread-safe (pure).
#pragma once

#include <cstddef>
#include <string>

#include "core/status.h"

namespace countersign {

inline constexpr size_t kMinPasswordLength = 10;

// OK, or kInvalidArgument (path "password") whose message says what to change. `email` may be
// empty (then the local-part rule is skipped); `min_length` is normally kMinPasswordLength.
Status CheckNewPassword(const std::string& password, const std::string& email,
                        size_t min_length = kMinPasswordLength);

}  // namespace countersign
