// Where poppler's own messages go. poppler-cpp prints what it notices in a document ("Unknown
// font tag 'F1'", syntax errors) straight to standard error, as lines that are not the server's
// JSON log, and through a file description of its own: with standard error redirected to a
// file (`2> log`, no O_APPEND) they overwrote the server's log lines written since.
#pragma once

namespace countersign {

// From now on poppler's messages are debug lines of the server's log (component "pdf"): they
// are about one document, which its own request answers for. Process-wide, as poppler's hook
// is; call it once while setting up, before documents are read. Idempotent.
void SendPopplerMessagesToLog();

}  // namespace countersign
