"""Django messages shown on the accounts pages that Django's own Vietnamese catalogue lacks.

Django 5.2 changed the msgid of the minimum-length password error (``%d`` instead of
``%(min_length)d``) and its ``vi`` catalogue has not caught up, so the message would show in
English on the password-change page. Listing the msgids here puts them in the accounts
catalogue (``makemessages`` extracts them), whose Vietnamese translation Django then uses.
Nothing imports this module at run time.
"""

from django.utils.translation import ngettext_lazy

PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)
