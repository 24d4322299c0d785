// view.js: what script adds to the pages, which work without it. Served
// from this server only (CSP script-src 'self').
//  - Number keys press an option of the current point (toggle a check box
//    in a question with several answers); h asks for a hint, s skips.
//  - On a narrow screen the case panel starts closed (its summary opens it).
'use strict';
(function () {
  var form = document.querySelector('form.point');
  if (form) {
    document.addEventListener('keydown', function (ev) {
      if (ev.ctrlKey || ev.altKey || ev.metaKey || ev.isComposing) return;
      var t = ev.target;
      var tag = t && t.tagName;
      if (tag === 'TEXTAREA' || tag === 'SELECT' ||
          (tag === 'INPUT' && t.type !== 'checkbox' && t.type !== 'radio')) return;
      var key = ev.key.length === 1 ? ev.key.toLowerCase() : '';
      if (!key) return;
      var target = form.querySelector('[data-key="' + (key === '"' ? '' : key) + '"]');
      if (!target) return;
      ev.preventDefault();
      if (target.tagName === 'LABEL') {
        var box = target.querySelector('input');
        box.checked = !box.checked;
        box.focus();
      } else {
        target.click();
      }
    });
  }
  var panel = document.getElementById('case-panel');
  if (panel && window.matchMedia && window.matchMedia('(max-width: 55.99rem)').matches) {
    panel.open = false;
  }
})();
