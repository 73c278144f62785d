// SignatureRequestService after the send: who sees a request (Get, List) and what its sender
// may still do with it (Cancel, Remind, Update). The send and its documents are in
// signature_request_service.cc.
#include <algorithm>

#include "service/list_query.h"
#include "service/paging.h"
#include "service/request_events.h"
#include "service/send_validation.h"
#include "service/signature_request_service.h"
#include "service/signer_mail.h"
#include "service/text_validation.h"
#include "service/validation.h"

namespace countersign {

namespace {

// Whether the viewer's account has confirmed its email address. Until it has, anyone could
// have claimed the address, so the requests sent to it (as a signer or cc) stay hidden.
StatusOr<bool> EmailConfirmed(AccountStore& accounts, const RequestViewer& viewer) {
  CS_ASSIGN_OR_RETURN(Account account, accounts.FindById(viewer.account_id));
  return account.email_confirmed;
}

// The rule of who sees a request, matching what /list shows: the requester with the API key;
// an app only what its own tokens created for this user; a signer's confirmed account the
// requests it was listed for when they reached it.
StatusOr<bool> Visible(SignatureRequestStore& store, AccountStore& accounts,
                       const RequestViewer& viewer, const SignatureRequest& r) {
  if (!viewer.token_client_id.empty()) {
    return r.account_id == viewer.account_id && r.created_by_client_id == viewer.token_client_id;
  }
  if (r.account_id == viewer.account_id) return true;
  CS_ASSIGN_OR_RETURN(bool confirmed, EmailConfirmed(accounts, viewer));
  if (!confirmed) return false;
  return store.IsListedFor(viewer.account_id, r.id);
}

}  // namespace

StatusOr<SignatureRequest> SignatureRequestService::View(const RequestViewer& viewer,
                                                         const std::string& id) {
  auto r = store_.Get(id);
  if (!r.ok()) return r.status();
  CS_ASSIGN_OR_RETURN(bool visible, Visible(store_, accounts_, viewer, *r));
  if (!visible) return NotFound("Signature request not found.");
  return r;
}

StatusOr<SignatureRequest> SignatureRequestService::Get(const RequestViewer& viewer,
                                                        const std::string& id) {
  auto r = View(viewer, id);
  if (!r.ok()) return r.status();
  if (r->canceled_at != 0) {
    return Status(Code::kGone, "This signature request has been canceled.");
  }
  return r;
}

StatusOr<SignatureRequest> SignatureRequestService::GetById(const std::string& id) {
  CS_ASSIGN_OR_RETURN(SignatureRequest r, store_.Get(id));
  if (r.canceled_at != 0) return Status(Code::kGone, "This signature request has been canceled.");
  return r;
}

StatusOr<RequestPage> SignatureRequestService::List(const RequestViewer& viewer,
                                                    const ListInput& input) {
  if (input.page < 1) return InvalidArgument("page must be 1 or more", "page");
  if (input.page_size < 1 || input.page_size > 100) {
    return InvalidArgument("page_size must be between 1 and 100", "page_size");
  }
  RequestListFilter filter;
  filter.account_id = viewer.account_id;
  if (!viewer.token_client_id.empty()) {
    filter.created_by_client_id = viewer.token_client_id;
  } else {
    CS_ASSIGN_OR_RETURN(bool confirmed, EmailConfirmed(accounts_, viewer));
    filter.sent_only = !confirmed;
  }
  CS_RETURN_IF_ERROR(ParseListQuery(input.query, filter));
  filter.box = input.box;
  filter.viewer_email = viewer.email;
  filter.now = clock_.NowSeconds();
  filter.limit = input.page_size;
  filter.offset = PageOffset(input.page, input.page_size);
  return store_.List(filter);
}

StatusOr<std::vector<AuditEntry>> SignatureRequestService::AuditTrail(const RequestViewer& viewer,
                                                                      const std::string& id) {
  CS_ASSIGN_OR_RETURN(SignatureRequest r, View(viewer, id));
  return store_.Audit(r.id);
}

Status SignatureRequestService::Cancel(const RequestViewer& viewer, const std::string& id) {
  CS_ASSIGN_OR_RETURN(SignatureRequest r, Get(viewer, id));
  if (r.account_id != viewer.account_id) {
    return PermissionDenied("Only the sender can cancel this request.");
  }
  if (r.is_complete) return Conflict("This signature request is already complete.");
  const int64_t now = clock_.NowSeconds();
  Status st = store_.Cancel(id, now, RequestEvent(r, "signature_request_canceled", now));
  if (st.code() == Code::kConflict) {  // canceled or completed meanwhile
    return Status(Code::kGone, "This signature request has been canceled.");
  }
  return st;
}

StatusOr<SignatureRequest> SignatureRequestService::Remind(const RequestViewer& viewer,
                                                           const std::string& id,
                                                           const std::string& email_in,
                                                           const std::string& name) {
  const std::string email = ToLower(Trim(email_in));
  if (email.empty()) return InvalidArgument("This value should not be blank", "email_address");
  if (!IsValidEmail(email)) return InvalidArgument("Invalid email address", "email_address");
  CS_ASSIGN_OR_RETURN(SignatureRequest r, Get(viewer, id));
  if (r.account_id != viewer.account_id) {
    return PermissionDenied("Only the sender can send reminders.");
  }
  if (r.embedded) {
    return InvalidArgument("Reminders cannot be sent for embedded signature requests.");
  }
  if (r.is_complete) return Conflict("This signature request is already complete.");
  std::vector<size_t> turn = SignersWhoseTurnItIs(r);
  for (size_t i : turn) {
    Signature& s = r.signatures[i];
    if (s.email != email || (!name.empty() && s.name != name)) continue;
    const int64_t now = clock_.NowSeconds();
    // The reminder's link replaces the earlier one; its hash is stored with the reminder.
    QueuedMail mail = SignerMail(r, s, public_url_.Get(), now, SignerMailKind::kReminder);
    CS_ASSIGN_OR_RETURN(
        bool sent,
        store_.TryRemind(s.signature_id, now, options_.remind_interval_seconds, s.access_hash, mail,
                         RequestEvent(r, "signature_request_remind", now, s.signature_id)));
    if (!sent) return Conflict("This signer was reminded less than an hour ago.");
    s.last_reminded_at = now;
    return r;
  }
  return InvalidArgument("No signer with this email address is waiting to sign.", "email_address");
}

StatusOr<SignatureRequest> SignatureRequestService::Update(const RequestViewer& viewer,
                                                           const std::string& id,
                                                           const SignerChange& change) {
  if (change.signature_id.empty()) {
    return InvalidArgument("This value should not be blank", "signature_id");
  }
  if (!change.email && !change.name && !change.expires_at) {
    return InvalidArgument("Give email_address, name or expires_at", "email_address");
  }
  CS_ASSIGN_OR_RETURN(SignatureRequest r, Get(viewer, id));
  if (r.account_id != viewer.account_id) {
    return PermissionDenied("Only the sender can update this request.");
  }
  if (r.is_complete) return Conflict("This signature request is already complete.");
  if (r.expired_at != 0) return Conflict("This signature request has expired.");
  auto it = std::find_if(r.signatures.begin(), r.signatures.end(),
                         [&](const Signature& s) { return s.signature_id == change.signature_id; });
  if (it == r.signatures.end()) {
    return InvalidArgument("No signer of this request has this signature_id", "signature_id");
  }
  const int64_t now = clock_.NowSeconds();
  if (change.expires_at) {
    SendInput probe;
    probe.expires_at = change.expires_at;
    CS_RETURN_IF_ERROR(ValidateTexts(probe, now));
  }
  if (change.email || change.name) {
    if (it->status_code != "awaiting_signature") {
      return Conflict("This signer has already signed or declined.");
    }
    Signature updated = *it;
    std::vector<QueuedMail> mails;
    if (change.name) {
      updated.name = Trim(*change.name);
      if (updated.name.empty() || updated.name.size() > 255) {
        return InvalidArgument("name must be 1 to 255 characters", "name");
      }
      CS_RETURN_IF_ERROR(CheckPlainText(updated.name, "name"));
    }
    if (change.email) {
      std::string email = ToLower(Trim(*change.email));
      if (!IsValidEmail(email)) return InvalidArgument("Invalid email address", "email_address");
      if (email != it->email) {
        // A new person: a new signature id, and earlier links stop working.
        updated.email = email;
        updated.signature_id = NewClientId();
        updated.access_hash.clear();
        updated.last_viewed_at = 0;
        updated.last_reminded_at = 0;
        *it = updated;
        std::vector<size_t> turn = SignersWhoseTurnItIs(r);
        size_t pos = static_cast<size_t>(it - r.signatures.begin());
        if (!r.embedded && std::find(turn.begin(), turn.end(), pos) != turn.end()) {
          mails.push_back(SignerMail(r, updated, public_url_.Get(), now, SignerMailKind::kRequest));
        }
      }
    }
    CS_RETURN_IF_ERROR(store_.UpdateSigner(r.id, change.signature_id, updated, mails));
    *it = updated;
  }
  if (change.expires_at) {
    CS_RETURN_IF_ERROR(store_.SetExpiry(r.id, *change.expires_at));
    r.expires_at = *change.expires_at;
  }
  return r;
}

}  // namespace countersign
