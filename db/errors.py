"""The one error a load reports: where in which file, which field, what is wrong."""

from __future__ import annotations


class LoadError(Exception):
    """Bad input: printed as one line, e.g. ``HCPC.txt: line 12: field added_date: ...``."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        where: str | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.where = where
        self.field = field

    def located(self, *, file: str | None = None, where: str | None = None) -> LoadError:
        """Fill in the file (and place) when a caller knows them better."""
        self.file = self.file or file
        self.where = self.where or where
        return self

    def __str__(self) -> str:
        parts = [p for p in (self.file, self.where) if p]
        if self.field:
            parts.append(f"field {self.field}")
        parts.append(self.message)
        return ": ".join(parts)
