"""Text of the forecast part (key -> (Latvian, English))."""

TEXTS: dict[str, tuple[str, str]] = {
}
