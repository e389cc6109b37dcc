def lockout_username(request, credentials: dict | None) -> str:
    """The account a sign-in attempt is for, as django-axes counts failures against it.

    The login form's field is ``username`` (Django's AuthenticationForm) although the account's
    identifier is its email, and emails are case-insensitive here: ``Jo@x`` and ``jo@x`` share
    one failure count.
    """
    source = credentials if credentials is not None else request.POST
    return (source.get("username") or "").strip().lower()
