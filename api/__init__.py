"""The FastAPI service (bulk grading, helpdesk sidebar, dashboards): not built yet.

The grading, calibration and coaching libraries it will serve live in `grader`, `evals`
and `retrieval`; routers here will stay thin over them.
"""
