"""Company-side security profile pages (being built)."""

from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404()


profile_overview = category = answer = submit = evidence = evidence_document = evidence_download = revisions = _todo
