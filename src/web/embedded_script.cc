// /static/embedded.js: the embedded signing page's side of hellosign-embedded's postMessage
// protocol (hellosign-embedded 2.12.4, src/settings.js `messages`). The page names the one
// parent origin it may talk to (data-parent-origin, checked by the server against the app's
// domains); every message goes to that origin only, never "*", and only messages from the
// parent window with that origin are read.
//   form page: hellosign:verifyDomainRequest {token} (unless domain verification is skipped),
//              then, on the matching hellosign:verifyDomainResponse, hellosign:initialize
//              {signatureId}; hellosign:configure {allowCancel} shows or hides Cancel;
//              Cancel, or the parent's hellosign:userCancelRequest, answers
//              hellosign:userCancelRequest (the library then emits "cancel" and closes).
//   after signing: hellosign:userSignRequest {signatureId}
//   after declining: hellosign:userDeclineRequest {signatureId, reason}
//   after sending an embedded draft: hellosign:userSendRequest {signatureRequestId,
//              signatureId} (the library emits "send")
//   on an error page: hellosign:error {signatureId, code}
#include <string_view>

#include "web/pages.h"

namespace countersign::web {

std::string_view EmbeddedScript() {
  static constexpr std::string_view kScript = R"js((function () {
  'use strict';
  var root = document.getElementById('embedded');
  if (!root || window.parent === window) return;
  var parentOrigin = root.getAttribute('data-parent-origin');
  var signatureId = root.getAttribute('data-signature-id');
  var state = root.getAttribute('data-state');
  if (!parentOrigin) return;
  var verifyToken = null;
  var cancel = document.getElementById('embedded-cancel');

  function post(type, payload) {
    var message = { type: type };
    if (payload) message.payload = payload;
    window.parent.postMessage(message, parentOrigin);
  }

  function randomToken() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ('0' + b.toString(16)).slice(-2);
    }).join('');
  }

  window.addEventListener('message', function (event) {
    if (event.source !== window.parent || event.origin !== parentOrigin) return;
    var data = event.data;
    if (!data || typeof data !== 'object' || typeof data.type !== 'string') return;
    var payload = data.payload && typeof data.payload === 'object' ? data.payload : {};
    if (data.type === 'hellosign:verifyDomainResponse') {
      if (verifyToken !== null && payload.token === verifyToken) {
        verifyToken = null;
        post('hellosign:initialize', { signatureId: signatureId });
      }
    } else if (data.type === 'hellosign:configure') {
      if (cancel) cancel.hidden = payload.allowCancel === false;
    } else if (data.type === 'hellosign:userCancelRequest') {
      post('hellosign:userCancelRequest');
    }
  });

  if (cancel) {
    cancel.addEventListener('click', function () { post('hellosign:userCancelRequest'); });
  }

  if (state === 'form') {
    if (root.getAttribute('data-verify') === '1') {
      verifyToken = randomToken();
      post('hellosign:verifyDomainRequest', { token: verifyToken });
    } else {
      post('hellosign:initialize', { signatureId: signatureId });
    }
  } else if (state === 'signed') {
    post('hellosign:userSignRequest', { signatureId: signatureId });
  } else if (state === 'declined') {
    post('hellosign:userDeclineRequest',
         { signatureId: signatureId, reason: root.getAttribute('data-reason') || '' });
  } else if (state === 'sent') {
    post('hellosign:userSendRequest', {
      signatureRequestId: root.getAttribute('data-signature-request-id'),
      signatureId: signatureId
    });
  } else if (state === 'error') {
    post('hellosign:error', { signatureId: signatureId, code: root.getAttribute('data-code') });
  }
})();
)js";
  return kScript;
}

}  // namespace countersign::web
