"""Prompt templates (Jinja), shipped as package data and versioned by their content."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from typing import Any

import jinja2

__all__ = ["prompt_version", "render"]

_TEMPLATES = ("grade_system.jinja", "grade_user.jinja")


@cache
def _environment() -> jinja2.Environment:
    def load(name: str) -> str:
        return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")

    return jinja2.Environment(
        loader=jinja2.FunctionLoader(load),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=False,  # plain-text prompts, not HTML
    )


def render(name: str, **variables: Any) -> str:
    """Render one template with `variables` (unknown variables are errors)."""
    return _environment().get_template(name).render(**variables).strip() + "\n"


@cache
def prompt_version() -> str:
    """Hash of every template: a grade names the prompts it was made with."""
    digest = hashlib.sha256()
    for name in _TEMPLATES:
        digest.update(resources.files(__name__).joinpath(name).read_bytes())
    return "sha256:" + digest.hexdigest()[:12]
