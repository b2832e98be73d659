"""Views of accounts: logging in (`login`) and the administrator's pages (`users`)."""
