"""Writes of the communications app (one module per area, re-exported here)."""

from .assessments import (
    AssessmentInput,
    assessment_create,
    assessment_opened,
    assessment_publish,
    assessment_update,
    assessment_withdraw,
)
from .bulletins import (
    BulletinInput,
    bulletin_create,
    bulletin_publish,
    bulletin_read,
    bulletin_unschedule,
    bulletin_update,
    bulletin_withdraw,
    bulletins_release_due,
    digest_send,
)
from .threads import Upload, message_post, thread_mark_read, thread_start

__all__ = [
    "AssessmentInput",
    "BulletinInput",
    "Upload",
    "assessment_create",
    "assessment_opened",
    "assessment_publish",
    "assessment_update",
    "assessment_withdraw",
    "bulletin_create",
    "bulletin_publish",
    "bulletin_read",
    "bulletin_unschedule",
    "bulletin_update",
    "bulletin_withdraw",
    "bulletins_release_due",
    "digest_send",
    "message_post",
    "thread_mark_read",
    "thread_start",
]
