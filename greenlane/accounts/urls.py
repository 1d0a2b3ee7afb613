from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("signup/", views.signup, name="signup"),
    path("signup/sent/", views.signup_sent, name="signup_sent"),
    path("verify/<str:token>/", views.verify_email, name="verify_email"),
    path("verify-resend/", views.resend_verification, name="resend_verification"),
    path("mfa/", views.mfa_view, name="mfa"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("password-reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("password/", views.password_change, name="password_change"),
    path("password/done/", views.password_change_done, name="password_change_done"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("staff-users/", views.staff_users, name="staff_users"),
    path("staff-users/<int:user_id>/", views.staff_user, name="staff_user"),
    path("staff-users/<int:user_id>/<slug:action>/", views.staff_user_action, name="staff_user_action"),
    path("field-offices/", views.field_offices, name="field_offices"),
    path("field-offices/<int:office_id>/rename/", views.field_office_rename, name="field_office_rename"),
    path(
        "field-offices/<int:office_id>/deactivate/",
        views.field_office_set_active,
        {"active": False},
        name="field_office_deactivate",
    ),
    path(
        "field-offices/<int:office_id>/reactivate/",
        views.field_office_set_active,
        {"active": True},
        name="field_office_reactivate",
    ),
]
