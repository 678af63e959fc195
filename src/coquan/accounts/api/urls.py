"""API routes of the accounts app, under /api/v1/ (namespace ``api``)."""

from django.urls import path

from coquan.accounts.api import views

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("me/tokens/", views.MyTokenListView.as_view(), name="me-tokens"),
    path("me/tokens/<int:pk>/revoke/", views.MyTokenRevokeView.as_view(), name="me-token-revoke"),
]
