"""django-import-export wired to our own importers and a streaming CSV writer.

The admin's import screens (upload, dry-run preview, confirm) are django-import-export's; the rows
are checked and written by the same all-or-nothing importers the `import_users` and
`import_loans` commands use (accounts.imports, loans.imports), so the admin, the commands and the
tests share one set of rules. A resource's fields are its export columns; the import columns are
a subset of them with the same names, so an export imports back.
"""

import csv
import io
from collections.abc import Callable, Iterable

import tablib
from django.core.exceptions import ValidationError
from import_export import resources
from import_export.admin import ExportMixin, ImportMixin
from import_export.formats import base_formats
from import_export.results import Error, Result, RowResult

from communitylend.core.csvimport import _FORMULA_STARTS, ImportFileError, ImportReport
from communitylend.core.money import parse_decimal

# OWASP's CSV injection rule: a cell a spreadsheet would evaluate (it starts with =, +, -, @, a
# tab or a carriage return) is written with a leading apostrophe, which spreadsheets show as text.
# Plain numbers ("-12.50") stay numbers. Every CSV the site writes goes through this: the admin's
# exports (SafeCSV), export_csv (write_csv) and the lenders' downloads (csv_cells).
FORMULA_STARTS = _FORMULA_STARTS  # the CSV reader takes the apostrophe off again


def spreadsheet_safe(value):
    if value is None:
        return ""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    try:
        parse_decimal(value)
    except ValueError:
        return "'" + value
    return value


def csv_cells(row) -> list:
    return [spreadsheet_safe(value) for value in row]


class SafeCSV(base_formats.CSV):
    """The admin's CSV export with every cell (headers too) through spreadsheet_safe."""

    def export_data(self, dataset, **kwargs):
        safe = tablib.Dataset(headers=csv_cells(dataset.headers or []))
        for row in dataset:
            safe.append(csv_cells(row))
        return safe.export(self.get_title(), **kwargs)


CSV_ONLY = [SafeCSV]


class ServiceImportResource(resources.ModelResource):
    """A resource whose import goes through a service importer instead of row-by-row saves.

    Subclasses set ``importer`` (a function taking fileobj, dry_run, acting_user, track_rows and
    returning an ImportReport) and ``import_columns`` (the CSV header it reads).
    """

    importer: Callable[..., ImportReport]
    import_columns: tuple[str, ...] = ()

    def __init__(self, *, for_import: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.for_import = for_import

    def get_user_visible_fields(self):
        """The import page lists the columns the importer reads; the export page, all."""
        fields = super().get_user_visible_fields()
        if self.for_import:
            return [f for f in fields if f.column_name in self.import_columns]
        return fields

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None,
                    collect_failed_rows=False, rollback_on_validation_errors=False, **kwargs):
        result = Result()
        result.diff_headers = list(self.import_columns)
        result.warnings = []
        result.report = None
        fileobj = io.BytesIO(dataset.export("csv").encode("utf-8"))
        try:
            report = type(self).importer(fileobj=fileobj, dry_run=dry_run,
                                         acting_user=kwargs.get("user"), track_rows=True)
        except ImportFileError as exc:
            result.append_base_error(Error(exc))
            return result
        result.report = report
        result.total_rows = report.created + report.updated + report.skipped
        result.warnings = report.warnings
        errors_by_line: dict[int, dict[str, list[str]]] = {}
        values_by_line: dict[int, dict] = {}
        for error in report.errors:
            errors_by_line.setdefault(error.line, {}).setdefault(error.column, []).append(
                error.reason)
            values_by_line[error.line] = error.values or {}
        for line, errors in errors_by_line.items():
            result.append_invalid_row(line, values_by_line[line], ValidationError(errors))
            result.totals[RowResult.IMPORT_TYPE_INVALID] += 1
        for line, action, values in report.rows or []:
            row = RowResult()
            row.import_type = action
            row.row_values = values
            row.object_repr = f"line {line}"
            row.diff = [values.get(column, "") for column in self.import_columns]
            result.append_row_result(row)
        result.totals.update({RowResult.IMPORT_TYPE_NEW: report.created,
                              RowResult.IMPORT_TYPE_UPDATE: report.updated,
                              RowResult.IMPORT_TYPE_SKIP: report.skipped})
        return result


def csv_rows(resource: resources.ModelResource, queryset) -> Iterable[list]:
    """Header, then one list per object, reading the queryset in chunks (constant memory)."""
    yield resource.get_export_headers()
    for obj in resource.iter_queryset(queryset):
        yield resource.export_resource(obj)


def write_csv(resource: resources.ModelResource, queryset, out) -> int:
    """Write the export to a text stream; returns the number of data rows."""
    writer = csv.writer(out)
    count = -1
    for count, row in enumerate(csv_rows(resource, queryset)):  # noqa: B007 - counted below
        writer.writerow(csv_cells(row))
    return count


class CsvExportMixin(ExportMixin):
    """CSV exports of what the admin list shows, with its filters and search applied."""

    export_formats = CSV_ONLY


class CsvImportExportMixin(ImportMixin, CsvExportMixin):
    """Upload, dry-run preview (what will be created, updated or skipped; every bad row with its
    column and reason), then confirm. The importers write an audit event themselves; their rows
    carry no model instance for the admin's LogEntry, hence skip_admin_log."""

    import_formats = CSV_ONLY
    import_export_change_list_template = "admin/import_export/change_list_import_export.html"
    skip_admin_log = True
    import_template_name = "admin/import_export/service_import.html"

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "for_import": True}

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, UnicodeDecodeError):
            form.add_error("import_file", "The file is not UTF-8 text: save it as CSV UTF-8.")
        else:
            super().add_data_read_fail_error_to_form(form, e)
