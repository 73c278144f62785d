// The field overlay of the signing page: a signer's form fields drawn where they are on the page
// images. Each page image sits in a frame of the page's proportions; each field is a box placed
// in percent of the page (positions come in a <style> element with a per-response nonce, as the
// CSP forbids style attributes) holding its control:
//   text       <input> (password for masked), with required / pattern / placeholder / autocomplete
//   checkbox   <input type=checkbox value=1>; in a form_field_groups group, data-group /
//              data-requirement / data-group-text for the page script, which checks the group
//   radio      <input type=radio name=radio[<group>] value=<api_id>>
//   dropdown   <select> of its options
//   signature, initials, date_signed   a link to the signature section ("filled when you sign")
//   hyperlink  a link opening its content_url in a new tab
//   text-merge / checkbox-merge        the sender's value, read only
// Controls carry form="sign-form", names of field_values.h, an aria-label naming the field,
// its page and whether it is required; they come in document order (FieldsOfSigner), which is
// the keyboard order. Values posted back are shown again when the page is re-rendered with an
// error. Each field's box carries data-api-id (and data-group-id) for the rules script.
#pragma once

#include <string>

#include "service/signing_service.h"
#include "web/ctemplate_headers.h"

namespace countersign::web {

// The CSS rule giving the page frame `frame_id` the proportions of a page of `size` (the fields
// inside are placed in percent of it). Also used by the template editor.
std::string PageFrameCss(const std::string& frame_id, DisplayedPageSize size);

class FieldOverlay {
 public:
  // `posted`: the values of a POST being answered again (empty on GET).
  FieldOverlay(const SignerSession& session, const SubmittedFields& posted, bool is_post);

  // Fills the FIELD sections of the page dictionary `page` (document `file_index`, 0-based page
  // `page_index`) and its FRAME_ID, and adds the page's and its fields' positions to the style.
  void AddPage(size_t file_index, int page_index, ctemplate::TemplateDictionary& page);

  // The CSS placing the frames and fields added so far: only numbers and generated ids, so the
  // template writes it unescaped ({{CSS:none}}; CSS escaping would strip its braces).
  const std::string& css() const { return css_; }

  // The form_field_rules the page script applies (JSON text, as the API takes them), or "".
  std::string RulesJson() const;

  // How many fields the signer fills on the page, and how many of them are required.
  int fillable() const { return fillable_; }
  int required() const { return required_; }

 private:
  void AddField(const FormField& f, ctemplate::TemplateDictionary& page);

  const SignerSession& session_;
  const SubmittedFields& posted_;
  const bool is_post_;
  std::vector<FormField> fields_;  // the signer's and the merge fields, in document order
  std::vector<CustomField> custom_;
  std::vector<FormFieldGroup> groups_;
  std::vector<FormFieldRule> rules_;  // whose trigger is one of this signer's fields
  std::string css_;
  int fillable_ = 0;
  int required_ = 0;
};

}  // namespace countersign::web
