// The caller of an API request as the services see it: the principal's account, the app of its
// token (none for the API key), and the caller's address and user agent for the audit trail.
#pragma once

#include "api/auth.h"
#include "http/message.h"
#include "service/signature_request_service.h"

namespace countersign::api {

RequestViewer ViewerOf(const Principal& p, const http::Request& req);

}  // namespace countersign::api
