"""Text of the regions part (key -> (Latvian, English))."""

TEXTS: dict[str, tuple[str, str]] = {
}
