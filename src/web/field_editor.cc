#include "web/field_editor.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/json_dump.h"
#include "web/field_overlay.h"

namespace countersign::web {
namespace {

std::string Number(double value) {
  char out[32];
  std::snprintf(out, sizeof out, "%.3f", value);
  return out;
}

}  // namespace

std::string ShowFieldEditor(ctemplate::TemplateDictionary& data, const FieldEditorInput& in) {
  ctemplate::TemplateDictionary* editor = data.AddIncludeDictionary("FIELD_EDITOR");
  editor->SetFilename("field_editor.html");
  nlohmann::json roles = nlohmann::json::array();
  for (const FieldEditorRole& role : in.roles) {
    roles.push_back({{"value", role.value}, {"label", role.label}});
    if (role.value == "sender") continue;  // merge fields are placed, not chosen for new ones
    ctemplate::TemplateDictionary* option = editor->AddSectionDictionary("ROLE");
    option->SetValue("VALUE", role.value);
    option->SetValue("LABEL", role.label);
  }
  editor->SetValue("ROLES_JSON", DumpJson(roles));
  editor->SetValue("FIELDS_JSON", in.fields_json);
  std::string css;
  if (in.files == nullptr) return css;
  for (size_t f = 0; f < in.files->size(); ++f) {
    const RequestFile& file = (*in.files)[f];
    ctemplate::TemplateDictionary* doc = editor->AddSectionDictionary("DOCUMENT");
    doc->SetValue("NAME", file.name);
    for (int p = 0; p < file.page_count; ++p) {
      const DisplayedPageSize size = PageSizeOf(file, p);
      const std::string frame = "pg-" + std::to_string(f) + "-" + std::to_string(p);
      ctemplate::TemplateDictionary* img = doc->AddSectionDictionary("PAGE");
      img->SetValue("FRAME_ID", frame);
      img->SetIntValue("DOC", static_cast<long>(f));
      img->SetIntValue("PAGE", p + 1);
      img->SetValue("WIDTH", Number(size.width));
      img->SetValue("HEIGHT", Number(size.height));
      img->SetValue("SRC", in.image_prefix + std::to_string(f) + "/" + std::to_string(p) + ".png" +
                               in.image_suffix);
      img->SetValue("ALT", "Page " + std::to_string(p + 1) + " of " + file.name +
                               ": click to add a field here");
      css += PageFrameCss(frame, size);
    }
  }
  return css;
}

}  // namespace countersign::web
