"""Validation services (every write). Re-exported here so callers import `greenlane.validations.services`."""

from .records import (
    document_request_answer,
    document_request_create,
    validation_cancel,
    validation_create,
    validation_sites_set,
    visit_done,
    visit_schedule,
)
from .report import item_close, item_respond, report_problems, report_review, report_submit, validation_close
from .work import finding_attach, findings_record, hours_record, item_create, item_delete, item_verify

__all__ = [
    "document_request_answer",
    "document_request_create",
    "finding_attach",
    "findings_record",
    "hours_record",
    "item_close",
    "item_create",
    "item_delete",
    "item_respond",
    "item_verify",
    "report_problems",
    "report_review",
    "report_submit",
    "validation_cancel",
    "validation_close",
    "validation_create",
    "validation_sites_set",
    "visit_done",
    "visit_schedule",
]
