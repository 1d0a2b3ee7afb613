"""Placeholder views; the accounts UI is being built."""

from django.contrib.auth import views as auth_views
from django.http import HttpResponse

login_view = auth_views.LoginView.as_view(template_name="accounts/login.html")


def signup(request):
    return HttpResponse("signup")


def mfa(request):
    return HttpResponse("mfa")


def tokens(request):
    return HttpResponse("tokens")
