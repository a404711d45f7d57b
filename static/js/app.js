// Progressive enhancement only: every form works without this file.
// Shows why an HTMX save failed, in the page's language (messages come from <body data-msg-*>).
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
})();
