// Progressive enhancement only: every form works without this file.
// Shows why an HTMX save failed, in the page's language (messages come from <body data-msg-*>),
// and asks before leaving a page with typed text not yet saved.
(function () {
  "use strict";
  // With this file running, changes save themselves: the whole-page save button (for pages
  // without JavaScript) would only make people doubt that.
  document.documentElement.classList.add("js");
  function message(key) {
    var body = document.body;
    return body.getAttribute("data-msg-" + key) || body.getAttribute("data-msg-error");
  }
  function statusOf(element) {
    var box = element && element.closest("fieldset, section, form");
    return box ? box.querySelector("[data-status]") : null;
  }
  function show(element, text, isError) {
    var status = statusOf(element);
    if (!status) { return; }
    status.textContent = text;
    status.classList.toggle("status-error", !!isError);
    if (isError) { status.setAttribute("role", "alert"); }
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    show(event.detail.elt, message("saving"), false);
  });
  // Validation errors (422) and conflicts come back as fragments to show, not as failures.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("htmx:responseError", function (event) {
    var code = event.detail.xhr.status;
    var key = { 401: "401", 403: "403", 409: "409", 503: "503" }[code] || "error";
    if (event.detail.xhr.getResponseHeader("X-Error-Reason") === "csrf") { key = "csrf"; }
    show(event.detail.elt, message(key), true);
  });
  document.addEventListener("htmx:sendError", function (event) {
    show(event.detail.elt, message("offline"), true);
  });

  // A save that failed on the way or on the server (no connection, 5xx) is sent again by
  // itself once, a moment later; if that fails too, the item stays marked [data-save-failed]
  // (its fields still count as unsaved, so leaving asks first) and tapping it sends it again.
  // Refusals (401, 403, 409) are not repeated: they need the person to act.
  var RETRY_AFTER_MS = 1500;
  var triggers = new WeakMap();  // element → the event type that sends its save
  var retried = new WeakSet();  // elements whose failed save was already repeated once
  var waiting = new WeakSet();  // elements with a save under way
  function resend(elt) {
    if (elt.isConnected && !waiting.has(elt)) {
      htmx.trigger(elt, triggers.get(elt) || "change");
    }
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var trigger = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
    if (trigger) { triggers.set(event.detail.elt, trigger.type); }
    waiting.add(event.detail.elt);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    waiting.delete(elt);
    if (!elt.closest("[data-unsaved]")) { return; }
    if (status >= 200 && status < 300) {
      elt.removeAttribute("data-save-failed");
      retried.delete(elt);
    } else if (status === 0 || status >= 500) {
      elt.setAttribute("data-save-failed", "");
      if (!retried.has(elt)) {
        retried.add(elt);
        window.setTimeout(function () { resend(elt); }, RETRY_AFTER_MS);
      }
    }
  });
  // Tapping the answer already chosen changes nothing, so the browser sends nothing: for an
  // item whose save failed, the tap itself sends it again.
  document.addEventListener("click", function (event) {
    var failed = event.target.closest && event.target.closest("[data-save-failed]");
    if (!failed || !event.target.matches("input, label, [data-status]")) { return; }
    window.setTimeout(function () { resend(failed); }, 0);  // after a change it started
  });

  // Leaving a page with typed text that is not saved yet asks first. A field inside a
  // [data-unsaved] form is unsaved while it differs from what the page was served with (or
  // what an HTMX save last stored), or while the server marks it [data-not-saved] (text shown
  // back beside a conflict or an error).
  var FIELDS = "input, textarea, select";
  function fieldsOf(element) {
    if (!element || !element.querySelectorAll) { return []; }
    if (element.matches(FIELDS)) { return [element]; }
    return Array.prototype.slice.call(element.querySelectorAll(FIELDS));
  }
  function isToggle(field) {
    return field.type === "checkbox" || field.type === "radio";
  }
  function stateOf(field) {
    if (isToggle(field)) { return field.checked; }
    if (field.tagName === "SELECT") {
      return Array.prototype.map.call(field.options, function (o) { return o.selected; }).join();
    }
    return field.value;
  }
  function isUnsaved(field) {
    if (field.disabled || field.readOnly || field.type === "hidden") { return false; }
    // A field of another form placed inside (its form attribute: evidence) is not the page's.
    if (field.form && !field.form.hasAttribute("data-unsaved")) { return false; }
    if (field.hasAttribute("data-not-saved")) { return true; }
    if (isToggle(field)) { return field.checked !== field.defaultChecked; }
    if (field.tagName === "SELECT") {
      return Array.prototype.some.call(field.options, function (o) {
        return o.selected !== o.defaultSelected;
      });
    }
    return field.value !== field.defaultValue;
  }
  function markSaved(field) {
    field.removeAttribute("data-not-saved");
    if (isToggle(field)) {
      field.defaultChecked = field.checked;
    } else if (field.tagName === "SELECT") {
      Array.prototype.forEach.call(field.options, function (o) { o.defaultSelected = o.selected; });
    } else if (field.type !== "file") {
      field.defaultValue = field.value;
    }
  }
  // What each HTMX request sent: once it is stored, the fields still showing it are saved.
  var sent = new WeakMap();
  document.addEventListener("htmx:beforeRequest", function (event) {
    sent.set(event.detail.xhr, fieldsOf(event.detail.elt).map(function (field) {
      return [field, stateOf(field)];
    }));
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    if (!xhr || xhr.status < 200 || xhr.status >= 300) { return; }
    (sent.get(xhr) || []).forEach(function (pair) {
      if (pair[0].isConnected && stateOf(pair[0]) === pair[1]) { markSaved(pair[0]); }
    });
  });
  // Leaving a field whose text was already saved (typing stopped, then it was saved) sends
  // nothing again.
  document.addEventListener("htmx:confirm", function (event) {
    var trigger = event.detail.triggeringEvent;
    var elt = event.detail.elt;
    if (trigger && trigger.type === "change" && elt.closest("[data-unsaved]") &&
        !fieldsOf(elt).some(isUnsaved)) {
      event.preventDefault();
    }
  });
  // A form being submitted, or text deliberately discarded, is not lost work.
  document.addEventListener("submit", function (event) {
    if (!event.defaultPrevented) { fieldsOf(event.target).forEach(markSaved); }
  });
  document.addEventListener("click", function (event) {
    var discard = event.target.closest && event.target.closest("[data-discard]");
    if (discard) { fieldsOf(discard.closest("section, form")).forEach(markSaved); }
  });
  window.addEventListener("beforeunload", function (event) {
    var unsaved = Array.prototype.some.call(
      document.querySelectorAll("[data-unsaved]"),
      function (form) { return fieldsOf(form).some(isUnsaved); }
    );
    if (unsaved) {
      event.preventDefault();
      event.returnValue = "";  // what older browsers need to ask
    }
  });
})();
