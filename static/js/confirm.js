// A confirmation before destructive actions: a form with data-confirm="..." opens the shared
// <dialog> (templates/partials/confirm_dialog.html) that says what will happen; "Confirm"
// submits the form, "Keep it as it is" (or Escape) leaves everything as it was.
(function () {
  "use strict";
  var dialog = document.getElementById("confirm-dialog");
  if (!dialog || typeof dialog.showModal !== "function") {
    return; // no <dialog>: forms submit as before (the server still checks everything)
  }
  var pending = null;
  var title = document.getElementById("confirm-dialog-title");
  var body = document.getElementById("confirm-dialog-body");
  var confirmButton = document.getElementById("confirm-dialog-confirm");

  // data-confirm-value="amount": "{value}" in the message is what the user typed in that field,
  // as money when it is a number.
  function typedValue(form) {
    var field = form.dataset.confirmValue && form.elements[form.dataset.confirmValue];
    if (!field) {
      return "";
    }
    var text = String(field.value).trim();
    var number = Number(text.replace(/,/g, ""));
    if (text && isFinite(number)) {
      return "$" + number.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    return text;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm || form.dataset.confirmed === "1") {
      return;
    }
    event.preventDefault();
    pending = { form: form, submitter: event.submitter || null };
    title.textContent = form.dataset.confirmTitle || "Are you sure?";
    body.textContent = form.dataset.confirm.replace("{value}", typedValue(form));
    confirmButton.textContent = form.dataset.confirmAction || "Confirm";
    confirmButton.className = "btn " + (form.dataset.confirmDanger === "false" ? "btn-primary" : "btn-danger");
    dialog.returnValue = "";
    dialog.showModal();
    document.getElementById("confirm-dialog-cancel").focus();
  }, true);

  dialog.addEventListener("close", function () {
    var chosen = pending;
    pending = null;
    if (!chosen) {
      return;
    }
    if (dialog.returnValue === "confirm") {
      chosen.form.dataset.confirmed = "1";
      if (typeof chosen.form.requestSubmit === "function") {
        chosen.form.requestSubmit(chosen.submitter);
      } else {
        chosen.form.submit();
      }
    } else if (chosen.submitter) {
      chosen.submitter.focus();
    }
  });
})();
