"""One settings object (environment variables `GRADER_*` or a `.env` file), injected."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from grader._errors import InputError
from grader.model import LLM, ResponseCache, UsageMeter

__all__ = ["Settings", "get_settings"]


def _default_cache_dir() -> Path:
    return Path.home() / ".cache" / "interaction-grader"


def _default_data_dir() -> Path:
    return Path.home() / ".local" / "share" / "interaction-grader"


#: URL schemes the service's storage accepts, and the driver each one is given.
_DRIVERS = {
    "sqlite": "sqlite",
    "postgres": "postgresql+psycopg",
    "postgresql": "postgresql+psycopg",
    "postgresql+psycopg": "postgresql+psycopg",
}

#: An origin a page may be framed by: scheme, host (a leading `*.` for any subdomain) and an
#: optional port (`*` for any); nothing that could end the header or add a directive.
_ORIGIN = re.compile(r"https?://(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:(\d{1,5}|\*))?")


class Settings(BaseSettings):
    """Everything a run can be configured by; CLI flags override these."""

    model_config = SettingsConfigDict(
        env_prefix="GRADER_", env_file=".env", extra="ignore", populate_by_name=True
    )

    model: str = Field(
        "local", description="'local' (embedded SmolLM2) or any litellm model string."
    )
    api_base: str | None = None
    api_key: SecretStr | None = None
    temperature: float = Field(0.0, ge=0, le=2)
    max_output_tokens: int | None = Field(
        None,
        ge=64,
        description="Answer length cap; default 2048, 4096 for the embedded model (a small "
        "model can fill every bounded field with one-character tokens, e.g. '1.1.1.…').",
    )
    request_timeout: float = Field(600.0, gt=0)
    max_reasks: int = Field(2, ge=0, le=10)
    max_transient_retries: int = Field(4, ge=1, le=20)
    max_retry_wait: float = Field(60.0, ge=0)
    token_budget: int | None = Field(None, ge=1)
    concurrency: int = Field(2, ge=1, le=64)
    use_cache: bool = True
    cache_dir: Path = Field(default_factory=_default_cache_dir)
    rubric_path: Path | None = None
    redact_pii: bool | None = Field(
        None, description="Mask e-mails, phones, cards in prompts; default: on for hosted models."
    )
    local_model_path: Path | None = None
    local_context: int = Field(8192, ge=2048)
    few_shot: int | None = Field(
        None,
        ge=0,
        le=10,
        description="Human-scored exemplars shown when grading; default: 0 for the embedded "
        "model (measured: no gain, docs/learned-calibration.md), 3 for any other (when the "
        "tenant has exemplars).",
    )
    few_shot_tokens: int = Field(600, ge=50, le=8000)
    data_dir: Path = Field(
        default_factory=_default_data_dir,
        description="Where the service keeps its SQLite database and the coach store.",
    )
    database_url: str | None = Field(
        None,
        validation_alias=AliasChoices("DATABASE_URL", "GRADER_DATABASE_URL", "database_url"),
        description="SQLAlchemy URL: sqlite:///FILE or postgresql+psycopg://...; "
        "default: a SQLite file under data_dir.",
    )
    store_dir: Path | None = Field(
        None,
        description="The coach store (model answers, policies, exemplars); default: "
        "data_dir/store.",
    )
    shared_data: Path | None = Field(
        None, description="Human-rated data sets (STC-3, politeness); default: ../shared/data."
    )
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    rate_limit_per_minute: int = Field(
        120, ge=1, description="Requests per tenant per minute, unless the tenant has its own."
    )
    tokens_per_day: int | None = Field(
        None,
        ge=1,
        description="Model tokens per tenant per UTC day, unless the tenant has its own.",
    )
    sidebar_frame_ancestors: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Origins whose pages may embed the coach sidebar (/app/sidebar/) in a "
        "frame, e.g. the helpdesk's https://chat.example.com; comma- or space-separated in "
        "the environment. Unset: only this service's own pages may frame it.",
    )
    # Bulk jobs (app.jobs, on DBOS).
    jobs_database_url: str | None = Field(
        None,
        description="DBOS system database; default: a SQLite file beside a SQLite database, "
        "the same PostgreSQL database (schema dbos) otherwise.",
    )
    job_concurrency: int = Field(
        16, ge=1, le=1024, description="Model requests in flight per worker process."
    )
    job_chunk_size: int = Field(
        25, ge=1, le=1000, description="Items per queued workflow (one DBOS workflow each)."
    )
    job_poll_interval: float = Field(
        0.05, gt=0, le=10, description="How often a worker looks for queued work (seconds)."
    )
    job_max_upload_bytes: int = Field(1 << 30, ge=1024)
    job_in_process_worker: bool = Field(
        True, description="`grader serve` grades queued items itself (off: `grader worker` does)."
    )
    rate_limits: dict[str, int] = Field(
        default_factory=dict,
        description="Provider limits, requests per minute, by model or provider prefix "
        '(e.g. {"openai": 500}); the job queue starts no more than that.',
    )
    fallback_models: dict[str, str] = Field(
        default_factory=dict,
        description="Model to grade with when the primary fails for good (non-transient error "
        'or retries spent), e.g. {"openai/gpt-4o": "openai/gpt-4o-mini"}.',
    )

    @field_validator("api_key")
    @classmethod
    def _no_placeholder(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and value.get_secret_value().strip().lower() in {
            "changethis",
            "xxx",
            "",
        }:
            raise ValueError("api_key is a placeholder; set a real key or leave it unset")
        return value

    @field_validator("sidebar_frame_ancestors", mode="before")
    @classmethod
    def _origins(cls, value: Any) -> Any:
        """Each entry an origin (CSP frame-ancestors source), without a trailing slash."""
        items = value.replace(",", " ").split() if isinstance(value, str) else value
        if not isinstance(items, list):
            return items
        origins = [str(item).strip().rstrip("/") for item in items if str(item).strip()]
        bad = [o for o in origins if not _ORIGIN.fullmatch(o)]
        if bad:
            raise ValueError(
                f"not an origin: {', '.join(map(repr, bad))} (use e.g. https://chat.example.com, "
                "https://*.example.com or http://localhost:3000)"
            )
        return list(dict.fromkeys(origins))

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str | None) -> str | None:
        """Only SQLite and PostgreSQL; a bare postgres:// URL gets the psycopg 3 driver."""
        if value is None or not value.strip():
            return None
        scheme, sep, rest = value.strip().partition("://")
        if not sep or scheme not in _DRIVERS:
            raise ValueError(
                f"database_url {scheme!r}: use sqlite:///FILE or postgresql+psycopg://USER@HOST/DB"
            )
        return f"{_DRIVERS[scheme]}://{rest}"

    def with_overrides(self, **changes: Any) -> Settings:
        """A copy with `changes`, validated (None values are ignored: "not given")."""
        given = {k: v for k, v in changes.items() if v is not None}
        try:
            return type(self).model_validate({**self.model_dump(), **given})
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in first["loc"])
            raise InputError(f"setting {where}: {first['msg']}") from None

    @property
    def database(self) -> str:
        """The SQLAlchemy URL in effect."""
        if self.database_url is not None:
            return self.database_url
        return f"sqlite:///{self.data_dir.expanduser() / 'grader.db'}"

    @property
    def coach_store(self) -> Path:
        """The coach store folder in effect."""
        return (self.store_dir or self.data_dir / "store").expanduser()

    @property
    def is_local(self) -> bool:
        """Whether the model runs in this process."""
        return self.model == "local" or self.model.startswith("local/")

    @property
    def output_tokens(self) -> int:
        """The answer length cap in effect."""
        if self.max_output_tokens is not None:
            return self.max_output_tokens
        return 4096 if self.is_local else 2048

    @property
    def few_shot_k(self) -> int:
        """How many exemplars to show the model (0: none)."""
        if self.few_shot is not None:
            return self.few_shot
        return 0 if self.is_local else 3

    @property
    def should_redact(self) -> bool:
        """PII stays on this machine with the local model; masked for any other by default."""
        return (not self.is_local) if self.redact_pii is None else self.redact_pii

    def build_llm(self, meter: UsageMeter | None = None) -> LLM:
        """The LLM seam configured by these settings."""
        return LLM(
            self.model,
            api_base=self.api_base,
            api_key=self.api_key.get_secret_value() if self.api_key else None,
            temperature=self.temperature,
            max_output_tokens=self.output_tokens,
            timeout=self.request_timeout,
            max_reasks=self.max_reasks,
            max_transient_retries=self.max_transient_retries,
            max_retry_wait=self.max_retry_wait,
            cache=ResponseCache(self.cache_dir) if self.use_cache else None,
            meter=meter or UsageMeter(self.token_budget),
            local_model_path=self.local_model_path,
            local_context=self.local_context,
        )


@cache
def get_settings() -> Settings:
    """Settings from the environment, read once (override in tests, don't patch)."""
    return Settings()
