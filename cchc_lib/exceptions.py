"""Project exceptions: one base class and a few specific subclasses."""


class CchcError(Exception):
    """Raised when anything in cchc fails in a way a person must act on."""


class PeriodError(CchcError, ValueError):
    """Raised when a period code or data window is malformed."""


class UnitError(CchcError, ValueError):
    """Raised when a unit id is unknown, malformed or not valid in a period."""


class CatalogError(CchcError):
    """Raised when the indicator catalog is inconsistent."""


class InputFileError(CchcError):
    """Raised when an input file cannot be read at all (encoding, format, headers)."""


class ParamsError(CchcError):
    """Raised when report parameters cannot be read."""


class NotebookError(CchcError):
    """Raised when a notebook execution or rendering fails."""


class DataError(CchcError):
    """Raised when processed data read by a report breaks its schema."""


class TargetsError(ParamsError):
    """Raised when params/targets.yaml has an error: the message names file, line, key and rule."""
