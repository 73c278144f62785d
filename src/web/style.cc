// The site stylesheet, served at /static/style.css. Plain, readable, phone-friendly; no
// external fonts or images (the CSP allows only this origin).
#include <string_view>

#include "web/renderer.h"

namespace countersign::web {

std::string_view StyleSheet() {
  static constexpr std::string_view kCss = R"css(
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
html { font-size: 100%; -webkit-text-size-adjust: 100%; }
body {
  margin: 0;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  line-height: 1.5;
  color: #1f2328;
  background: #f6f7f9;
}
a { color: #0b57d0; }
a:hover { text-decoration: none; }
:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.95em; }
.wrap, .secret, dd { overflow-wrap: anywhere; word-break: break-word; }

.site-header {
  display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.5rem;
  padding: 0.75rem 1rem; background: #fff; border-bottom: 1px solid #d8dee4;
}
.brand { font-weight: 700; font-size: 1.15rem; color: #1f2328; text-decoration: none; }
.site-header nav ul { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; list-style: none;
  margin: 0; padding: 0; }
.logout { display: flex; align-items: center; gap: 0.5rem; margin-left: auto; }
.who { color: #59636e; font-size: 0.9rem; }

main { max-width: 48rem; margin: 1.5rem auto; padding: 0 1rem; }
.card { background: #fff; border: 1px solid #d8dee4; border-radius: 8px; padding: 1.25rem 1.5rem; }
.card.narrow { max-width: 28rem; margin: 0 auto; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; line-height: 1.25; }
h2 { font-size: 1.15rem; margin: 1.25rem 0 0.5rem; }

label { display: block; font-weight: 600; margin: 0.9rem 0 0.3rem; }
input[type=text], input[type=password] {
  width: 100%; padding: 0.6rem 0.7rem; font: inherit;
  border: 1px solid #8c959f; border-radius: 6px; background: #fff;
}
fieldset { border: 1px solid #d8dee4; border-radius: 6px; margin: 1rem 0; padding: 0.5rem 1rem; }
legend { font-weight: 600; padding: 0 0.3rem; }
.check { display: flex; align-items: flex-start; gap: 0.5rem; margin: 0.4rem 0; }
.check input { margin-top: 0.35rem; width: 1.1rem; height: 1.1rem; flex: none; }
.check label { font-weight: 400; margin: 0; }
.help { color: #59636e; font-size: 0.9rem; margin: 0.3rem 0 0; }

button, .button {
  display: inline-block; margin-top: 1rem; padding: 0.6rem 1.1rem; font: inherit;
  font-weight: 600; color: #fff; background: #0b57d0; border: 1px solid #0b57d0;
  border-radius: 6px; cursor: pointer; text-decoration: none; min-height: 2.75rem;
}
button:hover, .button:hover { background: #0842a0; }
button.secondary { color: #1f2328; background: #fff; border-color: #8c959f; }
button.secondary:hover { background: #eef1f4; }
button.danger { background: #b42318; border-color: #b42318; }
button.danger:hover { background: #8f1c13; }
.link-button { margin: 0; padding: 0.2rem 0.5rem; min-height: 0; color: #0b57d0;
  background: none; border: none; font-weight: 400; text-decoration: underline; }
.link-button:hover { background: none; text-decoration: none; }
.actions-row { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: flex-end; }

.error { color: #8f1c13; background: #fdecea; border: 1px solid #f5c2bd; border-radius: 6px;
  padding: 0.6rem 0.8rem; }
.notice { background: #eaf4ea; border: 1px solid #b7dcb8; border-radius: 6px;
  padding: 0.6rem 0.8rem; }
.muted { color: #59636e; font-size: 0.9rem; }

.details { display: grid; grid-template-columns: max-content 1fr; gap: 0.4rem 1rem; }
.details dt { font-weight: 600; }
.details dd { margin: 0; }
.list { list-style: none; margin: 0; padding: 0; }
.list > li { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center;
  gap: 0.5rem; padding: 0.75rem 0; border-bottom: 1px solid #eef1f4; }
.list > li button { margin-top: 0; }
.plain { margin: 0; padding-left: 1.1rem; }
.scopes li { margin: 0.3rem 0; }
.pager { display: flex; flex-wrap: wrap; gap: 1rem; margin-top: 1rem; }
.tabs { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; list-style: none; margin: 0 0 1rem;
  padding: 0; }
.tabs a[aria-current="page"] { font-weight: 700; text-decoration: none; color: #1f2328; }
.state { font-weight: 600; }
form.inline { display: inline; }
.card.wide { max-width: 48rem; }
textarea, input[type=email], input[type=date], input[type=file] { width: 100%; padding: 0.6rem 0.7rem;
  font: inherit; border: 1px solid #8c959f; border-radius: 6px; background: #fff; }
.drop-zone { border: 2px dashed #8c959f; border-radius: 8px; padding: 0.5rem 1rem 1rem; }
.drop-zone.dragging { border-color: #0b57d0; background: #eef4fe; }
progress { width: 100%; height: 1rem; }
.actions-row input[type=text] { flex: 1 1 12rem; width: auto; }
.table-scroll { overflow-x: auto; margin: 1rem 0; }
.deliveries { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
.deliveries th, .deliveries td { text-align: left; vertical-align: top; padding: 0.4rem 0.5rem;
  border-bottom: 1px solid #eef1f4; }
.deliveries button { margin: 0; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }

.site-footer { max-width: 48rem; margin: 2rem auto; padding: 0 1rem; color: #59636e;
  font-size: 0.85rem; }

@media (max-width: 36rem) {
  .details { grid-template-columns: 1fr; }
  .details dd { margin-bottom: 0.5rem; }
  .card { padding: 1rem; }
  .logout { margin-left: 0; }
}
)css";
  return kCss;
}

}  // namespace countersign::web
