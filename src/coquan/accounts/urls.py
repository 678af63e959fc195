from django.urls import path

from coquan.accounts.views import second_factor, signin, tokens

app_name = "accounts"
urlpatterns = [
    path("login/", signin.LoginView.as_view(), name="login"),
    path("logout/", signin.LogoutView.as_view(), name="logout"),
    path("password/", signin.PasswordChangeView.as_view(), name="password_change"),
    path("two-step/", second_factor.otp_setup, name="otp_setup"),
    path("two-step/verify/", second_factor.otp_verify, name="otp_verify"),
    path("two-step/disable/", second_factor.otp_disable, name="otp_disable"),
    path("two-step/backup-codes/", second_factor.otp_backup_codes, name="otp_backup_codes"),
    path("two-step/policy/", second_factor.second_factor_policy, name="second_factor_policy"),
    path("tokens/", tokens.token_list, name="token_list"),
    path("tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
]
