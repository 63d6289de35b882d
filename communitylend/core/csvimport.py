"""Reading the original platform's CSV files: the header checked, each row with its line number,
and the report an import fills in (rows created, updated, skipped; each bad row with its line,
column and reason). Used by every importer, command and admin alike."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, empty, missing column)."""


@dataclass
class RowError:
    line: int
    column: str
    reason: str
    values: dict | None = field(default=None, repr=False, compare=False)  # the raw row

    def __str__(self):
        return f"line {self.line}, column {self.column}: {self.reason}"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False
    # With track_rows: (line, "new" | "update" | "skip", raw row) for the first rows_limit rows,
    # for previews; the counts above always cover the whole file.
    rows: list[tuple[int, str, dict]] | None = None
    rows_limit: int = 1000

    def outcome(self, line: int, action: str, values: dict) -> None:
        if self.rows is not None and len(self.rows) < self.rows_limit:
            self.rows.append((line, action, values))

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(fileobj) -> io.TextIOBase:
    fileobj.seek(0)
    head = fileobj.read(4096)
    if not head:
        raise ImportFileError("The file is empty")
    if isinstance(head, str):
        fileobj.seek(0)
        return fileobj
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the 4 KB edge is fine; anything else is not UTF-8.
        if exc.start < len(head) - 4:
            raise ImportFileError("The file is not UTF-8 text: save it as CSV UTF-8") from exc
    fileobj.seek(0)
    return io.TextIOWrapper(fileobj, encoding="utf-8-sig", newline="")


def read_rows(fileobj, columns) -> Iterator[tuple[int, dict]]:
    """(line number, row) for each data row; checks the header first."""
    text = _text(fileobj)
    try:
        yield from _rows(text, columns)
    finally:
        if text is not fileobj:
            text.detach()  # leave the caller's file open for the second pass


def _rows(text, columns) -> Iterator[tuple[int, dict]]:
    reader = csv.DictReader(text)
    try:
        header = reader.fieldnames
    except UnicodeDecodeError as exc:
        raise ImportFileError("The file is not UTF-8 text: save it as CSV UTF-8") from exc
    if not header:
        raise ImportFileError("The file is empty")
    missing = [c for c in columns if c not in [h.strip() for h in header]]
    if missing:
        raise ImportFileError(f"Missing column(s): {', '.join(missing)}")
    try:
        for row in reader:
            yield reader.line_num, {k.strip(): _unescaped((v or "").strip())
                                    for k, v in row.items() if k is not None}
    except UnicodeDecodeError as exc:
        raise ImportFileError("The file is not UTF-8 text: save it as CSV UTF-8") from exc


# Our exports write a cell a spreadsheet would evaluate with a leading apostrophe
# (communitylend.core.importexport.spreadsheet_safe); reading one back takes it off again, so
# an export imports back unchanged ("+1 555 0100" stays a phone number).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _unescaped(value: str) -> str:
    if value.startswith("'") and value[1:].startswith(_FORMULA_STARTS):
        return value[1:]
    return value
