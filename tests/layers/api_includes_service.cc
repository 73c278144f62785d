// Must compile: the API layer builds on the services (the control case of the layer tests).
#include "api/respond.h"
#include "service/oauth_service.h"
