#include "api/dropbox_operations.h"

#include "http/status_mapping.h"

namespace countersign::api {

const std::vector<DropboxOperation>& DropboxOperations() {
  // From the paths of reference/dropbox-sign/openapi.yaml (server URL .../v3).
  static const std::vector<DropboxOperation> kOperations = {
      {"POST", "/v3/account/create", "accountCreate"},
      {"GET", "/v3/account", "accountGet"},
      {"PUT", "/v3/account", "accountUpdate"},
      {"POST", "/v3/account/verify", "accountVerify"},
      {"POST", "/v3/api_app", "apiAppCreate"},
      {"GET", "/v3/api_app/{client_id}", "apiAppGet"},
      {"PUT", "/v3/api_app/{client_id}", "apiAppUpdate"},
      {"DELETE", "/v3/api_app/{client_id}", "apiAppDelete"},
      {"GET", "/v3/api_app/list", "apiAppList"},
      {"GET", "/v3/bulk_send_job/{bulk_send_job_id}", "bulkSendJobGet"},
      {"GET", "/v3/bulk_send_job/list", "bulkSendJobList"},
      {"POST", "/v3/embedded/edit_url/{template_id}", "embeddedEditUrl"},
      {"GET", "/v3/embedded/sign_url/{signature_id}", "embeddedSignUrl"},
      {"GET", "/v3/fax/{fax_id}", "faxGet"},
      {"DELETE", "/v3/fax/{fax_id}", "faxDelete"},
      {"GET", "/v3/fax/files/{fax_id}", "faxFiles"},
      {"PUT", "/v3/fax_line/add_user", "faxLineAddUser"},
      {"GET", "/v3/fax_line/area_codes", "faxLineAreaCodeGet"},
      {"POST", "/v3/fax_line/create", "faxLineCreate"},
      {"GET", "/v3/fax_line", "faxLineGet"},
      {"DELETE", "/v3/fax_line", "faxLineDelete"},
      {"GET", "/v3/fax_line/list", "faxLineList"},
      {"PUT", "/v3/fax_line/remove_user", "faxLineRemoveUser"},
      {"GET", "/v3/fax/list", "faxList"},
      {"POST", "/v3/fax/send", "faxSend"},
      {"POST", "/v3/oauth/token", "oauthTokenGenerate"},
      {"POST", "/v3/report/create", "reportCreate"},
      {"POST", "/v3/signature_request/bulk_create_embedded_with_template",
       "signatureRequestBulkCreateEmbeddedWithTemplate"},
      {"POST", "/v3/signature_request/bulk_send_with_template",
       "signatureRequestBulkSendWithTemplate"},
      {"POST", "/v3/signature_request/cancel/{signature_request_id}", "signatureRequestCancel"},
      {"POST", "/v3/signature_request/create_embedded", "signatureRequestCreateEmbedded"},
      {"POST", "/v3/signature_request/create_embedded_with_template",
       "signatureRequestCreateEmbeddedWithTemplate"},
      {"PUT", "/v3/signature_request/edit/{signature_request_id}", "signatureRequestEdit"},
      {"PUT", "/v3/signature_request/edit_embedded/{signature_request_id}",
       "signatureRequestEditEmbedded"},
      {"PUT", "/v3/signature_request/edit_embedded_with_template/{signature_request_id}",
       "signatureRequestEditEmbeddedWithTemplate"},
      {"PUT", "/v3/signature_request/edit_with_template/{signature_request_id}",
       "signatureRequestEditWithTemplate"},
      {"GET", "/v3/signature_request/files/{signature_request_id}", "signatureRequestFiles"},
      {"GET", "/v3/signature_request/files_as_data_uri/{signature_request_id}",
       "signatureRequestFilesAsDataUri"},
      {"GET", "/v3/signature_request/files_as_file_url/{signature_request_id}",
       "signatureRequestFilesAsFileUrl"},
      {"GET", "/v3/signature_request/{signature_request_id}", "signatureRequestGet"},
      {"GET", "/v3/signature_request/list", "signatureRequestList"},
      {"POST", "/v3/signature_request/release_hold/{signature_request_id}",
       "signatureRequestReleaseHold"},
      {"POST", "/v3/signature_request/remind/{signature_request_id}", "signatureRequestRemind"},
      {"POST", "/v3/signature_request/remove/{signature_request_id}", "signatureRequestRemove"},
      {"POST", "/v3/signature_request/send", "signatureRequestSend"},
      {"POST", "/v3/signature_request/send_with_template", "signatureRequestSendWithTemplate"},
      {"POST", "/v3/signature_request/update/{signature_request_id}", "signatureRequestUpdate"},
      {"PUT", "/v3/team/add_member", "teamAddMember"},
      {"POST", "/v3/team/create", "teamCreate"},
      {"DELETE", "/v3/team/destroy", "teamDelete"},
      {"GET", "/v3/team", "teamGet"},
      {"PUT", "/v3/team", "teamUpdate"},
      {"GET", "/v3/team/info", "teamInfo"},
      {"GET", "/v3/team/invites", "teamInvites"},
      {"GET", "/v3/team/members/{team_id}", "teamMembers"},
      {"POST", "/v3/team/remove_member", "teamRemoveMember"},
      {"GET", "/v3/team/sub_teams/{team_id}", "teamSubTeams"},
      {"POST", "/v3/template/add_user/{template_id}", "templateAddUser"},
      {"POST", "/v3/template/create", "templateCreate"},
      {"POST", "/v3/template/create_embedded_draft", "templateCreateEmbeddedDraft"},
      {"POST", "/v3/template/delete/{template_id}", "templateDelete"},
      {"GET", "/v3/template/files/{template_id}", "templateFiles"},
      {"GET", "/v3/template/files_as_data_uri/{template_id}", "templateFilesAsDataUri"},
      {"GET", "/v3/template/files_as_file_url/{template_id}", "templateFilesAsFileUrl"},
      {"GET", "/v3/template/{template_id}", "templateGet"},
      {"GET", "/v3/template/list", "templateList"},
      {"POST", "/v3/template/remove_user/{template_id}", "templateRemoveUser"},
      {"POST", "/v3/template/update_files/{template_id}", "templateUpdateFiles"},
      {"POST", "/v3/unclaimed_draft/create", "unclaimedDraftCreate"},
      {"POST", "/v3/unclaimed_draft/create_embedded", "unclaimedDraftCreateEmbedded"},
      {"POST", "/v3/unclaimed_draft/create_embedded_with_template",
       "unclaimedDraftCreateEmbeddedWithTemplate"},
      {"POST", "/v3/unclaimed_draft/edit_and_resend/{signature_request_id}",
       "unclaimedDraftEditAndResend"},
  };
  return kOperations;
}

void RegisterUnimplementedOperations(http::Router& router) {
  for (const DropboxOperation& op : DropboxOperations()) {
    if (router.Has(op.method, op.path)) continue;
    const std::string message = "Countersign does not implement the Dropbox Sign operation " +
                                std::string(op.operation_id) + " (" + op.method + " " + op.path +
                                ") yet.";
    router.Add(op.method, op.path, [message](http::Request&) {
      return http::ErrorResponse(Status(Code::kPermissionDenied, message));
    });
  }
}

}  // namespace countersign::api
