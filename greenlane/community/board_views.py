"""Message-board pages: members and staff read and post; moderators open topics and moderate."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from greenlane.core.web import attempt, querystring_without, staff_only

from . import board_selectors as selectors
from . import board_services as services
from . import forms, permissions
from .choices import ModerationAction, ReportStatus
from .web import paging, signed_in


def _posting_form(form_class, access, topic, data=None):
    companies = access.may_speak_for(topic)
    return form_class(data, companies=companies), bool(companies) or access.is_staff


@signed_in
def boards(request):
    access = selectors.board_access(request.user)
    return render(
        request,
        "community/boards.html",
        {"section": "boards", "access": access, "topics": selectors.topics(access)},
    )


@signed_in
def topic(request, topic_id):
    access = selectors.board_access(request.user)
    found = selectors.topic_for(access, topic_id)
    limit, offset = paging(request)
    _form, may_post = _posting_form(forms.ThreadForm, access, found)
    return render(
        request,
        "community/topic.html",
        {
            "section": "boards",
            "access": access,
            "topic": found,
            "page": selectors.threads(access, found, limit=limit, offset=offset),
            "querystring_base": querystring_without(request, "offset"),
            "may_post": may_post and not found.locked,
        },
    )


@signed_in
def thread_new(request, topic_id):
    access = selectors.board_access(request.user)
    found = selectors.topic_for(access, topic_id)
    form, may_post = _posting_form(forms.ThreadForm, access, found, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, thread = attempt(
            request,
            form,
            lambda: services.thread_create(
                actor=request.user,
                topic_id=found.pk,
                title=data["title"],
                body=data["body"],
                partner_id=data.get("partner_id"),
                display=data.get("display", ""),
            ),
        )
        if ok:
            messages.success(request, _("Thread started."))
            return redirect("community:thread", thread.pk)
    return render(
        request,
        "community/thread_new.html",
        {"section": "boards", "access": access, "topic": found, "form": form, "may_post": may_post},
    )


@signed_in
def thread(request, thread_id):
    access = selectors.board_access(request.user)
    found = selectors.thread_for(access, thread_id)
    limit, offset = paging(request)
    form, may_post = _posting_form(forms.ReplyForm, access, found.topic)
    return render(
        request,
        "community/thread.html",
        {
            "section": "boards",
            "access": access,
            "thread": found,
            "topic": found.topic,
            "page": selectors.posts(access, found, limit=limit, offset=offset),
            "querystring_base": querystring_without(request, "offset"),
            "form": form,
            "may_post": may_post,
            "closed": found.locked or found.topic.locked,
        },
    )


@signed_in
@require_POST
def reply(request, thread_id):
    access = selectors.board_access(request.user)
    found = selectors.thread_for(access, thread_id)
    form, _may_post = _posting_form(forms.ReplyForm, access, found.topic, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        ok, post = attempt(
            request,
            None,
            lambda: services.post_create(
                actor=request.user,
                thread_id=found.pk,
                body=data["body"],
                partner_id=data.get("partner_id"),
                display=data.get("display", ""),
            ),
        )
        if ok:
            messages.success(request, _("Reply posted."))
            return redirect(
                reverse("community:thread", args=[found.pk]) + f"?offset={_last_offset(found)}#post-{post.pk}"
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("community:thread", found.pk)


def _last_offset(thread) -> int:
    count = thread.posts.count()
    return max(0, (count - 1) // 20 * 20)


@signed_in
def report(request, post_id):
    access = selectors.board_access(request.user)
    post = selectors.post_for(access, post_id)
    form = forms.ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _report = attempt(
            request,
            form,
            lambda: services.report_create(
                actor=request.user, post_id=post.pk, reason=form.cleaned_data["reason"]
            ),
        )
        if ok:
            messages.success(request, _("Thank you. A moderator will look at the post."))
            return redirect("community:thread", post.thread_id)
    return render(
        request,
        "community/report.html",
        {"section": "boards", "access": access, "post": post, "form": form},
    )


# Staff ---------------------------------------------------------------------------------------------------


@staff_only
def moderation(request):
    form = forms.QueueFilterForm(request.GET or None)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ReportStatus.OPEN
    if not request.GET:
        status = ReportStatus.OPEN
    limit, offset = paging(request)
    return render(
        request,
        "community/moderation.html",
        {
            "form": form,
            "page": selectors.reports(request.user, status=status, limit=limit, offset=offset),
            "querystring_base": querystring_without(request, "offset"),
            "hidden": selectors.hidden_posts(),
            "can_moderate": permissions.can_moderate(request.user),
            "decision_form": forms.ReportDecisionForm(),
        },
    )


@staff_only
def topic_new(request):
    if request.method == "POST":
        _moderator(request)
    form = forms.TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, created = attempt(
            request,
            form,
            lambda: services.topic_create(
                actor=request.user,
                title=data["title"],
                description=data["description"],
                audience_entity_types=data["audience_entity_types"],
            ),
        )
        if ok:
            messages.success(request, _("Topic opened."))
            return redirect("community:topic", created.pk)
    return render(
        request,
        "community/topic_new.html",
        {"form": form, "can_moderate": permissions.can_moderate(request.user)},
    )


_DONE = {
    ModerationAction.LOCK: gettext_lazy("Locked."),
    ModerationAction.UNLOCK: gettext_lazy("Unlocked."),
    ModerationAction.PIN: gettext_lazy("Pinned."),
    ModerationAction.UNPIN: gettext_lazy("Unpinned."),
}


def _moderator(request) -> None:
    if not permissions.can_moderate(request.user):
        raise PermissionDenied


@staff_only
@require_POST
def topic_moderate(request, topic_id):
    _moderator(request)
    action = request.POST.get("action", "")
    ok, _t = attempt(
        request,
        None,
        lambda: services.topic_moderate(
            actor=request.user, topic_id=topic_id, action=action, reason=request.POST.get("reason", "")
        ),
    )
    if ok:
        messages.success(request, str(_DONE.get(action, "")))
    return redirect("community:topic", topic_id)


@staff_only
@require_POST
def thread_moderate(request, thread_id):
    _moderator(request)
    action = request.POST.get("action", "")
    ok, _t = attempt(
        request,
        None,
        lambda: services.thread_moderate(
            actor=request.user, thread_id=thread_id, action=action, reason=request.POST.get("reason", "")
        ),
    )
    if ok:
        messages.success(request, str(_DONE.get(action, "")))
    return redirect("community:thread", thread_id)


@staff_only
@require_POST
def post_hide(request, post_id):
    _moderator(request)
    ok, post = attempt(
        request,
        None,
        lambda: services.post_hide(
            actor=request.user, post_id=post_id, reason=request.POST.get("reason", "")
        ),
    )
    if ok:
        messages.success(request, _("Post hidden. Members see that a moderator hid it."))
        return redirect(reverse("community:thread", args=[post.thread_id]) + f"#post-{post.pk}")
    return redirect("community:moderation")


@staff_only
@require_POST
def post_unhide(request, post_id):
    _moderator(request)
    ok, post = attempt(request, None, lambda: services.post_unhide(actor=request.user, post_id=post_id))
    if ok:
        messages.success(request, _("Post shown again."))
        return redirect(reverse("community:thread", args=[post.thread_id]) + f"#post-{post.pk}")
    return redirect("community:moderation")


@staff_only
@require_POST
def report_decide(request, report_id):
    _moderator(request)
    form = forms.ReportDecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        ok, decided = attempt(
            request,
            None,
            lambda: services.report_decide(
                actor=request.user,
                report_id=report_id,
                decision=data["decision"],
                note=data["note"],
                hide_post=data["hide_post"],
            ),
        )
        if ok:
            messages.success(
                request, _("Report %(status)s.") % {"status": decided.get_status_display().lower()}
            )
    else:
        messages.error(request, _("Choose a decision."))
    return redirect("community:moderation")
