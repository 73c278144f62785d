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
  setUpFieldGuide();
  setUpCheckboxGroups();
  setUpRules();
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

  // Checkbox groups (form_field_groups): the first box of a group whose count of checked boxes
  // breaks its requirement carries the group's message, so the browser blocks the submission.
  function setUpCheckboxGroups() {
    var boxes = Array.prototype.slice.call(document.querySelectorAll('input[data-group]'));
    var groups = {};
    boxes.forEach(function (b) { (groups[b.dataset.group] = groups[b.dataset.group] || []).push(b); });
    function met(requirement, n) {
      if (requirement === 'require_0-1') return n <= 1;
      if (requirement === 'require_1') return n === 1;
      if (requirement === 'require_1-ormore') return n >= 1;
      return true;
    }
    Object.keys(groups).forEach(function (id) {
      var members = groups[id];
      function check() {
        var n = members.filter(function (b) { return b.checked; }).length;
        members.forEach(function (b) { b.setCustomValidity(''); });
        if (!met(members[0].dataset.requirement, n)) {
          members[0].setCustomValidity(members[0].dataset.groupText);
        }
      }
      members.forEach(function (b) { b.addEventListener('change', check); });
      check();
    });
  }

  // form_field_rules: shows and hides fields as the signer fills the triggers, the way the server
  // reads them again (service/form_field_rules.h); a hidden field is disabled, so it is neither
  // required nor sent.
  function setUpRules() {
    var holder = document.getElementById('field-rules');
    if (!holder) return;
    var rules = JSON.parse(holder.dataset.rules);
    var boxes = Array.prototype.slice.call(document.querySelectorAll('.sign-field[data-api-id]'));
    var byId = {};
    boxes.forEach(function (b) { byId[b.dataset.apiId] = b; });
    function control(box) { return box.querySelector('input, select'); }
    function isCheck(c) { return c && (c.type === 'checkbox' || c.type === 'radio'); }
    function raw(box) {
      var c = control(box);
      if (!c) return '';
      return isCheck(c) ? (c.checked ? '1' : '0') : c.value.replace(/[ \t]+$/, '');
    }
    function targets(action) {
      if (action.field_id) return byId[action.field_id] ? [byId[action.field_id]] : [];
      return boxes.filter(function (b) { return b.dataset.groupId === action.group_id; });
    }
    function holds(rule, value) {
      var t = rule.triggers[0];
      if (t.operator === 'is') return value === t.value;
      if (t.operator === 'not') return value !== t.value;
      if (t.operator === 'any') return t.values.indexOf(value) >= 0;
      if (t.operator === 'none') return t.values.indexOf(value) < 0;
      try { return new RegExp(t.value).test(value); } catch (e) { return false; }
    }
    function apply() {
      var hidden = {};
      rules.forEach(function (r) {
        r.actions.forEach(function (a) {
          targets(a).forEach(function (b) { hidden[b.dataset.apiId] = hidden[b.dataset.apiId] || !a.hidden; });
        });
      });
      rules.forEach(function (r) {
        var trigger = byId[r.triggers[0].id];
        if (!trigger) return;
        var value = hidden[trigger.dataset.apiId] ? (isCheck(control(trigger)) ? '0' : '') : raw(trigger);
        if (!holds(r, value)) return;
        r.actions.forEach(function (a) {
          targets(a).forEach(function (b) { hidden[b.dataset.apiId] = a.hidden; });
        });
      });
      boxes.forEach(function (b) {
        var h = !!hidden[b.dataset.apiId];
        b.hidden = h;
        var c = control(b);
        if (c) c.disabled = h;
      });
    }
    document.addEventListener('input', apply);
    document.addEventListener('change', apply);
    apply();
  }

  // The "next field" guide: counts the required fields still empty and moves the focus to the
  // next empty field after the focused one (then to the signature section).
  function setUpFieldGuide() {
    var fields = Array.prototype.slice.call(document.querySelectorAll('[data-field]'));
    var next = document.getElementById('sign-next-field');
    var status = document.getElementById('sign-guide-status');
    if (!fields.length || !next || !status) return;
    function isEmpty(el) {
      if (el.type === 'checkbox') return !el.checked;
      if (el.type === 'radio') {
        return !fields.some(function (o) { return o.type === 'radio' && o.name === el.name && o.checked; });
      }
      return !el.value;
    }
    function update() {
      var seen = {};
      var left = fields.filter(function (el) {
        if (!el.required || !isEmpty(el)) return false;
        if (el.type === 'radio') { if (seen[el.name]) return false; seen[el.name] = true; }
        return true;
      }).length;
      status.textContent = left === 0
        ? 'Every required field is filled. Adopt your signature below, then sign.'
        : left + (left === 1 ? ' required field is' : ' required fields are') + ' still empty.';
    }
    next.hidden = false;
    next.addEventListener('click', function () {
      var start = fields.indexOf(document.activeElement) + 1;
      var target = null;
      for (var i = 0; i < fields.length && !target; i++) {
        var el = fields[(start + i) % fields.length];
        if (isEmpty(el)) target = el;
      }
      if (!target) target = document.getElementById('your-signature');
      if (target.scrollIntoView) target.scrollIntoView({ block: 'center' });
      target.focus();
    });
    fields.forEach(function (el) {
      el.addEventListener('input', update);
      el.addEventListener('change', update);
    });
    update();
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
.sign-page-frame { position: relative; width: 100%; }
.sign-page-frame > .sign-page { position: absolute; inset: 0; width: 100%; height: 100%; }
.sign-field { position: absolute; box-sizing: border-box; display: flex; align-items: center;
  justify-content: center; background: rgba(255, 221, 87, 0.28); border: 1px dashed #9a6700;
  border-radius: 2px; font-size: clamp(9px, 1.6vw, 15px); }
.sign-field-required { border-style: solid; }
.sign-field[hidden] { display: none; }
.sign-field input[type=text], .sign-field input[type=password], .sign-field select {
  width: 100%; height: 100%; min-height: 0; margin: 0; padding: 0 0.2em; box-sizing: border-box;
  border: 0; background: rgba(255, 255, 255, 0.7); font: inherit; }
.sign-field input[type=checkbox], .sign-field input[type=radio] { width: 80%; height: 80%;
  margin: 0; }
.sign-field-mark, .sign-field-hyperlink a { font: inherit; color: #0a3069; }
.sign-field-mark { font-weight: 600; text-decoration: none; }
.sign-field-text-merge, .sign-field-checkbox-merge { background: transparent; border-color:
  #8c959f; }
.sign-field :focus-visible { outline: 3px solid #0969da; outline-offset: 1px; }
.sign-guide { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; gap: 0.5rem;
  align-items: center; justify-content: space-between; padding: 0.5rem 0.75rem; margin: 0.5rem 0;
  background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; }
.sign-guide p { margin: 0; }
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
