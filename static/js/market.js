// The market's confirmation dialog: a Buy button fills it with the listing's figures and points
// its form at the listing's buy address; nothing is bought until the buyer confirms.
(function () {
  "use strict";
  var dialog = document.getElementById("buy-dialog");
  if (!dialog) return;
  var form = document.getElementById("buy-form");
  document.querySelectorAll("[data-buy]").forEach(function (button) {
    button.addEventListener("click", function () {
      form.action = button.dataset.buy;
      ["listing", "price", "percent", "yield", "outstanding"].forEach(function (name) {
        dialog.querySelector('[data-field="' + name + '"]').textContent = button.dataset[name];
      });
      dialog.showModal();
    });
  });
  document.getElementById("buy-cancel").addEventListener("click", function () {
    dialog.close();
  });
})();
