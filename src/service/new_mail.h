// NewMail: a mail to queue, due now, with a fresh id (also its Message-ID's local part). The
// services fill in the subject and the bodies. Thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "store/mail_queue_store.h"

namespace countersign {

QueuedMail NewMail(const std::string& to_email, const std::string& to_name, int64_t now);

}  // namespace countersign
