#include "web/form_refusal.h"

namespace countersign::web {

std::optional<FormRefusal> FormRefusalOf(const Status& st) {
  if (st.code() != Code::kInvalidArgument && st.code() != Code::kPermissionDenied) {
    return std::nullopt;
  }
  FormRefusal refusal;
  refusal.http_status = st.code() == Code::kInvalidArgument ? 400 : 403;
  refusal.message = st.message();
  if (!st.path().empty()) refusal.message += " (" + st.path() + ")";
  return refusal;
}

}  // namespace countersign::web
