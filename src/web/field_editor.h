// The field editor's markup (field_editor.html, driven by /static/template-editor.js), written
// once for the pages that place fields: a template's page (template_editor.cc) and a draft's
// prepare page (draft_form.cc). Not thread-safe (per request).
#pragma once

#include <string>
#include <vector>

#include "model/signature_request_records.h"
#include "web/ctemplate_headers.h"

namespace countersign::web {

struct FieldEditorRole {
  std::string value;  // what a field's `signer` becomes: an index as text, or "sender"
  std::string label;
};

struct FieldEditorInput {
  std::vector<FieldEditorRole> roles;
  const std::vector<RequestFile>* files = nullptr;  // the documents whose pages are shown
  // The image of page p (0-based) of document f: image_prefix + "f/p.png" + image_suffix.
  std::string image_prefix;
  std::string image_suffix;
  std::string fields_json;  // form_fields_per_document the editor starts from
};

// Adds the FIELD_EDITOR include to `data`, filled from `in`; returns the CSS that sizes the page
// frames (for the page's <style nonce>).
std::string ShowFieldEditor(ctemplate::TemplateDictionary& data, const FieldEditorInput& in);

}  // namespace countersign::web
