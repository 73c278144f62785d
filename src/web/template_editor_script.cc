// /static/template-editor.js and /static/template-editor.css: the template field editor
// (template_edit.html). Contract with the page:
//   #template-editor[data-roles]  JSON [{value, label}]: the role choices (value = the role's
//                                 index as text, or "sender" for merge fields)
//   [data-page-frame]             a page (data-doc 0-based, data-page 1-based, data-width /
//                                 data-height in points) holding its image; clicking it adds a
//                                 field of the kind and role chosen in #new-field-type /
//                                 #new-field-role, centred where clicked
//   #add-field                    adds one on the first page without a pointer
//   #fields-json                  the fields as form_fields_per_document JSON: read at start,
//                                 written when #fields-form is submitted
//   #field-list                   filled with one labelled fieldset per field (kind, role, name,
//                                 required, page, x, y, width, height, remove)
// Fields on the pages are drawn with the signing page's classes (sign-field, sign-field-<type>,
// placed in percent of the frame) as focusable buttons: dragged with the pointer, moved with
// the arrow keys (Shift: 10 points). Keys a field has beyond those edited are kept as they are.
#include <string_view>

#include "web/pages.h"

namespace countersign::web {

std::string_view TemplateEditorScript() {
  static constexpr std::string_view kScript = R"js((function () {
  'use strict';
  var editor = document.getElementById('template-editor');
  if (!editor) return;
  var input = document.getElementById('fields-json');
  var list = document.getElementById('field-list');
  var status = document.getElementById('editor-status');
  var roles = JSON.parse(editor.getAttribute('data-roles') || '[]');
  var fields = [];
  try { fields = JSON.parse(input.value || '[]'); } catch (e) { fields = []; }
  if (!Array.isArray(fields)) fields = [];
  var KINDS = { signature: 'Signature', initials: 'Initials', text: 'Text',
    checkbox: 'Checkbox', date_signed: 'Date signed' };
  var SIZES = { signature: [120, 30], initials: [60, 30], text: [150, 20], checkbox: [14, 14],
    date_signed: [100, 20] };
  var frames = {};
  var boxes = [];
  Array.prototype.forEach.call(editor.querySelectorAll('[data-page-frame]'), function (frame) {
    frames[frame.getAttribute('data-doc') + '-' + frame.getAttribute('data-page')] = frame;
    frame.addEventListener('click', function (e) {
      if (e.target.closest('.sign-field')) return;
      var rect = frame.getBoundingClientRect();
      var size = sizeOf(frame);
      add(frame, (e.clientX - rect.left) / rect.width * size[0],
        (e.clientY - rect.top) / rect.height * size[1]);
    });
  });
  function sizeOf(frame) {
    return [parseFloat(frame.getAttribute('data-width')),
      parseFloat(frame.getAttribute('data-height'))];
  }
  function frameOf(f) { return frames[(f.document_index || 0) + '-' + (f.page || 1)]; }
  function round(v) { return Math.round(v * 10) / 10; }
  function clamp(v, lo, hi) { return Math.max(lo, Math.min(hi, v)); }
  function roleLabel(value) {
    for (var i = 0; i < roles.length; i++) if (roles[i].value === String(value)) return roles[i].label;
    return String(value);
  }
  function describe(f, i) {
    return 'Field ' + (i + 1) + ': ' + (KINDS[f.type] || f.type) + (f.name ? ' “' + f.name + '”' : '') +
      ' for ' + roleLabel(f.signer) + ', page ' + (f.page || 1);
  }
  function announce(text) { status.textContent = text; }
  function newApiId() {
    var n = fields.length, id;
    do { id = 'field_' + (++n); } while (fields.some(function (f) { return f.api_id === id; }));
    return id;
  }
  function add(frame, cx, cy) {
    var type = document.getElementById('new-field-type').value;
    var wh = SIZES[type] || [100, 20];
    var size = sizeOf(frame);
    var f = { api_id: newApiId(), name: '', type: type, required: type !== 'checkbox',
      signer: document.getElementById('new-field-role').value,
      document_index: parseInt(frame.getAttribute('data-doc'), 10),
      page: parseInt(frame.getAttribute('data-page'), 10),
      x: round(clamp(cx - wh[0] / 2, 0, size[0] - wh[0])),
      y: round(clamp(cy - wh[1] / 2, 0, size[1] - wh[1])), width: wh[0], height: wh[1] };
    fields.push(f);
    render();
    announce('Added ' + describe(f, fields.length - 1) + '.');
  }
  document.getElementById('add-field').addEventListener('click', function () {
    var first = editor.querySelector('[data-page-frame]');
    if (!first) return;
    var n = fields.length;
    add(first, 100 + (n % 3) * 160, 60 + Math.floor(n / 3) * 45);
    var row = list.lastElementChild;
    if (row) row.querySelector('select, input').focus();
  });
  function place(box, f) {
    var frame = frameOf(f);
    if (!frame) { box.hidden = true; return; }
    var size = sizeOf(frame);
    if (box.parentNode !== frame) frame.appendChild(box);
    box.hidden = false;
    box.className = 'sign-field sign-field-' + f.type + (f.required ? ' sign-field-required' : '');
    box.style.left = (100 * f.x / size[0]) + '%';
    box.style.top = (100 * f.y / size[1]) + '%';
    box.style.width = (100 * f.width / size[0]) + '%';
    box.style.height = (100 * f.height / size[1]) + '%';
  }
  function syncRow(i) {
    var f = fields[i];
    ['x', 'y', 'width', 'height', 'page'].forEach(function (k) {
      var el = document.getElementById('f' + i + '-' + k);
      if (el && document.activeElement !== el) el.value = k === 'page' ? (f.page || 1) : f[k];
    });
    var box = boxes[i];
    box.setAttribute('aria-label', describe(f, i));
    box.textContent = KINDS[f.type] || f.type;
    place(box, f);
  }
  function moveBy(i, dx, dy) {
    var f = fields[i], size = sizeOf(frameOf(f));
    f.x = round(clamp(f.x + dx, 0, size[0] - f.width));
    f.y = round(clamp(f.y + dy, 0, size[1] - f.height));
    syncRow(i);
  }
  function makeBox(i) {
    var box = document.createElement('button');
    box.type = 'button';
    box.addEventListener('keydown', function (e) {
      var step = e.shiftKey ? 10 : 1;
      var d = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step],
        ArrowDown: [0, step] }[e.key];
      if (!d) return;
      e.preventDefault();
      moveBy(i, d[0], d[1]);
    });
    box.addEventListener('pointerdown', function (e) {
      var f = fields[i], frame = frameOf(f), rect = frame.getBoundingClientRect();
      var size = sizeOf(frame), sx = e.clientX, sy = e.clientY, fx = f.x, fy = f.y;
      box.setPointerCapture(e.pointerId);
      function move(ev) {
        f.x = fx; f.y = fy;
        moveBy(i, (ev.clientX - sx) / rect.width * size[0], (ev.clientY - sy) / rect.height * size[1]);
      }
      function up() {
        box.removeEventListener('pointermove', move);
        box.removeEventListener('pointerup', up);
        announce('Moved ' + describe(f, i) + ' to ' + f.x + ', ' + f.y + '.');
      }
      box.addEventListener('pointermove', move);
      box.addEventListener('pointerup', up);
    });
    box.addEventListener('click', function () {
      var first = document.getElementById('f' + i + '-type');
      if (first) first.focus();
    });
    return box;
  }
  function labelled(id, text, control) {
    var wrap = document.createElement('div');
    var label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = text;
    control.id = id;
    wrap.appendChild(label);
    wrap.appendChild(control);
    return wrap;
  }
  function select(options, value) {
    var s = document.createElement('select');
    var seen = false;
    options.forEach(function (o) {
      var opt = document.createElement('option');
      opt.value = o[0]; opt.textContent = o[1];
      if (o[0] === String(value)) { opt.selected = true; seen = true; }
      s.appendChild(opt);
    });
    if (!seen) {
      var other = document.createElement('option');
      other.value = String(value); other.textContent = String(value); other.selected = true;
      s.appendChild(other);
    }
    return s;
  }
  function numberInput(value, min) {
    var n = document.createElement('input');
    n.type = 'number'; n.step = 'any'; n.min = String(min); n.value = value;
    return n;
  }
  function row(i) {
    var f = fields[i];
    var set = document.createElement('fieldset');
    set.className = 'editor-field';
    var legend = document.createElement('legend');
    legend.textContent = 'Field ' + (i + 1);
    set.appendChild(legend);
    var kinds = Object.keys(KINDS).map(function (k) { return [k, KINDS[k]]; });
    var type = select(kinds, f.type);
    type.addEventListener('change', function () { f.type = type.value; syncRow(i); });
    set.appendChild(labelled('f' + i + '-type', 'Kind', type));
    var role = select(roles.map(function (r) { return [r.value, r.label]; }), f.signer);
    role.addEventListener('change', function () { f.signer = role.value; syncRow(i); });
    set.appendChild(labelled('f' + i + '-role', 'Role', role));
    var name = document.createElement('input');
    name.type = 'text'; name.value = f.name || ''; name.maxLength = 255;
    name.addEventListener('input', function () { f.name = name.value; syncRow(i); });
    set.appendChild(labelled('f' + i + '-name', 'Name', name));
    var req = document.createElement('input');
    req.type = 'checkbox'; req.checked = !!f.required;
    req.addEventListener('change', function () { f.required = req.checked; syncRow(i); });
    var reqWrap = labelled('f' + i + '-required', 'Required', req);
    reqWrap.className = 'check';
    reqWrap.appendChild(reqWrap.firstChild);
    set.appendChild(reqWrap);
    [['page', 'Page', 1], ['x', 'X (points)', 0], ['y', 'Y (points)', 0],
      ['width', 'Width (points)', 1], ['height', 'Height (points)', 1]].forEach(function (spec) {
      var k = spec[0];
      var n = numberInput(k === 'page' ? (f.page || 1) : f[k], spec[2]);
      n.addEventListener('input', function () {
        var v = parseFloat(n.value);
        if (isNaN(v)) return;
        f[k] = k === 'page' ? Math.round(v) : v;
        syncRow(i);
      });
      set.appendChild(labelled('f' + i + '-' + k, spec[1], n));
    });
    var remove = document.createElement('button');
    remove.type = 'button'; remove.className = 'secondary';
    remove.textContent = 'Remove field ' + (i + 1);
    remove.addEventListener('click', function () {
      fields.splice(i, 1);
      render();
      announce('Removed field ' + (i + 1) + '.');
    });
    set.appendChild(remove);
    return set;
  }
  function render() {
    boxes.forEach(function (b) { b.remove(); });
    boxes = [];
    list.textContent = '';
    fields.forEach(function (f, i) {
      boxes.push(makeBox(i));
      list.appendChild(row(i));
      syncRow(i);
    });
  }
  document.getElementById('fields-form').addEventListener('submit', function () {
    input.value = JSON.stringify(fields);
  });
  render();
})();
)js";
  return kScript;
}

std::string_view TemplateEditorStyleSheet() {
  static constexpr std::string_view kCss = R"css(
.editor-page { cursor: crosshair; }
.editor-page .sign-field { padding: 0; color: #0a3069; font: inherit; font-size: clamp(8px, 1.2vw,
  13px); cursor: move; touch-action: none; overflow: hidden; }
.editor-page .sign-field, .editor-page .sign-field:hover, .editor-page .sign-field:focus {
  background: rgba(255, 221, 87, 0.45); color: #0a3069; border-color: #9a6700; }
.editor-page .sign-field:focus-visible { outline: 3px solid #0969da; outline-offset: 1px; }
.editor-field { display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; align-items: flex-end; }
.editor-field > div { flex: 0 1 9rem; }
.editor-field > div.check { display: flex; gap: 0.4rem; align-items: center; flex-basis: auto; }
.editor-field input[type=number] { width: 7rem; }
.editor-tools > div { flex: 0 1 12rem; }
)css";
  return kCss;
}

}  // namespace countersign::web
