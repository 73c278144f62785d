// The spaces of the stores' key locks (SqlConnection::LockKey): one per kind of key, so a
// callback URL and a request id never share a lock. Values are stored nowhere; changing them
// only needs every instance of a cluster to run the same build.
#pragma once

namespace countersign {

inline constexpr int kCallbackUrlLockSpace = 1;   // orders deliveries to one callback URL
inline constexpr int kRequestAuditLockSpace = 2;  // orders one request's audit trail

}  // namespace countersign
