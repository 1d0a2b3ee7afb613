"""Criteria pages: browse the catalog for an entity type and download it (everyone signed in); list, compare
and activate versions (staff; activation by program managers and system administrators)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenlane.accounts.choices import StaffRole
from greenlane.core.errors import NotFound
from greenlane.core.web import attempt, staff_only
from greenlane.partners.choices import EntityType
from greenlane.partners.selectors import my_companies
from greenlane.profiles import revision

from . import catalog_io, exports, selectors
from .models import CatalogVersion

ACTIVATORS = frozenset({StaffRole.PROGRAM_MANAGER, StaffRole.SYSTEM_ADMIN})
# A page request migrates for at most this long; the rest continues on "Continue" or with the command.
ACTIVATE_TIME_BUDGET = 20.0
ALL_TYPES = ""
PDF_CACHE_SECONDS = 24 * 3600


def _type_choices():
    return [(ALL_TYPES, gettext_lazy("All entity types")), *EntityType.choices]


class BrowseForm(forms.Form):
    entity_type = forms.ChoiceField(label=gettext_lazy("Entity type"), required=False, choices=_type_choices)


class CompareForm(forms.Form):
    old = forms.TypedChoiceField(label=gettext_lazy("Compare version"), coerce=int)
    new = forms.TypedChoiceField(label=gettext_lazy("with version"), coerce=int)
    entity_type = forms.ChoiceField(label=gettext_lazy("Entity type"), required=False, choices=_type_choices)

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(v.pk, f"{v.version}{' · ' + _('active') if v.is_active else ''}") for v in versions]
        self.fields["old"].choices = self.fields["new"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("old") and data.get("old") == data.get("new"):
            raise forms.ValidationError(_("Choose two different versions."))
        return data


def _default_entity_type(user) -> str:
    """The user's first company's entity type; staff (and people without a company) see every type."""
    if user.staff_role:
        return ALL_TYPES
    companies = my_companies(user)
    return companies[0].partner.entity_type if companies else ALL_TYPES


def _version(request) -> CatalogVersion:
    """The active version; staff may look at any loaded version with ?version=<id>."""
    if request.user.staff_role and request.GET.get("version"):
        try:
            return selectors.version_by_id(int(request.GET["version"]))
        except (NotFound, ValueError):
            raise Http404() from None
    version = selectors.active_version()
    if version is None:
        raise Http404(_("No criteria catalog is active yet."))
    return version


def _entity_type(request) -> tuple[BrowseForm, str | None]:
    """The entity type asked for (None when it is not a known type), and the form that shows the choice."""
    if "entity_type" in request.GET:
        form = BrowseForm(request.GET)
        return form, (form.cleaned_data["entity_type"] if form.is_valid() else None)
    chosen = _default_entity_type(request.user)
    return BrowseForm(initial={"entity_type": chosen}), chosen


def _type_label(entity_type: str) -> str:
    return exports.entity_type_label(entity_type) if entity_type else _("all entity types")


@login_required
def browse(request):
    version = _version(request)
    form, entity_type = _entity_type(request)
    if entity_type is None:
        return render(request, "criteria/browse.html", {"form": form, "version": version}, status=400)
    criteria = list(selectors.criteria_for(version, entity_type or None))
    for c in criteria:
        c.references = [(exports.crosswalk_label(k), v) for k, v in sorted(c.crosswalk.items())]
        if not entity_type:
            c.applies_labels = [exports.entity_type_label(t) for t in exports.applies_to(c)]
    musts = sum(1 for c in criteria if c.level == "must")
    params = {"entity_type": entity_type, **({} if version.is_active else {"version": version.pk})}
    query = "?" + urlencode(params)
    return render(
        request,
        "criteria/browse.html",
        {
            "form": form,
            "version": version,
            "entity_type": entity_type,
            "type_label": _type_label(entity_type),
            "areas": exports.grouped(criteria),
            "count": len(criteria),
            "musts": musts,
            "shoulds": len(criteria) - musts,
            "query": query,
        },
    )


def _download(request, fmt: str) -> HttpResponse:
    version = _version(request)
    _form, entity_type = _entity_type(request)
    if entity_type is None:
        return HttpResponse(
            _("Unknown entity type. Choose one of: %(t)s.") % {"t": ", ".join(EntityType.values)},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    stem = exports.file_stem(version, entity_type)
    if fmt == "csv":
        criteria = list(selectors.criteria_for(version, entity_type or None))
        response = HttpResponse(
            exports.catalog_csv(version, entity_type, criteria), content_type="text/csv; charset=utf-8"
        )
    else:
        # A loaded version never changes, and laying out ~150 criteria takes fpdf2 a second: keep the
        # document for the day (it prints the date) per version, entity type and language.
        key = (
            f"criteria-pdf:{version.checksum}:{entity_type or 'all'}:{get_language()}:{timezone.localdate()}"
        )
        body = cache.get(key)
        if body is None:
            criteria = list(selectors.criteria_for(version, entity_type or None))
            body = exports.catalog_pdf(version, entity_type, _type_label(entity_type), criteria)
            cache.set(key, body, PDF_CACHE_SECONDS)
        response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


@login_required
def download_csv(request):
    return _download(request, "csv")


@login_required
def download_pdf(request):
    return _download(request, "pdf")


@staff_only
def versions(request):
    rows = list(
        CatalogVersion.objects.filter(catalog=selectors.CATALOG)
        .annotate(
            criteria_count=Count("criteria", distinct=True), category_count=Count("categories", distinct=True)
        )
        .order_by("-effective", "-id")
    )
    profiles = revision.current_profiles_by_version(selectors.CATALOG)
    active = next((v for v in rows if v.is_active), None)
    for v in rows:
        v.profile_count = profiles.get(v.pk, 0)
        v.newer_than_active = active is not None and catalog_io.version_key(
            v.version
        ) > catalog_io.version_key(active.version)
    return render(request, "criteria/versions.html", {"versions": rows, "active": active})


def _default_pair(all_versions: list[CatalogVersion]) -> dict:
    """The active version against the newest other one (a revision waiting to be activated, usually)."""
    active = next((v for v in all_versions if v.is_active), None)
    others = sorted(
        (v for v in all_versions if v is not active),
        key=lambda v: catalog_io.version_key(v.version),
        reverse=True,
    )
    if active is None or not others:
        return {}
    newer = [v for v in others if catalog_io.version_key(v.version) > catalog_io.version_key(active.version)]
    if newer:
        return {"old": active.pk, "new": newer[-1].pk, "entity_type": ALL_TYPES}
    return {"old": others[0].pk, "new": active.pk, "entity_type": ALL_TYPES}


@staff_only
def compare(request):
    all_versions = selectors.versions()
    bound = "old" in request.GET or "new" in request.GET
    form = CompareForm(
        request.GET if bound else None, versions=all_versions, initial=_default_pair(all_versions)
    )
    ctx: dict = {"form": form, "can_activate": request.user.staff_role in ACTIVATORS}
    if bound and form.is_valid():
        pair = (form.cleaned_data["old"], form.cleaned_data["new"])
        entity_type = form.cleaned_data["entity_type"]
    elif not bound and form.initial:
        pair = (form.initial["old"], form.initial["new"])
        entity_type = ALL_TYPES
    else:
        return render(request, "criteria/compare.html", ctx, status=400 if bound else 200)
    by_id = {v.pk: v for v in all_versions}
    old, new = by_id[pair[0]], by_id[pair[1]]
    diff = selectors.compare(old, new, entity_type or None)
    active = next((v for v in all_versions if v.is_active), None)
    activatable = not new.is_active and (
        active is None or catalog_io.version_key(new.version) > catalog_io.version_key(active.version)
    )
    ctx.update(
        {
            "old": old,
            "new": new,
            "diff": diff,
            "entity_type": entity_type,
            "type_label": _type_label(entity_type),
            "changes": [_changes(a, b) for a, b in diff.changed],
            "activatable": activatable,
            "pending": revision.pending_profiles(new).count() if (activatable or new.is_active) else 0,
        }
    )
    return render(request, "criteria/compare.html", ctx)


def _changes(old, new) -> dict:
    """What differs between two versions of one criterion, field by field (the parts of its content hash)."""
    fields = []
    if old.level != new.level:
        fields.append((_("Level"), old.get_level_display(), new.get_level_display()))
    if old.title != new.title:
        fields.append((_("Title"), old.title, new.title))
    if old.requirement != new.requirement:
        fields.append((_("Requirement"), old.requirement, new.requirement))
    before, after = set(exports.applies_to(old)), set(exports.applies_to(new))
    labels = dict(EntityType.choices)
    return {
        "old": old,
        "new": new,
        "fields": fields,
        "types_added": [labels.get(t, t) for t in exports.applies_to(new) if t not in before],
        "types_removed": [labels.get(t, t) for t in exports.applies_to(old) if t not in after],
    }


@staff_only
@require_POST
def activate(request, version_id):
    version = CatalogVersion.objects.filter(pk=version_id, catalog=selectors.CATALOG).first()
    if version is None:
        raise Http404()
    back = reverse("criteria:versions")
    if request.POST.get("confirm") != "yes":
        messages.error(
            request,
            _("Tick the box to confirm that you want to activate version %(v)s.") % {"v": version.version},
        )
        return redirect(_back(request) or back)
    ok, result = attempt(
        request,
        None,
        lambda: revision.catalog_activate_and_migrate(
            actor=request.user, version_id=version.pk, time_budget=ACTIVATE_TIME_BUDGET
        ),
    )
    if ok:
        messages.success(
            request,
            _(
                "Version %(v)s is active. %(n)d security profiles moved to it: %(c)d changed and %(a)d new "
                "criteria flagged for the companies to answer, %(r)d removed answers archived."
            )
            % {
                "v": version.version,
                "n": result.migrated,
                "c": result.changed,
                "a": result.new,
                "r": result.removed,
            },
        )
        if result.remaining:
            messages.warning(
                request,
                _(
                    "%(n)d profiles still have to move. Press “Continue the migration” on the comparison "
                    "page, or run “greenlane activate-catalog %(v)s”."
                )
                % {"n": result.remaining, "v": version.version},
            )
    return redirect(back)


def _back(request) -> str | None:
    """The page the form came from, if it is one of ours."""
    url = request.POST.get("back") or ""
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}) and url.startswith(
        "/criteria/"
    ):
        return url
    return None
