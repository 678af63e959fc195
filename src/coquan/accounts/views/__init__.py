"""Web pages of the accounts app: sign-in, second factor, API tokens."""
