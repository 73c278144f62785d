// Must not compile: the wire format may not include the services above it. Built only by the
// ctest `layers.wire_cannot_include_service` (expected to fail), never by the default build.
#include "service/oauth_service.h"
#include "wire/render.h"
