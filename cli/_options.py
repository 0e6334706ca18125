"""Options several commands share, declared once so their names and help agree."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = [
    "CalibrationDirOption",
    "ElementsOption",
    "FewShotOption",
    "RubricOption",
    "StoreOption",
    "TenantOption",
]

#: The `--elements` option shared by `grade` and `eval`.
ElementsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--elements",
        help="Grade only these rubric elements (repeatable); the rest are not asked for.",
    ),
]


#: The `--few-shot` option shared by `grade` and `eval`.
FewShotOption = Annotated[
    int | None,
    typer.Option(
        "--few-shot",
        min=0,
        max=10,
        help="Show the model the K nearest human-scored exemplars of the tenant "
        "(default: 0 for the embedded model, 3 for others).",
    ),
]


#: Whose calibration and exemplars (each tenant has its own).
TenantOption = Annotated[
    str, typer.Option(help="Tenant: whose calibration and exemplars are used or stored.")
]

#: The exemplar store directory.
StoreOption = Annotated[
    Path | None, typer.Option(help="Exemplar store directory (default: the coach store).")
]

#: Where calibrations are stored.
CalibrationDirOption = Annotated[
    Path | None,
    typer.Option(help="Where calibrations are stored (default: <cache dir>/calibration)."),
]

#: A rubric file.
RubricOption = Annotated[
    Path | None, typer.Option(help="Rubric YAML (default: the shipped cx_core).")
]
