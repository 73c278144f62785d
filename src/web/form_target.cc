#include "web/form_target.h"

namespace countersign::web {

ctemplate::TemplateDictionary* ShowFormTarget(PageContext& page, Page& out,
                                              const FormTarget& target) {
  ctemplate::TemplateDictionary& data = out.data();
  data.SetValue("ACTION", target.action);
  for (const auto& [name, value] : target.hidden) {
    ctemplate::TemplateDictionary* hidden = data.AddSectionDictionary("HIDDEN");
    hidden->SetValue("NAME", name);
    hidden->SetValue("VALUE", value);
  }
  if (!target.embedded) {
    data.ShowSection("CSRF");
    return nullptr;
  }
  out.SetBare();
  page.AllowFraming(target.parent_origin);
  ctemplate::TemplateDictionary* embedded = data.AddSectionDictionary("EMBEDDED");
  embedded->SetValue("PARENT_ORIGIN", target.parent_origin);
  embedded->SetValue("VERIFY", target.verify ? "1" : "0");
  return embedded;
}

}  // namespace countersign::web
