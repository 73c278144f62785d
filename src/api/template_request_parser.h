// Reads the fields of POST /v3/template/create, /template/update/{id},
// /template/update_files/{id} and /signature_request/send_with_template, in any encoding the
// clients use (JSON, SDK multipart with JSON-text fields, legacy bracket form). Types and
// shapes only; TemplateService checks values. Not thread-safe (per request).
#pragma once

#include "api/fields.h"
#include "core/status.h"
#include "service/template_service.h"

namespace countersign::api {

StatusOr<TemplateInput> ParseTemplateCreate(RequestFields& fields);
StatusOr<TemplateChange> ParseTemplateUpdate(RequestFields& fields);
StatusOr<TemplateFilesInput> ParseTemplateFiles(RequestFields& fields);
// The send parameters (as /signature_request/send reads them) plus template_ids, signers with
// their role, and ccs.
StatusOr<TemplateSendInput> ParseSendWithTemplate(RequestFields& fields);

}  // namespace countersign::api
