// Site-wide behaviour every page shares.
(function () {
  "use strict";
  // A table too wide for the screen scrolls inside its own box (.table-responsive); a keyboard
  // user must be able to reach and scroll that box too, so it becomes focusable and is named.
  function scrollableRegions() {
    document.querySelectorAll(".table-responsive, .table-scroll, #content table").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.dataset.madeFocusable = "1";
        if (!box.hasAttribute("role")) {
          box.setAttribute("role", "region");
        }
        if (!box.hasAttribute("aria-label")) {
          var caption = box.querySelector("caption");
          var heading = box.previousElementSibling;
          var name = caption ? caption.textContent : (heading && /^H[1-6]$/.test(heading.tagName) ? heading.textContent : "Table");
          box.setAttribute("aria-label", name.trim() + " (scrolls sideways)");
        }
      } else if (!scrolls && box.dataset.madeFocusable === "1") {
        box.removeAttribute("tabindex");
        delete box.dataset.madeFocusable;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", scrollableRegions);
  window.addEventListener("resize", scrollableRegions);
  document.addEventListener("htmx:afterSwap", scrollableRegions);
})();
