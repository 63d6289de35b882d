"""The design presentation at /about/design/ (issue 22): the slides of docs/design.md with live
figures from every app. A feature on top (DESIGN.md, "Architecture"): nothing imports it."""
