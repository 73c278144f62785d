#include "service/operator_service.h"

#include "service/paging.h"
#include "service/validation.h"

namespace countersign {

Status OperatorService::CheckOperator(const Account& actor) {
  if (!actor.is_admin || actor.is_locked) {
    return PermissionDenied("Only operators may do this.");
  }
  return Status::Ok();
}

StatusOr<std::vector<ApiApp>> OperatorService::Apps(const Account& actor, int page) {
  CS_RETURN_IF_ERROR(CheckOperator(actor));
  if (page < 1) return InvalidArgument("page must be 1 or more", "page");
  return apps_.ListAll(PageOffset(page, kPageSize), kPageSize);
}

Status OperatorService::SetApproved(const Account& actor, const std::string& client_id,
                                    bool approved) {
  CS_RETURN_IF_ERROR(CheckOperator(actor));
  CS_ASSIGN_OR_RETURN(ApiApp app, apps_.FindByClientId(client_id));
  app.is_approved = approved;
  return apps_.Update(app);
}

StatusOr<std::vector<Account>> OperatorService::FindAccounts(const Account& actor,
                                                             const std::string& query) {
  CS_RETURN_IF_ERROR(CheckOperator(actor));
  const std::string q = Trim(query);
  if (q.size() < 2) return InvalidArgument("Type at least 2 characters of the email.", "q");
  return accounts_.Search(q, kPageSize);
}

Status OperatorService::SetLocked(const Account& actor, const std::string& account_id,
                                  bool locked) {
  CS_RETURN_IF_ERROR(CheckOperator(actor));
  if (locked && account_id == actor.id) {
    return InvalidArgument("You cannot lock your own account.", "account_id");
  }
  CS_ASSIGN_OR_RETURN(Account account, accounts_.FindById(account_id));
  account.is_locked = locked;
  return accounts_.Update(account);
}

Status OperatorService::SetOperator(const std::string& email, bool is_operator) {
  CS_ASSIGN_OR_RETURN(Account account, accounts_.FindByEmail(ToLower(Trim(email))));
  account.is_admin = is_operator;
  return accounts_.Update(account);
}

}  // namespace countersign
