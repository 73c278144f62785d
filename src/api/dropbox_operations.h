// The operations of the Dropbox Sign API v3 (from its OpenAPI description), and the answer for
// those Countersign does not serve yet: one clear error naming the operation, never a
// misleading 404 or 405. Data and pure functions; thread-safe.
#pragma once

#include <vector>

#include "http/router.h"

namespace countersign::api {

struct DropboxOperation {
  const char* method;        // "GET"
  const char* path;          // "/v3/template/list", captures as "{template_id}"
  const char* operation_id;  // "templateList"
};

// Every operation of the API, in the OpenAPI file's order.
const std::vector<DropboxOperation>& DropboxOperations();

// Adds, for each operation `router` has no route for yet, a route answering 403 `forbidden`
// (the status Dropbox Sign gives an operation an account cannot use, which the SDKs surface
// with its error_msg) naming the operation. Call after every real route is registered.
void RegisterUnimplementedOperations(http::Router& router);

}  // namespace countersign::api
