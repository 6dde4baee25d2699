from django.urls import path

from . import chasing_views, document_views, provider_views, views

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("prepare/<int:school_pk>/", views.agreement_prepare, name="prepare"),
    path("verify/", views.verify, name="verify"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/<int:pk>/", views.template_detail, name="template_detail"),
    path("templates/<int:pk>/edit/", views.template_edit, name="template_edit"),
    path("settings/", views.settings_edit, name="settings"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/change/", views.agreement_change, name="change"),
    path("<int:pk>/send/", views.agreement_send, name="send"),
    path("<int:pk>/sign/", views.agreement_sign, name="sign"),
    path("<int:pk>/end/", views.agreement_end, name="end"),
    path("<int:pk>/renew/", views.agreement_renew, name="renew"),
    path("<int:pk>/pdf/", views.agreement_pdf, name="pdf"),
    path("<int:pk>/status/", views.seal_status, name="seal_status"),
    path("waiting/", chasing_views.waiting_list, name="waiting"),
    path("<int:pk>/new-link/", chasing_views.new_link, name="new_link"),
    path("<int:pk>/request-changes/", chasing_views.request_changes, name="request_changes"),
    path("<int:pk>/share/", chasing_views.share, name="share"),
    path("acting-head/<int:school_pk>/", chasing_views.acting_head, name="acting_head"),
    path(
        "<int:pk>/documents/<slug:kind>/",
        document_views.agreement_document_upload,
        name="document_upload",
    ),
    path("documents/<int:pk>/", document_views.document_download, name="document"),
    path("documents/", document_views.force_documents, name="force_documents"),
    path(
        "documents/force/<slug:kind>/",
        document_views.force_document_upload,
        name="force_document_upload",
    ),
    # Provider agreements (the co-ordinated education model).
    path("providers/", provider_views.provider_list, name="provider_list"),
    path("providers/prepare/", provider_views.provider_prepare, name="provider_prepare"),
    path("providers/<int:pk>/", provider_views.provider_detail, name="provider_detail"),
    path("providers/<int:pk>/change/", provider_views.provider_change, name="provider_change"),
    path("providers/<int:pk>/send/", provider_views.provider_send, name="provider_send"),
    path("providers/<int:pk>/sign/", provider_views.provider_sign, name="provider_sign"),
    path("providers/<int:pk>/end/", provider_views.provider_end, name="provider_end"),
    path(
        "providers/<int:pk>/request-changes/",
        provider_views.provider_request_changes,
        name="provider_request_changes",
    ),
    path("providers/<int:pk>/pdf/", provider_views.provider_pdf, name="provider_pdf"),
]
