"""Loaded by `schemathesis run` (schemathesis.toml, ``hooks``): how to generate the document's
own ``plain-text`` format (core/openapi.py), text the server's input checks accept
(core.input_checks: no control or invisible characters, numbers with the digits 0-9)."""

import schemathesis
from hypothesis import strategies as st

from communitylend.core.input_checks import string_problem

PLAIN_TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn"),
                           include_characters="\t\n\r"),
).filter(lambda text: string_problem(text) is None)

schemathesis.openapi.format("plain-text", PLAIN_TEXT)
