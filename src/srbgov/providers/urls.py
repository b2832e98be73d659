from __future__ import annotations

from django.urls import path

from srbgov.providers import urls_prenatal
from srbgov.providers.views import deliveries, drugs, exams, registry, terminations

app_name = "providers"
urlpatterns = [
    path("", registry.facility_list, name="facility_list"),
    path("export.xlsx", registry.facility_export, name="facility_export"),
    path("new/", registry.facility_create, name="facility_create"),
    path("<int:pk>/", registry.facility_detail, name="facility_detail"),
    path("<int:pk>/edit/", registry.facility_edit, name="facility_edit"),
    path("<int:pk>/clerk/", registry.facility_clerk, name="facility_clerk"),
    path("<int:pk>/devices/new/", registry.device_create, name="device_create"),
    path("devices/<int:pk>/edit/", registry.device_edit, name="device_edit"),
    path(
        "devices/<int:pk>/operators/new/",
        registry.device_operator_add,
        name="device_operator_add",
    ),
    path("devices/export.xlsx", registry.device_export, name="device_export"),
    path(
        "<int:pk>/staff/new/", registry.practitioner_create, name="practitioner_create"
    ),
    path("staff/<int:pk>/", registry.practitioner_detail, name="practitioner_detail"),
    path("staff/<int:pk>/edit/", registry.practitioner_edit, name="practitioner_edit"),
    path("staff/export.xlsx", registry.practitioner_export, name="practitioner_export"),
    path("<int:pk>/pledges/new/", registry.pledge_create, name="pledge_create"),
    path("pledges/<int:pk>/file/", registry.pledge_file, name="pledge_file"),
    path("gaps/", registry.gap_list, name="gap_list"),
    path("gaps/export.xlsx", registry.gap_export, name="gap_export"),
    path("terminations/", terminations.termination_list, name="termination_list"),
    path(
        "terminations/export.xlsx",
        terminations.termination_export,
        name="termination_export",
    ),
    path(
        "terminations/new/",
        terminations.termination_create,
        name="termination_create",
    ),
    path(
        "terminations/<int:pk>/",
        terminations.termination_detail,
        name="termination_detail",
    ),
    path("deliveries/", deliveries.delivery_list, name="delivery_list"),
    path("deliveries/export.xlsx", deliveries.delivery_export, name="delivery_export"),
    path("deliveries/new/", deliveries.delivery_create, name="delivery_create"),
    path("deliveries/<int:pk>/", deliveries.delivery_detail, name="delivery_detail"),
    path(
        "deliveries/<int:pk>/certificate/",
        deliveries.delivery_certificate,
        name="delivery_certificate",
    ),
    path("exams/", exams.exam_list, name="exam_list"),
    path("exams/export.xlsx", exams.exam_export, name="exam_export"),
    path("exams/new/", exams.exam_create, name="exam_create"),
    path("exams/rates/", exams.exam_rates, name="exam_rates"),
    path("exams/rates/export.xlsx", exams.exam_rates_export, name="exam_rates_export"),
    path("exams/<int:pk>/", exams.exam_detail, name="exam_detail"),
    path("verifications/", terminations.verification_list, name="verification_list"),
    path(
        "verifications/new/",
        terminations.verification_create,
        name="verification_create",
    ),
    path(
        "verifications/<int:pk>/",
        terminations.verification_detail,
        name="verification_detail",
    ),
    path(
        "verifications/<int:pk>/review/",
        terminations.verification_review,
        name="verification_review",
    ),
    path(
        "verifications/<int:pk>/certify/",
        terminations.verification_certify,
        name="verification_certify",
    ),
    path(
        "verifications/<int:pk>/file/",
        terminations.verification_file,
        name="verification_file",
    ),
    path("<int:pk>/drugs/", drugs.drug_ledger, name="drug_ledger"),
    path(
        "<int:pk>/drugs/purchase/",
        drugs.drug_purchase_create,
        name="drug_purchase_create",
    ),
    path(
        "<int:pk>/drugs/dispense/",
        drugs.drug_dispensing_create,
        name="drug_dispensing_create",
    ),
    path("drugs/new/", drugs.drug_item_create, name="drug_item_create"),
    path("drugs/export.xlsx", drugs.drug_export, name="drug_export"),
]

# Prenatal diagnosis and priority villages (issue 17 items 3 and 6).
urlpatterns += urls_prenatal.urlpatterns
