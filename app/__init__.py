"""The application layer: the use cases the CLI and the HTTP API both call.

No HTTP and no terminal code lives here: functions take settings, a database and plain
values, and return results (or stream them).
"""

__all__: list[str] = []
