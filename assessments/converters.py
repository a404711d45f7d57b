class TokenConverter:
    """An invitation token as `secrets.token_urlsafe` makes it; anything else is a 404."""

    regex = "[A-Za-z0-9_-]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
