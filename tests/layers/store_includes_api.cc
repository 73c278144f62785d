// Must not compile: a store may not include the HTTP API layer above it. Built only by the
// ctest `layers.store_cannot_include_api` (expected to fail), never by the default build.
#include "api/fields.h"
#include "store/sql/sql_json.h"
