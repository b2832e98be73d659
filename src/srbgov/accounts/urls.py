from __future__ import annotations

from django.urls import path

from srbgov.accounts.views import login, users

app_name = "accounts"
urlpatterns = [
    path("login/", login.LoginView.as_view(), name="login"),
    path("login/verify/", login.login_verify, name="login_verify"),
    path("logout/", login.logout, name="logout"),
    path("password/", login.PasswordChangeView.as_view(), name="password_change"),
    path("mfa/", login.mfa_enrol, name="mfa_enrol"),
    path("users/", users.user_list, name="user_list"),
    path("users/new/", users.user_create, name="user_create"),
    path("users/<int:pk>/", users.user_detail, name="user_detail"),
    path("users/<int:pk>/role/", users.user_role, name="user_role"),
    path("users/<int:pk>/profile/", users.user_profile, name="user_profile"),
    path(
        "users/<int:pk>/password/",
        users.user_password_reset,
        name="user_password_reset",
    ),
    path("users/<int:pk>/state/", users.user_state, name="user_state"),
    path("requests/", users.request_list, name="request_list"),
    path("requests/<int:pk>/decide/", users.request_decide, name="request_decide"),
]
