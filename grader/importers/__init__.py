"""Read transcripts from files: the native JSON/JSONL format, CSV, Chatwoot and Zendesk.

Every reader returns an `ImportResult`: the transcripts that loaded plus an `ImportIssue`
for each record that did not, so one bad record never hides the rest of a file.
"""

from grader.importers._chatwoot import read_chatwoot
from grader.importers._csv import read_csv
from grader.importers._detect import FORMATS, read_transcripts
from grader.importers._jsonl import read_json, read_jsonl
from grader.importers._result import ImportIssue, ImportResult
from grader.importers._zendesk import read_zendesk

__all__ = [
    "FORMATS",
    "ImportIssue",
    "ImportResult",
    "read_chatwoot",
    "read_csv",
    "read_json",
    "read_jsonl",
    "read_transcripts",
    "read_zendesk",
]
