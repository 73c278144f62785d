#include "api/request_viewer.h"

#include <string>

namespace countersign::api {

RequestViewer ViewerOf(const Principal& p, const http::Request& req) {
  return RequestViewer{p.account.id, p.account.email, p.via_api_key ? "" : p.client_id,
                       req.remote_ip, std::string(req.Header("user-agent").value_or(""))};
}

}  // namespace countersign::api
