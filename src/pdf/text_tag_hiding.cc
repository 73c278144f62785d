// HideTextTags: rewriting the text-showing operators of page content streams with qpdf.
// qpdf 11 without the deprecated PointerHolder; must precede every qpdf header.
#define POINTERHOLDER_TRANSITION 4

#include <algorithm>
#include <map>
#include <memory>
#include <qpdf/Buffer.hh>
#include <qpdf/Pl_Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include "pdf/font_codes.h"
#include "pdf/pdf_text.h"
#include "pdf/text_tags.h"

namespace countersign {

namespace {

constexpr char32_t kOpaque = 0xFFFD;  // a character of a font this file cannot read

struct TextState {
  const FontCodes* font = nullptr;
  std::string font_problem;  // why `font` is null, when a font was set
  double size = 0;
  double char_spacing = 0;  // Tc
  double word_spacing = 0;  // Tw
};

// One text-showing operator: its operands and operator occupy content[begin, end).
struct ShowOp {
  size_t begin = 0;
  size_t end = 0;
  std::string op;  // Tj, TJ, ' or "
  std::vector<QPDFObjectHandle> operands;
  TextState state;                         // when shown (after " set Tw and Tc)
  std::vector<std::vector<bool>> removed;  // per element of the shown array, per byte
};

// One character of the page's text in content-stream order.
struct StreamChar {
  char32_t c = 0;
  size_t op = 0;
  size_t element = 0;
  size_t byte = 0;
};

std::string WithoutSpaces(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c != ' ') out += c;
  }
  return out;
}

void AppendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | ((c >> 12) & 0x0F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// The code of `n` bytes at `at` in `bytes` (big-endian).
uint32_t CodeAt(const std::string& bytes, size_t at, size_t n) {
  uint32_t code = 0;
  for (size_t i = at; i < at + n && i < bytes.size(); ++i) {
    code = (code << 8) | static_cast<unsigned char>(bytes[i]);
  }
  return code;
}

// Collects the text-showing operators of one page with the text state of each.
class PageText : public QPDFObjectHandle::ParserCallbacks {
 public:
  explicit PageText(QPDFObjectHandle resources) : resources_(resources) {}

  void handleObject(QPDFObjectHandle obj, size_t offset, size_t length) override {
    if (!obj.isOperator()) {
      if (operands_.empty()) operands_begin_ = offset;
      operands_.push_back(obj);
      return;
    }
    const std::string op = obj.getOperatorValue();
    const size_t begin = operands_.empty() ? offset : operands_begin_;
    Operator(op, begin, offset + length);
    operands_.clear();
  }
  void handleEOF() override {}

  std::vector<ShowOp> ops;
  std::vector<StreamChar> chars;

 private:
  void Operator(const std::string& op, size_t begin, size_t end) {
    if (op == "q") {
      stack_.push_back(state_);
    } else if (op == "Q") {
      if (!stack_.empty()) {
        state_ = stack_.back();
        stack_.pop_back();
      }
    } else if (op == "Tf" && operands_.size() == 2 && operands_[0].isName() &&
               operands_[1].isNumber()) {
      SetFont(operands_[0].getName());
      state_.size = operands_[1].getNumericValue();
    } else if (op == "Tc" && operands_.size() == 1 && operands_[0].isNumber()) {
      state_.char_spacing = operands_[0].getNumericValue();
    } else if (op == "Tw" && operands_.size() == 1 && operands_[0].isNumber()) {
      state_.word_spacing = operands_[0].getNumericValue();
    } else if (op == "\"" && operands_.size() == 3 && operands_[0].isNumber() &&
               operands_[1].isNumber()) {
      state_.word_spacing = operands_[0].getNumericValue();
      state_.char_spacing = operands_[1].getNumericValue();
      Show(op, begin, end, {operands_[2]});
    } else if ((op == "Tj" || op == "'") && operands_.size() == 1) {
      Show(op, begin, end, {operands_[0]});
    } else if (op == "TJ" && operands_.size() == 1 && operands_[0].isArray()) {
      Show(op, begin, end, operands_[0].getArrayAsVector());
    }
  }

  void SetFont(const std::string& name) {
    auto it = fonts_.find(name);
    if (it == fonts_.end()) {
      QPDFObjectHandle dict =
          resources_.isDictionary() ? resources_.getKey("/Font") : QPDFObjectHandle::newNull();
      QPDFObjectHandle font = dict.isDictionary() ? dict.getKey(name) : QPDFObjectHandle::newNull();
      it = fonts_.emplace(name, FontCodes::From(font, name.substr(1))).first;
    }
    state_.font = it->second.ok() ? &*it->second : nullptr;
    state_.font_problem = it->second.ok() ? "" : it->second.status().message();
  }

  void Show(const std::string& op, size_t begin, size_t end,
            std::vector<QPDFObjectHandle> elements) {
    ShowOp show;
    show.begin = begin;
    show.end = end;
    show.op = op;
    show.operands = operands_;
    show.state = state_;
    const size_t index = ops.size();
    for (size_t e = 0; e < elements.size(); ++e) {
      std::string bytes = elements[e].isString() ? elements[e].getStringValue() : "";
      show.removed.emplace_back(bytes.size(), false);
      if (state_.font == nullptr) {
        if (!bytes.empty()) chars.push_back({kOpaque, index, e, 0});
        continue;
      }
      const size_t n = state_.font->code_bytes();
      for (size_t b = 0; b + n <= bytes.size(); b += n) {
        chars.push_back({state_.font->Decode(CodeAt(bytes, b, n)), index, e, b});
      }
    }
    ops.push_back(std::move(show));
  }

  QPDFObjectHandle resources_;
  std::map<std::string, StatusOr<FontCodes>> fonts_;
  TextState state_;
  std::vector<TextState> stack_;
  std::vector<QPDFObjectHandle> operands_;
  size_t operands_begin_ = 0;
};

// The TJ adjustment that advances as far as the glyph `code` would have (word spacing applies
// to the one-byte code 32 only).
double Advance(const TextState& s, uint32_t code) {
  double extra = s.char_spacing + (code == ' ' && s.font->code_bytes() == 1 ? s.word_spacing : 0);
  return s.font->Width(code) + (s.size != 0 ? 1000 * extra / s.size : 0);
}

// The operator `show` rewritten without its removed bytes.
std::string Rewrite(const ShowOp& show) {
  std::vector<QPDFObjectHandle> operands = show.operands;  // (qpdf's accessors are not const)
  std::vector<QPDFObjectHandle> elements = show.op == "TJ"
                                               ? operands[0].getArrayAsVector()
                                               : std::vector<QPDFObjectHandle>{operands.back()};
  std::string out;
  if (show.op == "'") out = "T* ";
  if (show.op == "\"") {
    out = operands[0].unparse() + " Tw " + operands[1].unparse() + " Tc T* ";
  }
  out += "[";
  double pending = 0;  // removed advance not yet written
  auto flush = [&] {
    if (pending != 0) out += PdfNumber(-pending) + " ";
    pending = 0;
  };
  for (size_t e = 0; e < elements.size(); ++e) {
    if (!elements[e].isString()) {
      if (elements[e].isNumber()) pending -= elements[e].getNumericValue();
      continue;
    }
    const std::string bytes = elements[e].getStringValue();
    const size_t n = show.state.font->code_bytes();
    std::string kept;
    for (size_t b = 0; b < bytes.size(); b += n) {
      if (show.removed[e][b]) {
        if (!kept.empty()) out += PdfLiteral(kept) + " ";
        kept.clear();
        pending += Advance(show.state, CodeAt(bytes, b, n));
      } else {
        if (kept.empty()) flush();
        kept += bytes.substr(b, n);
      }
    }
    if (!kept.empty()) out += PdfLiteral(kept) + " ";
  }
  flush();
  out += "] TJ";
  return out;
}

// Removes the tags of one page; returns the texts (without spaces) of those removed and sets
// `problem` to why a tag could not be, if one could not.
std::vector<std::string> HidePage(QPDF& pdf, QPDFPageObjectHelper& page, std::string& problem) {
  Pl_Buffer buffer("page contents");
  page.pipeContents(&buffer);
  std::unique_ptr<Buffer> data(buffer.getBuffer());
  std::string content(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
  PageText text(page.getAttribute("/Resources", false));
  QPDFObjectHandle::parseContentStream(QPDFObjectHandle::newStream(&pdf, content), &text);

  std::u32string chars;
  for (const StreamChar& c : text.chars) chars += c.c;
  std::vector<std::string> removed;
  for (auto [begin, end] : TextTagSpans(chars)) {
    std::string tag;
    bool readable = true;
    for (size_t i = begin; i < end; ++i) {
      const StreamChar& c = text.chars[i];
      if (text.ops[c.op].state.font == nullptr) {
        problem = text.ops[c.op].state.font_problem;
        readable = false;
        break;
      }
      AppendUtf8(tag, c.c);
    }
    if (!readable) continue;
    for (size_t i = begin; i < end; ++i) {
      const StreamChar& c = text.chars[i];
      text.ops[c.op].removed[c.element][c.byte] = true;
    }
    removed.push_back(WithoutSpaces(tag));
  }
  for (const ShowOp& op : text.ops) {
    if (op.state.font == nullptr && !op.state.font_problem.empty() && problem.empty()) {
      problem = op.state.font_problem;
    }
  }
  if (removed.empty()) return removed;
  for (auto it = text.ops.rbegin(); it != text.ops.rend(); ++it) {
    bool touched = false;
    for (const auto& element : it->removed) {
      touched = touched || std::find(element.begin(), element.end(), true) != element.end();
    }
    if (touched) content.replace(it->begin, it->end - it->begin, Rewrite(*it));
  }
  page.getObjectHandle().replaceKey("/Contents", QPDFObjectHandle::newStream(&pdf, content));
  return removed;
}

}  // namespace

Status HideTextTags(const std::string& in_path, const std::string& out_path,
                    const std::vector<TextTag>& expected) {
  try {
    QPDF pdf;
    pdf.setSuppressWarnings(true);
    pdf.processFile(in_path.c_str());
    std::vector<QPDFPageObjectHelper> pages = QPDFPageDocumentHelper(pdf).getAllPages();
    for (size_t p = 0; p < pages.size(); ++p) {
      std::vector<const TextTag*> wanted;
      for (const TextTag& tag : expected) {
        if (tag.page == static_cast<int>(p + 1)) wanted.push_back(&tag);
      }
      if (wanted.empty()) continue;
      std::string problem;
      std::vector<std::string> removed = HidePage(pdf, pages[p], problem);
      for (const TextTag* tag : wanted) {
        auto it = std::find(removed.begin(), removed.end(), WithoutSpaces(tag->text));
        if (it != removed.end()) {
          removed.erase(it);
          continue;
        }
        return InvalidArgument(
            "Text tag \"" + tag->text + "\" on page " + std::to_string(tag->page) +
            " cannot be hidden: " +
            (problem.empty() ? "its text is not shown by the page's own content stream (e.g. it "
                               "is in a form XObject)"
                             : problem) +
            ". Hide it with white text and send hide_text_tags=false.");
      }
    }
    QPDFWriter writer(pdf, out_path.c_str());
    writer.write();
    return Status::Ok();
  } catch (const std::exception& e) {
    return InvalidArgument(std::string("The text tags cannot be hidden: the PDF cannot be "
                                       "rewritten (") +
                           e.what() + ")");
  }
}

}  // namespace countersign
