"""The HTTP service: FastAPI under /v1 over the application layer (`app`), thin routes.

    app = create_app(settings)     # uvicorn api:create_app --factory, or `grader serve`

Auth is `Authorization: Bearer <key>` (`grader keys create`); OpenAPI at /openapi.json,
docs at /docs, the sidebar and dashboard pages under /app.
"""

from api._app import STATIC, create_app

__all__ = ["STATIC", "create_app"]
