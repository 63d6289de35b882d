/* The design deck: draw the Mermaid diagrams (the npm package, served by the site), then show
   one slide at a time (arrow keys, the buttons, #slide-N in the address). Without JavaScript
   every slide shows on one page, with the diagrams' Mermaid text. */
(function () {
  "use strict";
  const deck = document.getElementById("deck");
  if (!deck) { return; }
  const slides = Array.from(deck.querySelectorAll(".slide"));
  const nav = document.getElementById("deck-nav");
  const position = document.getElementById("deck-position");
  let current = 0;

  function show(index) {
    current = Math.max(0, Math.min(slides.length - 1, index));
    slides.forEach(function (slide, i) { slide.classList.toggle("current", i === current); });
    position.textContent = (current + 1) + " / " + slides.length + ": " + slides[current].getAttribute("aria-label");
    if (history.replaceState) { history.replaceState(null, "", "#" + slides[current].id); }
  }

  function slideMode(on) {
    deck.classList.toggle("one-at-a-time", on);
    document.getElementById("deck-all").textContent = on ? "All slides on one page" : "One slide at a time";
    if (on) { show(current); }
  }

  function start() {
    nav.hidden = false;
    const wanted = slides.findIndex(function (s) { return "#" + s.id === location.hash; });
    current = wanted >= 0 ? wanted : 0;
    slideMode(true);
    document.getElementById("deck-prev").addEventListener("click", function () { show(current - 1); });
    document.getElementById("deck-next").addEventListener("click", function () { show(current + 1); });
    document.getElementById("deck-all").addEventListener("click", function () {
      slideMode(!deck.classList.contains("one-at-a-time"));
    });
    document.addEventListener("keydown", function (event) {
      if (!deck.classList.contains("one-at-a-time") || event.target.closest("input, textarea, select")) { return; }
      if (event.key === "ArrowRight" || event.key === "PageDown" || event.key === " ") { event.preventDefault(); show(current + 1); }
      if (event.key === "ArrowLeft" || event.key === "PageUp") { event.preventDefault(); show(current - 1); }
    });
  }

  // Diagrams are drawn while every slide is visible (Mermaid measures text as it lays out).
  if (window.mermaid) {
    window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "neutral" });
    window.mermaid.run({ querySelector: ".deck .mermaid" })
      .catch(function (error) { console.error("Mermaid:", error); })
      .finally(start);
  } else {
    start();
  }
})();
