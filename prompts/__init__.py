"""Prompt templates (Jinja), shipped as package data and versioned by their content.

`TemplateSet` serves every family of prompts in the project (the grader's here, the
coach's in `retrieval/prompts`): one Jinja setup, one way to version a prompt.
"""

from __future__ import annotations

import hashlib
from functools import cached_property
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import jinja2

__all__ = ["TemplateSet", "prompt_version", "render"]


class TemplateSet:
    """Templates in one package folder: rendered strictly, hashed together as a version."""

    def __init__(self, package: str, names: tuple[str, ...], folder: str = "") -> None:
        self.package, self.names, self.folder = package, names, folder

    def _file(self, name: str) -> Traversable:
        root = resources.files(self.package)
        return root.joinpath(self.folder, name) if self.folder else root.joinpath(name)

    @cached_property
    def _environment(self) -> jinja2.Environment:
        return jinja2.Environment(
            loader=jinja2.FunctionLoader(lambda name: self._file(name).read_text("utf-8")),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            autoescape=False,  # plain-text prompts, not HTML
        )

    def render(self, name: str, **variables: Any) -> str:
        """Render one template with `variables` (unknown variables are errors)."""
        return self._environment.get_template(name).render(**variables).strip() + "\n"

    @cached_property
    def version(self) -> str:
        """Hash of every template: an answer names the prompts it was made with."""
        digest = hashlib.sha256()
        for name in self.names:
            digest.update(self._file(name).read_bytes())
        return "sha256:" + digest.hexdigest()[:12]


_GRADER = TemplateSet(__name__, ("grade_system.jinja", "grade_user.jinja"))


def render(name: str, **variables: Any) -> str:
    """Render one grader template (unknown variables are errors)."""
    return _GRADER.render(name, **variables)


def prompt_version() -> str:
    """Hash of the grader's templates: a grade names the prompts it was made with."""
    return _GRADER.version
