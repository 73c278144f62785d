#include "core/ids.h"

#include "core/crypto.h"

namespace countersign {

std::string NewAccountId() { return RandomHex(20); }
std::string NewClientId() { return RandomHex(16); }
std::string NewInternalId() { return RandomHex(16); }
std::string NewSecret() { return RandomHex(32); }

std::string NewRequestId() { return BufferedRandomHex(8); }

}  // namespace countersign
