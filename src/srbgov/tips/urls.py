from __future__ import annotations

from django.urls import path

from srbgov.tips import views

app_name = "tips"
urlpatterns = [
    path("", views.tip_list, name="tip_list"),
    path("export.xlsx", views.tip_export, name="tip_export"),
    path("<int:pk>/", views.tip_detail, name="tip_detail"),
    path("<int:pk>/assign/", views.tip_assign, name="tip_assign"),
    path("<int:pk>/link-case/", views.tip_link_case, name="tip_link_case"),
    path("<int:pk>/open-case/", views.tip_open_case, name="tip_open_case"),
    path("<int:pk>/decide/", views.tip_decide, name="tip_decide"),
    path("<int:pk>/close/", views.tip_close, name="tip_close"),
    path("<int:pk>/ask/", views.tip_ask, name="tip_ask"),
    path("<int:pk>/reveal/", views.tip_reveal, name="tip_reveal"),
    path("<int:tip_pk>/files/<int:pk>/", views.attachment, name="attachment"),
    path("<int:pk>/reward/", views.reward_propose, name="reward_propose"),
    path("rewards/", views.reward_list, name="reward_list"),
    path("rewards/export.xlsx", views.reward_export, name="reward_export"),
    path("rewards/<int:pk>/decide/", views.reward_decide, name="reward_decide"),
    path("rewards/<int:pk>/pay/", views.reward_pay, name="reward_pay"),
    path("policy/", views.policy_edit, name="policy"),
    path("stats/", views.stats, name="stats"),
    path("stats/export.xlsx", views.stats_export, name="stats_export"),
]
