#include "http/multipart.h"

#include <restinio/helpers/http_field_parsers/content-disposition.hpp>
#include <restinio/helpers/http_field_parsers/content-type.hpp>
#include <restinio/helpers/multipart_body.hpp>

namespace countersign::http {

namespace hfp = restinio::http_field_parsers;
namespace mb = restinio::multipart_body;

namespace {

std::optional<std::string> Param(const hfp::parameter_with_mandatory_value_container_t& params,
                                 std::string_view name) {
  for (const auto& p : params) {
    if (restinio::impl::is_equal_caseless(p.first, name)) return p.second;
  }
  return std::nullopt;
}

}  // namespace

StatusOr<std::vector<FormPart>> ParseMultipart(std::string_view content_type,
                                               std::string_view body) {
  auto ct = hfp::content_type_value_t::try_parse(content_type);
  if (!ct) return InvalidArgument("Malformed Content-Type header");
  auto boundary = Param(ct->media_type.parameters, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 70) {
    return InvalidArgument("multipart/form-data without a valid boundary");
  }
  const std::string delimiter = "--" + *boundary;
  std::vector<FormPart> out;
  const auto parts = mb::split_multipart_body(body, delimiter);
  if (parts.empty() && !body.empty()) return InvalidArgument("Malformed multipart body");
  for (restinio::string_view_t raw : parts) {
    auto parsed = mb::try_parse_part(raw);
    if (!parsed) return InvalidArgument("Malformed multipart body part");
    FormPart part;
    const auto* disposition = parsed->fields.opt_value_of(restinio::http_field::content_disposition)
                                  ? &parsed->fields
                                  : nullptr;
    if (!disposition) return InvalidArgument("A multipart part has no Content-Disposition");
    auto cd = hfp::content_disposition_value_t::try_parse(
        *parsed->fields.opt_value_of(restinio::http_field::content_disposition));
    if (!cd) return InvalidArgument("Malformed Content-Disposition in a multipart part");
    auto name = Param(cd->parameters, "name");
    if (!name) return InvalidArgument("A multipart part has no name");
    part.name = *name;
    part.filename = Param(cd->parameters, "filename");
    if (auto t = parsed->fields.opt_value_of(restinio::http_field::content_type)) {
      part.content_type = std::string(*t);
    }
    part.data = std::string_view(parsed->body.data(), parsed->body.size());
    out.push_back(std::move(part));
  }
  return out;
}

}  // namespace countersign::http
