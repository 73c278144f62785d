// qpdf 11 without the deprecated PointerHolder; must precede every qpdf header.
#define POINTERHOLDER_TRANSITION 4

#include "pdf/qpdf_document_finalizer.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <exception>
#include <filesystem>
#include <iterator>
#include <map>
#include <memory>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFAcroFormDocumentHelper.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <vector>

#include "core/durable_file.h"
#include "pdf/audit_trail.h"
#include "pdf/content_stream.h"
#include "pdf/pdf_seal.h"
#include "pdf/signature_stamp.h"

namespace countersign {

namespace {

constexpr double kTolerance = 0.5;  // points a placement may overhang the page (rounding)

// The displayed size of `page` and the map from display to user space.
PageFrame FrameOf(QPDFPageObjectHelper& page) {
  double llx = 0, lly = 0, urx = kAddedPageWidth, ury = kAddedPageHeight;
  QPDFObjectHandle box = page.getCropBox();  // the media box when there is no crop box
  if (!box.isRectangle()) box = page.getMediaBox();
  if (box.isRectangle()) {
    QPDFObjectHandle::Rectangle r = box.getArrayAsRectangle();
    llx = std::min(r.llx, r.urx);
    lly = std::min(r.lly, r.ury);
    urx = std::max(r.llx, r.urx);
    ury = std::max(r.lly, r.ury);
  }
  int rotate = 0;
  QPDFObjectHandle rotate_obj = page.getAttribute("/Rotate", false);
  if (rotate_obj.isInteger()) rotate = ((rotate_obj.getIntValueAsInt() % 360) + 360) % 360;
  double w = urx - llx, h = ury - lly;
  switch (rotate) {
    case 90:  // shown turned clockwise: the user-space bottom-right is the visible bottom-left
      return {h, w, {0, 1, -1, 0, urx, lly}};
    case 180:
      return {w, h, {-1, 0, 0, -1, urx, ury}};
    case 270:
      return {h, w, {0, -1, 1, 0, llx, ury}};
    default:
      return {w, h, {1, 0, 0, 1, llx, lly}};
  }
}

// The standard-font dictionaries shared by every page that draws text.
class FontObjects {
 public:
  explicit FontObjects(QPDF& pdf) : pdf_(pdf) {}

  // Makes the fonts `content` uses available in `resources` (a resource dictionary).
  void AddTo(QPDFObjectHandle resources, const ContentStream& content) {
    QPDFObjectHandle font_dict = resources.getKey("/Font");
    if (!font_dict.isDictionary()) {
      font_dict = QPDFObjectHandle::newDictionary();
      resources.replaceKey("/Font", font_dict);
    }
    for (PdfFont font : kAllPdfFonts) {
      if (content.UsesFont(font)) font_dict.replaceKey(PdfFontResourceName(font), Get(font));
    }
  }

 private:
  QPDFObjectHandle Get(PdfFont font) {
    QPDFObjectHandle& slot = fonts_[static_cast<size_t>(font)];
    if (!slot.isInitialized()) {
      slot = pdf_.makeIndirectObject(
          QPDFObjectHandle::parse(std::string("<< /Type /Font /Subtype /Type1 /BaseFont /") +
                                  PdfFontBaseName(font) + " /Encoding /WinAnsiEncoding >>"));
    }
    return slot;
  }

  QPDF& pdf_;
  std::array<QPDFObjectHandle, std::size(kAllPdfFonts)> fonts_;
};

// Draws `content` over `page` (the page's own content is wrapped in q/Q first).
void Overlay(QPDF& pdf, QPDFPageObjectHelper& page, const ContentStream& content,
             FontObjects& fonts, QPDFObjectHandle save_stream) {
  QPDFObjectHandle resources = page.getAttribute("/Resources", true);
  if (!resources.isDictionary()) {
    resources = QPDFObjectHandle::newDictionary();
    page.getObjectHandle().replaceKey("/Resources", resources);
  }
  fonts.AddTo(resources, content);
  page.addPageContents(save_stream, true);
  page.addPageContents(QPDFObjectHandle::newStream(&pdf, "\nQ\n" + content.data()), false);
}

// Appends a Letter page showing `content` to `pdf`.
void AppendPage(QPDF& pdf, const ContentStream& content, FontObjects& fonts) {
  QPDFObjectHandle page = pdf.makeIndirectObject(QPDFObjectHandle::newDictionary());
  page.replaceKey("/Type", QPDFObjectHandle::newName("/Page"));
  page.replaceKey("/MediaBox", QPDFObjectHandle::newArray(QPDFObjectHandle::Rectangle(
                                   0, 0, kAddedPageWidth, kAddedPageHeight)));
  QPDFObjectHandle resources = QPDFObjectHandle::newDictionary();
  fonts.AddTo(resources, content);
  page.replaceKey("/Resources", resources);
  page.replaceKey("/Contents", QPDFObjectHandle::newStream(&pdf, content.data()));
  QPDFPageDocumentHelper(pdf).addPage(QPDFPageObjectHelper(page), false);
}

// Bakes interactive form fields (and the other annotations) of a document with a form into the
// page content, and drops widgets that had nothing to show (such as empty signature fields).
void FlattenForms(QPDF& pdf) {
  QPDFAcroFormDocumentHelper forms(pdf);
  if (!forms.hasAcroForm()) return;
  forms.generateAppearancesIfNeeded();
  QPDFPageDocumentHelper helper(pdf);
  helper.flattenAnnotations();
  for (QPDFPageObjectHelper& page : helper.getAllPages()) {
    QPDFObjectHandle annots = page.getObjectHandle().getKey("/Annots");
    if (!annots.isArray()) continue;
    QPDFObjectHandle kept = QPDFObjectHandle::newArray();
    for (QPDFObjectHandle annot : annots.aitems()) {
      if (!annot.isDictionary() || !annot.getKey("/Subtype").isNameAndEquals("/Widget")) {
        kept.appendItem(annot);
      }
    }
    page.getObjectHandle().replaceKey("/Annots", kept);
  }
  pdf.getRoot().removeKey("/AcroForm");
}

// Whether an action dictionary only moves the reader: a link to a URI or within the document.
// Everything else (JavaScript, Launch, SubmitForm, ImportData, renditions...) is dropped.
bool IsHarmlessAction(QPDFObjectHandle action) {
  if (!action.isDictionary()) return false;
  QPDFObjectHandle type = action.getKey("/S");
  return type.isNameAndEquals("/URI") || type.isNameAndEquals("/GoTo");
}

// Removes what runs by itself from the sealed document: the catalog's /OpenAction, /AA and
// document-level JavaScript and embedded files, each page's /AA, and the annotations' /AA and
// every annotation action but links (whose /Next chains are cut).
void StripActions(QPDF& pdf) {
  QPDFObjectHandle root = pdf.getRoot();
  QPDFObjectHandle open_action = root.getKey("/OpenAction");  // a destination array is fine
  if (open_action.isDictionary() && !IsHarmlessAction(open_action)) root.removeKey("/OpenAction");
  root.removeKey("/AA");
  QPDFObjectHandle names = root.getKey("/Names");
  if (names.isDictionary()) {
    names.removeKey("/JavaScript");
    names.removeKey("/EmbeddedFiles");
  }
  for (QPDFPageObjectHelper& page : QPDFPageDocumentHelper(pdf).getAllPages()) {
    QPDFObjectHandle dict = page.getObjectHandle();
    dict.removeKey("/AA");
    QPDFObjectHandle annots = dict.getKey("/Annots");
    if (!annots.isArray()) continue;
    for (QPDFObjectHandle annot : annots.aitems()) {
      if (!annot.isDictionary()) continue;
      annot.removeKey("/AA");
      QPDFObjectHandle action = annot.getKey("/A");
      if (!IsHarmlessAction(action)) {
        annot.removeKey("/A");
      } else {
        action.removeKey("/Next");
      }
    }
  }
}

// Checks each placement against the page it names and draws the placed signatures and the test
// mode marks over the original pages. `first_page[d]` is the index in `pages` of document d's
// first page (with a final entry = pages.size()).
Status StampOriginalPages(const FinalizeInput& input, QPDF& out,
                          std::vector<QPDFPageObjectHelper>& pages,
                          const std::vector<size_t>& first_page, FontObjects& fonts) {
  std::map<size_t, ContentStream> overlays;
  std::vector<PageFrame> frames(pages.size());
  std::vector<bool> framed(pages.size(), false);
  auto frame_of = [&](size_t index) -> const PageFrame& {
    if (!framed[index]) frames[index] = FrameOf(pages[index]);
    framed[index] = true;
    return frames[index];
  };
  // The index in `pages` of the page `at` names, once checked to hold the box.
  auto page_of = [&](const SignaturePlacement& at, const std::string& who) -> StatusOr<size_t> {
    size_t doc = static_cast<size_t>(at.document_index);
    size_t page_count = first_page[doc + 1] - first_page[doc];
    if (static_cast<size_t>(at.page) > page_count) {
      return InvalidArgument(who + ": the signature is placed on page " + std::to_string(at.page) +
                             " but the document has " + std::to_string(page_count) + ".");
    }
    size_t index = first_page[doc] + static_cast<size_t>(at.page) - 1;
    const PageFrame& frame = frame_of(index);
    if (at.x + at.width > frame.width + kTolerance ||
        at.y + at.height > frame.height + kTolerance) {
      return InvalidArgument(who + ": the signature is placed outside the page.");
    }
    return index;
  };
  for (size_t i = 0; i < input.signers.size(); ++i) {
    const FinalizeSigner& signer = input.signers[i];
    std::string who = "Signer " + std::to_string(i + 1) + " (" + signer.email + ")";
    if (signer.placement) {
      CS_ASSIGN_OR_RETURN(size_t index, page_of(*signer.placement, who));
      DrawPlacedSignature(signer, frame_of(index), overlays[index]);
    }
    for (const FieldStamp& field : signer.fields) {
      CS_ASSIGN_OR_RETURN(size_t index, page_of(field.at, who));
      DrawFieldStamp(signer, field, frame_of(index), overlays[index]);
    }
  }
  const FinalizeSigner sender;  // merge fields hold text or a check, never a mark
  for (const FieldStamp& field : input.sender_fields) {
    CS_ASSIGN_OR_RETURN(size_t index, page_of(field.at, "A merge field"));
    DrawFieldStamp(sender, field, frame_of(index), overlays[index]);
  }
  if (input.test_mode) {
    for (size_t i = 0; i < pages.size(); ++i) DrawTestModeMark(frame_of(i), overlays[i]);
  }
  if (overlays.empty()) return Status::Ok();
  QPDFObjectHandle save_stream = QPDFObjectHandle::newStream(&out, "q\n");
  for (auto& [index, content] : overlays) {
    Overlay(out, pages[index], content, fonts, save_stream);
  }
  return Status::Ok();
}

// The /Reason of the seal: plain ASCII, whatever the request id holds.
std::string SealReason(const std::string& request_id) {
  std::string id;
  for (char c : request_id.substr(0, 64)) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') id += c;
  }
  return "Completed signature request " + id;
}

// Writes `buffer` as `path`, which appears only complete (replacing a file there).
Status WriteFile(const std::string& path, const Buffer& buffer) {
  CS_ASSIGN_OR_RETURN(DurableFile file,
                      DurableFile::Create(std::filesystem::path(path).parent_path().string()));
  CS_RETURN_IF_ERROR(file.Write(
      std::string_view(reinterpret_cast<const char*>(buffer.getBuffer()), buffer.getSize())));
  return file.Publish(path, DurableFile::Existing::kReplace);
}

// Builds and seals the final PDF into memory; may throw what qpdf throws.
StatusOr<std::shared_ptr<Buffer>> Build(const FinalizeInput& input,
                                        const SigningIdentity& identity) {
  // Copied pages refer to their source's objects until written: keep sources open.
  std::vector<std::unique_ptr<QPDF>> sources;
  QPDF out;
  out.setSuppressWarnings(true);
  out.emptyPDF();
  QPDFPageDocumentHelper out_pages(out);
  std::vector<size_t> first_page{0};
  for (const FinalizeDocument& doc : input.documents) {
    auto source = std::make_unique<QPDF>();
    source->setSuppressWarnings(true);
    source->setAttemptRecovery(true);
    source->processFile(doc.path.c_str());
    if (source->isEncrypted()) return Internal("Cannot finalise encrypted PDF " + doc.path);
    FlattenForms(*source);
    std::vector<QPDFPageObjectHelper> pages = QPDFPageDocumentHelper(*source).getAllPages();
    if (pages.empty()) return Internal("Document without pages: " + doc.path);
    for (QPDFPageObjectHelper& page : pages) out_pages.addPage(page, false);
    first_page.push_back(first_page.back() + pages.size());
    sources.push_back(std::move(source));
  }
  StripActions(out);
  std::vector<QPDFPageObjectHelper> pages = out_pages.getAllPages();
  FontObjects fonts(out);
  CS_RETURN_IF_ERROR(StampOriginalPages(input, out, pages, first_page, fonts));

  std::vector<const FinalizeSigner*> unplaced;
  for (const FinalizeSigner& signer : input.signers) {
    if (!signer.placement) unplaced.push_back(&signer);
  }
  std::vector<ContentStream> added = LayoutSignaturePages(input, unplaced);
  std::vector<ContentStream> audit = LayoutAuditTrail(input, identity.subject());
  added.insert(added.end(), audit.begin(), audit.end());
  for (ContentStream& content : added) {
    if (input.test_mode) DrawTestModeMark(PageFrame{}, content);
    AppendPage(out, content, fonts);
  }
  QPDFObjectHandle last_page = out_pages.getAllPages().back().getObjectHandle();
  QPDFObjectHandle signature =
      AddSealPlaceholder(out, last_page, SealReason(input.request_id), input.completed_at);
  return WriteSealed(out, signature, identity, input.completed_at);
}

}  // namespace

Status QpdfDocumentFinalizer::Finalize(const FinalizeInput& input, const std::string& out_path) {
  CS_RETURN_IF_ERROR(ValidateFinalizeInput(input));
  std::shared_ptr<Buffer> pdf;
  try {
    StatusOr<std::shared_ptr<Buffer>> built = Build(input, identity_);
    if (!built.ok()) return built.status();
    pdf = std::move(built).value();
  } catch (const std::exception& e) {
    return Internal(std::string("Cannot finalise the documents: ") + e.what());
  } catch (...) {
    return Internal("Cannot finalise the documents.");
  }
  return WriteFile(out_path, *pdf);
}

}  // namespace countersign
