// The signature pad script, served at /static/sign.js. Pointer events draw on the canvas;
// the strokes go into the hidden `strokes` input as JSON [[[x,y],...],...] normalised to 0..1.
// Choosing to draw selects the "drawn" option; typing in the name selects "typed".
#include <string_view>

#include "web/signing_pages.h"

namespace countersign::web {

std::string_view SignScript() {
  static constexpr std::string_view kScript = R"js((function () {
  'use strict';
  var canvas = document.getElementById('signature-pad');
  var hidden = document.getElementById('strokes');
  var typed = document.getElementById('typed-name');
  var kindTyped = document.getElementById('kind-typed');
  var kindDrawn = document.getElementById('kind-drawn');
  if (typed && kindTyped) {
    typed.addEventListener('input', function () { kindTyped.checked = true; });
    typed.addEventListener('focus', function () { kindTyped.checked = true; });
  }
  if (!canvas || !hidden) return;
  var ctx = canvas.getContext('2d');
  var strokes = [];
  var current = null;
  function round(v) { return Math.round(Math.min(1, Math.max(0, v)) * 10000) / 10000; }
  function point(e) {
    var r = canvas.getBoundingClientRect();
    return [round((e.clientX - r.left) / r.width), round((e.clientY - r.top) / r.height)];
  }
  function redraw() {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.lineWidth = 3;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.strokeStyle = '#1f2328';
    strokes.forEach(function (s) {
      ctx.beginPath();
      s.forEach(function (p, i) {
        var x = p[0] * canvas.width, y = p[1] * canvas.height;
        if (i === 0) { ctx.moveTo(x, y); ctx.lineTo(x + 0.1, y + 0.1); } else { ctx.lineTo(x, y); }
      });
      ctx.stroke();
    });
    hidden.value = strokes.length ? JSON.stringify(strokes) : '';
  }
  canvas.addEventListener('pointerdown', function (e) {
    e.preventDefault();
    if (strokes.length >= 200) return;
    if (canvas.setPointerCapture) { try { canvas.setPointerCapture(e.pointerId); } catch (x) {} }
    current = [point(e)];
    strokes.push(current);
    if (kindDrawn) kindDrawn.checked = true;
    redraw();
  });
  canvas.addEventListener('pointermove', function (e) {
    if (!current || current.length >= 2000) return;
    e.preventDefault();
    current.push(point(e));
    redraw();
  });
  function end() { current = null; }
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  canvas.addEventListener('pointerleave', end);
  var clear = document.getElementById('signature-clear');
  if (clear) {
    clear.addEventListener('click', function () { strokes = []; current = null; redraw(); });
  }
})();
)js";
  return kScript;
}

std::string_view SignStyleSheet() {
  static constexpr std::string_view kCss = R"css(
.sign-message { margin: 0.75rem 0; padding: 0.5rem 1rem; border-left: 4px solid #d8dee4;
  white-space: pre-wrap; overflow-wrap: anywhere; }
.sign-pages { display: flex; flex-direction: column; gap: 0.75rem; }
.sign-page { display: block; width: 100%; max-width: 100%; height: auto;
  border: 1px solid #d8dee4; background: #fff; box-shadow: 0 1px 3px rgba(0,0,0,0.08); }
.sign-option { display: grid; grid-template-columns: auto 1fr; gap: 0.25rem 0.5rem;
  align-items: center; margin: 0.75rem 0; }
.sign-option > div { grid-column: 1 / -1; }
.sign-option > div label { display: block; }
.sign-option > label { margin: 0; align-self: center; }
.sign-option > input[type=radio] { width: 1.1rem; height: 1.1rem; margin: 0; align-self: center; }
.signature-pad { display: block; width: 100%; max-width: 600px; aspect-ratio: 3 / 1;
  height: auto; border: 2px dashed #8c959f; border-radius: 6px; background: #fff;
  touch-action: none; cursor: crosshair; }
.sign-form textarea, .sign-form input[type=text] { width: 100%; }
@media (max-width: 36rem) {
  .sign-form button { width: 100%; }
}
)css";
  return kCss;
}

}  // namespace countersign::web
