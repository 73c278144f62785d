// FormRefusal: how a posted form's refusal is shown. The services answer a form they will not
// act on with kInvalidArgument (a value is wrong: 400) or kPermissionDenied (the account may
// not do this: 403); the page then shows the form again, with what was posted and this message
// above it. Any other error is not the form's fault and gets the error page instead.
#pragma once

#include <optional>
#include <string>

#include "core/status.h"

namespace countersign::web {

struct FormRefusal {
  int http_status = 400;
  std::string message;  // the service's message, with " (field)" when it names one
};

// The refusal `st` stands for, or nullopt when `st` is not a form's refusal (an error page's).
std::optional<FormRefusal> FormRefusalOf(const Status& st);

}  // namespace countersign::web
