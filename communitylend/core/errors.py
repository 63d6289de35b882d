"""Domain errors. Web and API layers turn them into a 4xx with the message (STYLE.md rule 5)."""


class ApplicationError(Exception):
    """A refused action or invalid input. ``field`` names the input at fault, if one is."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra or {}


class NotFound(ApplicationError):
    status_code = 404


class PermissionDenied(ApplicationError):
    status_code = 403


class FeatureDisabled(ApplicationError):
    """The feature is turned off by a feature flag: 503, the service is not available here."""

    status_code = 503


class InvalidState(ApplicationError):
    """The object is not in a state that allows the action ("cannot accept an expired loan")."""
